import type { ResponseStream } from '@aws-sdk/client-bedrock-agent-runtime';
import { describe, expect, it } from 'vitest';
import { consumeAgentStream } from '../../../../app/services/agent/stream';

const enc = new TextEncoder();

async function* events(list: (ResponseStream | Error)[]): AsyncGenerator<ResponseStream> {
  for (const item of list) {
    if (item instanceof Error) throw item;
    yield item;
  }
}

describe('consumeAgentStream', () => {
  it('joins chunks, keeps a multi-byte character split across chunks, and reports progress', async () => {
    const euro = enc.encode('€'); // 3 bytes
    const seen: string[] = [];
    const outcome = await consumeAgentStream(
      events([
        { chunk: { bytes: new Uint8Array([...enc.encode('Cost: '), ...euro.slice(0, 1)]) } },
        { chunk: { bytes: new Uint8Array([...euro.slice(1), ...enc.encode('5')]) } },
      ]),
      {
        onText: async (text) => {
          seen.push(text);
        },
      },
    );
    expect(outcome.text).toBe('Cost: €5');
    expect(seen.at(-1)).toBe('Cost: €5');
    expect(outcome.error).toBeUndefined();
  });

  it('deduplicates citations, links only web URLs and falls back to the file name for a title', async () => {
    const outcome = await consumeAgentStream(
      events([
        {
          chunk: {
            bytes: enc.encode('x'),
            attribution: {
              citations: [
                {
                  retrievedReferences: [
                    {
                      location: { type: 'WEB', webLocation: { url: 'https://a.example/doc' } },
                      metadata: { title: 'Doc A' },
                    },
                    {
                      location: { type: 'WEB', webLocation: { url: 'https://a.example/doc' } },
                      metadata: { title: 'Doc A' },
                    },
                    { location: { type: 'S3', s3Location: { uri: 's3://bucket/briefs/q3-plan.pdf' } } },
                  ],
                },
              ],
            },
          },
        },
      ]),
    );
    expect(outcome.citations).toEqual([
      { title: 'Doc A', url: 'https://a.example/doc' },
      { title: 'q3-plan.pdf', url: undefined },
    ]);
  });

  it('names collaborators from traces and ignores the supervisor’s own', async () => {
    const outcome = await consumeAgentStream(
      events([
        { trace: { collaboratorName: 'Supervisor', callerChain: [{ agentAliasArn: 'sup' }] } },
        {
          trace: {
            collaboratorName: 'Analytics',
            callerChain: [{ agentAliasArn: 'sup' }, { agentAliasArn: 'ana' }],
          },
        },
        {
          trace: {
            trace: {
              orchestrationTrace: {
                observation: {
                  type: 'AGENT_COLLABORATOR',
                  agentCollaboratorInvocationOutput: { agentCollaboratorName: 'Production' },
                },
              },
            },
          },
        },
      ]),
    );
    expect(outcome.collaborators).toEqual(['Analytics', 'Production']);
  });

  it('parses return of control with function inputs and confirmation', async () => {
    const outcome = await consumeAgentStream(
      events([
        {
          returnControl: {
            invocationId: 'inv-1',
            invocationInputs: [
              {
                functionInvocationInput: {
                  actionGroup: 'tasks',
                  function: 'assign_resource',
                  actionInvocationType: 'USER_CONFIRMATION',
                  parameters: [{ name: 'assignee', type: 'string', value: 'U0ALICE' }],
                },
              },
            ],
          },
        },
      ]),
    );
    expect(outcome.returnControl).toEqual({
      invocationId: 'inv-1',
      calls: [
        {
          actionGroup: 'tasks',
          function: 'assign_resource',
          parameters: { assignee: 'U0ALICE' },
          needsConfirmation: true,
          agentId: undefined,
          collaboratorName: undefined,
        },
      ],
      apiCalls: [],
    });
  });

  it('parses OpenAPI return of control (apiInvocationInput) next to function inputs', async () => {
    const outcome = await consumeAgentStream(
      events([
        {
          returnControl: {
            invocationId: 'inv-2',
            invocationInputs: [
              {
                apiInvocationInput: {
                  actionGroup: 'legacy-api',
                  apiPath: '/campaigns/{id}',
                  httpMethod: 'delete',
                  actionInvocationType: 'USER_CONFIRMATION',
                  agentId: 'COLLAB1',
                },
              },
              { functionInvocationInput: { actionGroup: 'tasks', function: 'get_team_capacity' } },
            ],
          },
        },
      ]),
    );
    expect(outcome.returnControl?.calls.map((call) => call.function)).toEqual(['get_team_capacity']);
    expect(outcome.returnControl?.apiCalls).toEqual([
      {
        actionGroup: 'legacy-api',
        apiPath: '/campaigns/{id}',
        httpMethod: 'DELETE',
        needsConfirmation: true,
        agentId: 'COLLAB1',
      },
    ]);
  });

  it('keeps the text streamed before an exception event or a thrown error', async () => {
    const fromEvent = await consumeAgentStream(
      events([
        { chunk: { bytes: enc.encode('Half') } },
        {
          throttlingException: {
            name: 'ThrottlingException',
            message: 'slow down',
            $fault: 'client',
            $metadata: {},
          },
        } as ResponseStream,
      ]),
    );
    expect(fromEvent.text).toBe('Half');
    expect(fromEvent.error?.kind).toBe('throttled');
    const thrown = await consumeAgentStream(
      events([
        { chunk: { bytes: enc.encode('Part') } },
        Object.assign(new Error('nope'), { name: 'DependencyFailedException' }),
      ]),
    );
    expect(thrown.text).toBe('Part');
    expect(thrown.error?.kind).toBe('dependency');
  });

  it('stops waiting on a stalled stream when the turn is aborted', async () => {
    const controller = new AbortController();
    async function* stalled(): AsyncGenerator<ResponseStream> {
      yield { chunk: { bytes: enc.encode('Started') } };
      controller.abort();
      await new Promise(() => undefined);
    }
    const outcome = await consumeAgentStream(stalled(), { signal: controller.signal });
    expect(outcome.aborted).toBe(true);
    expect(outcome.text).toBe('Started');
  });
});
