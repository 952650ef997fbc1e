import type { InvocationResultMember } from '@aws-sdk/client-bedrock-agent-runtime';
import { escapeMrkdwn, userMention } from '../../domain/text';
import type { FunctionOutcomeData, PendingData } from './conversation-store';
import type { ResumeRequest } from './job-payloads';

/*
 * What return-of-control hands back to the agent (`returnControlInvocationResults`) and what the
 * user is told about it: pure functions over the stored calls and their outcomes.
 */

/** What the agent is told once the approval its action waited for is decided. */
export function decisionOutcome(
  decision: NonNullable<ResumeRequest['decision']>,
  before: string,
  details?: { reason?: string | undefined; decidedBy?: string | undefined },
): FunctionOutcomeData {
  const by =
    details?.decidedBy && details.decidedBy !== 'system' ? ` by ${userMention(details.decidedBy)}` : '';
  switch (decision) {
    case 'APPROVED':
      return {
        state: 'done',
        body: `Approved. ${before.replace(/ is waiting for approval\.?$/, ' was approved and is going ahead.')}`,
      };
    case 'REJECTED':
      return {
        state: 'failed',
        body: `The approvers rejected this request${by}${details?.reason ? `: “${escapeMrkdwn(details.reason)}”` : ''}; nothing was changed.`,
      };
    case 'EXPIRED':
      return {
        state: 'failed',
        body: 'The approval request expired without a decision; nothing was changed.',
      };
    default:
      return { state: 'failed', body: 'The approval request was cancelled; nothing was changed.' };
  }
}

/** The note shown while actions wait for approval. */
export function waitingText(calls: PendingData['calls'], outcomes: (FunctionOutcomeData | null)[]): string {
  const waiting = outcomes
    .map((outcome, index) =>
      outcome?.state === 'pending_approval' ? outcome.body || calls[index]?.function : undefined,
    )
    .filter((line): line is string => Boolean(line));
  return `:hourglass_flowing_sand: ${waiting.join(' ')} I’ll continue here as soon as it is decided.`;
}

/** Blocked or failed actions are shown to the user as well as returned to the agent. */
export function policyNotes(outcomes: (FunctionOutcomeData | null)[]): string[] {
  return outcomes
    .filter((outcome): outcome is FunctionOutcomeData => outcome?.state === 'failed')
    .map((outcome) => `:no_entry: ${outcome.body}`);
}

/** What the user is told about OpenAPI actions the agent asked for and did not get. */
export function apiCallNotes(apiCalls: PendingData['apiCalls']): string[] {
  return apiCalls.map(
    (call) =>
      `:no_entry: The agent asked for an action Command Center does not offer (${escapeMrkdwn(`${call.httpMethod} ${call.apiPath} in ${call.actionGroup}`)}); nothing was changed.`,
  );
}

/**
 * The results for the re-invocation (same `invocationId`): one `functionResult` per function call,
 * then one `apiResult` FAILURE (HTTP 501) per OpenAPI action, so no invocation input goes unanswered.
 */
export function toInvocationResults(
  calls: PendingData['calls'],
  outcomes: (FunctionOutcomeData | null)[],
  confirmation?: 'CONFIRM' | 'DENY',
  apiCalls: PendingData['apiCalls'] = [],
): InvocationResultMember[] {
  const apiResults: InvocationResultMember[] = apiCalls.map((call) => ({
    apiResult: {
      actionGroup: call.actionGroup,
      apiPath: call.apiPath,
      httpMethod: call.httpMethod,
      ...(call.agentId ? { agentId: call.agentId } : {}),
      httpStatusCode: 501,
      responseState: 'FAILURE' as const,
      responseBody: {
        TEXT: {
          body: `Command Center does not implement ${call.httpMethod} ${call.apiPath}; its actions are functions (create campaign, update campaign, create task, update task status, assign resource, get team capacity). Nothing was changed.`,
        },
      },
      // A confirmation nobody was asked for is not a yes.
      ...(call.needsConfirmation ? { confirmationState: 'DENY' as const } : {}),
    },
  }));
  return [...functionResults(calls, outcomes, confirmation), ...apiResults];
}

function functionResults(
  calls: PendingData['calls'],
  outcomes: (FunctionOutcomeData | null)[],
  confirmation?: 'CONFIRM' | 'DENY',
): InvocationResultMember[] {
  return calls.map((call, index) => {
    const outcome = outcomes[index] ?? { state: 'failed' as const, body: 'No result.' };
    return {
      functionResult: {
        actionGroup: call.actionGroup,
        function: call.function,
        ...(call.agentId ? { agentId: call.agentId } : {}),
        responseBody: { TEXT: { body: outcome.body } },
        ...(outcome.state === 'failed' ? { responseState: 'FAILURE' as const } : {}),
        ...(outcome.state === 'reprompt' ? { responseState: 'REPROMPT' as const } : {}),
        ...(call.needsConfirmation && confirmation ? { confirmationState: confirmation } : {}),
      },
    };
  });
}
