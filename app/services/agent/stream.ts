import type {
  ApiInvocationInput,
  FunctionInvocationInput,
  ResponseStream,
  RetrievedReference,
  TracePart,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { AgentCitation } from '../../domain/agent-views';
import { type AgentFailure, classifyAgentError } from './errors';

/** A function call the agent handed back to us (return of control). */
export interface AgentFunctionCall {
  actionGroup: string;
  function: string;
  parameters: Record<string, string>;
  /** `USER_CONFIRMATION…` means the user must confirm before it runs. */
  needsConfirmation: boolean;
  agentId: string | undefined;
  collaboratorName: string | undefined;
}

/**
 * An OpenAPI-schema action (`apiInvocationInput`) the agent handed back. Command Center's action
 * groups are function-based, so these are never executed: each is answered with a FAILURE so the
 * agent is not left waiting for a result (platform-facts §8: every invocation input needs one).
 */
interface AgentApiCall {
  actionGroup: string;
  apiPath: string;
  httpMethod: string;
  needsConfirmation: boolean;
  agentId: string | undefined;
}

export interface AgentReturnControl {
  invocationId: string;
  calls: AgentFunctionCall[];
  apiCalls: AgentApiCall[];
}

/** Everything one InvokeAgent stream produced. */
export interface StreamOutcome {
  text: string;
  collaborators: string[];
  citations: AgentCitation[];
  returnControl: AgentReturnControl | undefined;
  /** Set when the stream failed part-way (an exception event or a thrown error). */
  error: (AgentFailure & { cause: unknown }) | undefined;
  /** The stream was aborted because the turn ran out of time. */
  aborted: boolean;
}

export interface ConsumeOptions {
  /** Called with the whole text so far after each chunk; awaited (back-pressure on the stream). */
  onText?: (textSoFar: string) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Reads an InvokeAgent `completion` stream to the end: text chunks (concatenated), citations from
 * chunk attributions (deduplicated), the collaborators named in traces, a return-of-control
 * payload, and any error — an exception event or a throw mid-stream — which is *kept* next to the
 * text streamed so far, so the caller can show what arrived and mark it incomplete.
 */
export async function consumeAgentStream(
  completion: AsyncIterable<ResponseStream> | undefined,
  options: ConsumeOptions = {},
): Promise<StreamOutcome> {
  const outcome: StreamOutcome = {
    text: '',
    collaborators: [],
    citations: [],
    returnControl: undefined,
    error: undefined,
    aborted: false,
  };
  if (!completion) return outcome;
  // One decoder per stream: `stream: true` keeps a multi-byte character split across chunks intact.
  const decoder = new TextDecoder();
  const collaborators = new Set<string>();
  const citations = new Map<string, AgentCitation>();
  const iterator = completion[Symbol.asyncIterator]();
  // Resolves when the turn's time is up, so a stalled stream cannot hold the turn past its deadline
  // (the SDK also aborts the HTTP request on the signal; this does not rely on it).
  const aborted = new Promise<'aborted'>((resolve) => {
    if (options.signal?.aborted) resolve('aborted');
    options.signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next === 'aborted') {
        outcome.aborted = true;
        // Do not wait for a stalled source to acknowledge the cancellation.
        void Promise.resolve(iterator.return?.()).catch(() => undefined);
        break;
      }
      if (next.done) break;
      const event = next.value;
      if (event.chunk) {
        const piece = event.chunk.bytes ? decoder.decode(event.chunk.bytes, { stream: true }) : '';
        for (const citation of event.chunk.attribution?.citations ?? []) {
          for (const reference of citation.retrievedReferences ?? []) {
            const cited = citationOf(reference);
            if (cited) citations.set(cited.url ?? cited.title, cited);
          }
        }
        if (piece !== '') {
          outcome.text += piece;
          await options.onText?.(outcome.text);
        }
      } else if (event.trace) {
        for (const name of collaboratorsIn(event.trace)) collaborators.add(name);
      } else if (event.returnControl) {
        outcome.returnControl = {
          invocationId: event.returnControl.invocationId ?? '',
          calls: (event.returnControl.invocationInputs ?? []).flatMap((input) =>
            input.functionInvocationInput ? [functionCallOf(input.functionInvocationInput)] : [],
          ),
          apiCalls: (event.returnControl.invocationInputs ?? []).flatMap((input) =>
            input.apiInvocationInput ? [apiCallOf(input.apiInvocationInput)] : [],
          ),
        };
      } else {
        const exception = exceptionIn(event);
        if (exception) {
          outcome.error = { ...classifyAgentError(exception), cause: exception };
          break;
        }
      }
    }
  } catch (error) {
    if (options.signal?.aborted) outcome.aborted = true;
    else outcome.error = { ...classifyAgentError(error), cause: error };
  }
  outcome.text += decoder.decode();
  outcome.collaborators = [...collaborators];
  outcome.citations = [...citations.values()];
  return outcome;
}

/** The collaborators a trace names: the trace's own `collaboratorName` and any collaborator invoked. */
function collaboratorsIn(part: TracePart): string[] {
  const names: string[] = [];
  // The supervisor's own traces name no collaborator or name the supervisor through an empty chain.
  if (part.collaboratorName && (part.callerChain?.length ?? 2) > 1) names.push(part.collaboratorName);
  const orchestration = part.trace?.orchestrationTrace;
  const invoked = orchestration?.invocationInput?.agentCollaboratorInvocationInput?.agentCollaboratorName;
  if (invoked) names.push(invoked);
  const answered = orchestration?.observation?.agentCollaboratorInvocationOutput?.agentCollaboratorName;
  if (answered) names.push(answered);
  return names;
}

function citationOf(reference: RetrievedReference): AgentCitation | undefined {
  const location = reference.location;
  const url =
    location?.webLocation?.url ??
    location?.confluenceLocation?.url ??
    location?.sharePointLocation?.url ??
    location?.salesforceLocation?.url ??
    location?.s3Location?.uri ??
    location?.customDocumentLocation?.id;
  const metadata = reference.metadata ?? {};
  const titleValue =
    metadata.title ?? metadata['x-amz-bedrock-kb-title'] ?? metadata['x-amz-bedrock-kb-source-uri'];
  const fromUrl = url ? decodeURIComponent(url.split(/[/?#]/).filter(Boolean).pop() ?? url) : undefined;
  const title = typeof titleValue === 'string' && titleValue.trim() !== '' ? titleValue.trim() : fromUrl;
  if (!title) return undefined;
  // Only web links are clickable in Slack; an s3:// URI is named but not linked.
  return { title, url: url && /^https?:\/\//i.test(url) ? url : undefined };
}

function functionCallOf(input: FunctionInvocationInput): AgentFunctionCall {
  const parameters: Record<string, string> = {};
  for (const parameter of input.parameters ?? []) {
    if (parameter.name) parameters[parameter.name] = parameter.value ?? '';
  }
  return {
    actionGroup: input.actionGroup ?? '',
    function: input.function ?? '',
    parameters,
    needsConfirmation: (input.actionInvocationType ?? 'RESULT').startsWith('USER_CONFIRMATION'),
    agentId: input.agentId,
    collaboratorName: input.collaboratorName,
  };
}

function apiCallOf(input: ApiInvocationInput): AgentApiCall {
  return {
    actionGroup: input.actionGroup ?? '',
    apiPath: input.apiPath ?? '',
    httpMethod: (input.httpMethod ?? '').toUpperCase(),
    needsConfirmation: (input.actionInvocationType ?? 'RESULT').startsWith('USER_CONFIRMATION'),
    agentId: input.agentId,
  };
}

function exceptionIn(event: ResponseStream): (Error & { name: string }) | undefined {
  const candidates: [unknown, string][] = [
    [event.throttlingException, 'ThrottlingException'],
    [event.accessDeniedException, 'AccessDeniedException'],
    [event.validationException, 'ValidationException'],
    [event.resourceNotFoundException, 'ResourceNotFoundException'],
    [event.dependencyFailedException, 'DependencyFailedException'],
    [event.internalServerException, 'InternalServerException'],
    [event.serviceQuotaExceededException, 'ServiceQuotaExceededException'],
    [event.conflictException, 'ConflictException'],
    [event.badGatewayException, 'BadGatewayException'],
    [event.modelNotReadyException, 'ModelNotReadyException'],
  ];
  for (const [value, name] of candidates) {
    if (value === undefined || value === null) continue;
    const message = typeof value === 'object' && 'message' in value ? String(value.message) : name;
    return Object.assign(new Error(message), { name });
  }
  return undefined;
}
