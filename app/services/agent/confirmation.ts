import { ConflictError } from '../../errors';
import type { ConversationStore, PendingData } from './conversation-store';
import { describeCall } from './function-names';
import type { ResumeRequest } from './job-payloads';
import type { AgentFunctionCall } from './stream';

/** What a Confirm / Cancel click came to (see `answerConfirmation`). */
export type ConfirmationAnswer =
  | { kind: 'not_found' }
  | { kind: 'not_yours'; ownerId: string }
  | { kind: 'already'; state: string }
  | { kind: 'accepted'; resume: ResumeRequest; summary: string; repeated: boolean };

/** A stored function call as the agent stream's call shape (for `describeCall`). */
export function toAgentCall(call: PendingData['calls'][number]): AgentFunctionCall {
  return {
    actionGroup: call.actionGroup,
    function: call.function,
    parameters: call.parameters,
    needsConfirmation: call.needsConfirmation,
    agentId: call.agentId,
    collaboratorName: call.collaboratorName,
  };
}

/**
 * A Confirm / Cancel click. Only the user who asked may answer; the pending record moves from
 * `awaiting_confirmation` exactly once (conditional write), so a double click resumes once.
 *
 * Kept apart from the turn runner (`AgentService`, which delegates here): the click's listener
 * needs only the conversation store, and the HTTP bundle stays free of Bedrock and `marked`.
 */
export async function answerConfirmation(
  conversations: Pick<ConversationStore, 'getPending' | 'putPending'>,
  input: { pendingRef: string; userId: string; confirm: boolean },
): Promise<ConfirmationAnswer> {
  const separator = input.pendingRef.lastIndexOf('|');
  const conversationKey = input.pendingRef.slice(0, separator);
  const invocationId = input.pendingRef.slice(separator + 1);
  const record = await conversations.getPending(conversationKey, invocationId);
  if (!record) return { kind: 'not_found' };
  if (record.data.userId !== input.userId) return { kind: 'not_yours', ownerId: record.data.userId };
  const summary = record.data.calls.map((call) => describeCall(toAgentCall(call)).title).join(', ');
  if (record.data.state === 'confirmed' || record.data.state === 'denied') {
    // Decided but maybe never resumed (the click's enqueue failed after the write): hand back the
    // stored decision, whatever was clicked now. Enqueueing it again is idempotent (same key), so
    // this repairs a lost resume without ever resuming twice.
    return {
      kind: 'accepted',
      resume: {
        conversationKey,
        invocationId,
        confirmation: record.data.state === 'confirmed' ? 'CONFIRM' : 'DENY',
      },
      summary,
      repeated: true,
    };
  }
  if (record.data.state !== 'awaiting_confirmation') return { kind: 'already', state: record.data.state };
  try {
    await conversations.putPending(
      { ...record.data, state: input.confirm ? 'confirmed' : 'denied', decidedBy: input.userId },
      record.version,
    );
  } catch (error) {
    if (error instanceof ConflictError) return { kind: 'already', state: 'decided' };
    throw error;
  }
  return {
    kind: 'accepted',
    resume: { conversationKey, invocationId, confirmation: input.confirm ? 'CONFIRM' : 'DENY' },
    summary,
    repeated: false,
  };
}
