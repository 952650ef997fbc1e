import { createHash } from 'node:crypto';

/** Bedrock's rule for `sessionId` (and `memoryId`): 2–100 characters of `[0-9a-zA-Z._:-]` (platform-facts §8). */
export const SESSION_ID_PATTERN = /^[0-9a-zA-Z._:-]{2,100}$/;

/** Where a conversation lives in Slack: one thread, or an unthreaded DM (threadTs undefined). */
export interface ConversationAddress {
  teamId: string;
  channelId: string;
  /** The thread's root ts; undefined for a DM conversation outside threads. */
  threadTs?: string | undefined;
}

/**
 * The key of a conversation: `T123.C123.1732240000.000100` for a thread, `T123.D123.dm` for an
 * unthreaded DM. Also the workflow-state partition (`thread#<key>`).
 */
export function conversationKey(address: ConversationAddress): string {
  return `${address.teamId}.${address.channelId}.${address.threadTs ?? 'dm'}`;
}

/**
 * A valid, deterministic Bedrock session id for a conversation, one per Slack thread. Slack ids and
 * timestamps are already in the charset, so the readable key is used as is; anything else (an odd
 * workspace id, an enterprise grid id with other characters, an over-long value) is sanitised and
 * suffixed with a hash of the original, so two different conversations never share a session.
 */
export function sessionIdFor(address: ConversationAddress): string {
  return toSessionId(conversationKey(address));
}

/** Maps any string to a valid session id; identity for strings that already are one. */
export function toSessionId(raw: string): string {
  if (SESSION_ID_PATTERN.test(raw)) return raw;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  const cleaned = raw.replace(/[^0-9a-zA-Z._:-]/g, '-').slice(0, 100 - hash.length - 1);
  return `${cleaned}.${hash}`.replace(/^\./, 's.');
}
