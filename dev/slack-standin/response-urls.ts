import { randomBytes } from 'node:crypto';
import { STAND_IN_BOT_USER_ID } from './fixtures';
import type { ResponseUrlOptions } from './state';
import { bool, SlackApiError, str } from './support';
import type { Workspace } from './workspace';

/* The stand-in's response_url: Slack's limits (5 posts in 30 minutes) and what each post does. */

/** Slack allows five posts to one response_url within thirty minutes (platform-facts §1). */
export const RESPONSE_URL_MAX_POSTS = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

/** A new response_url target (its id is the URL's last segment). */
export function createResponseTarget(ws: Workspace, options: ResponseUrlOptions): string {
  const id = randomBytes(9).toString('hex');
  ws.responseTargets.set(id, { id, createdAt: ws.clock(), posts: 0, ...options });
  return id;
}

/** A POST to a response_url: Slack's limits first, then the effect on the channel. */
export function postResponse(
  ws: Workspace,
  id: string,
  body: Record<string, unknown>,
): { status: number; body: Record<string, unknown> } {
  const target = ws.responseTargets.get(id);
  const at = ws.clock();
  const record = (status: number, answer: Record<string, unknown>) => {
    ws.responsePosts.push({ id, at, status, body });
    return { status, body: answer };
  };
  if (!target) return record(404, { ok: false, error: 'expired_url' });
  if (
    target.posts >= RESPONSE_URL_MAX_POSTS ||
    at.getTime() - target.createdAt.getTime() > RESPONSE_URL_TTL_MS
  )
    return record(404, { ok: false, error: 'expired_url' });
  let content: { text: string; blocks?: unknown[]; attachments?: unknown[] };
  const wantsDelete = bool(body.delete_original);
  try {
    content = ws.messageContent(body, { requireContent: !wantsDelete });
  } catch (error) {
    if (error instanceof SlackApiError) return record(400, { ok: false, error: error.error, ...error.extra });
    throw error;
  }
  target.posts += 1;
  const original =
    target.channel && target.messageTs ? ws.findMessage(target.channel, target.messageTs) : undefined;
  if (wantsDelete) {
    if (original) ws.removeMessage(original);
  } else if (bool(body.replace_original) && original) {
    original.text = content.text;
    if (content.blocks) original.blocks = content.blocks;
    else delete original.blocks;
    original.edited = { user: STAND_IN_BOT_USER_ID, ts: ws.nextTs() };
  } else if (target.channel) {
    const threadTs = str(body.thread_ts);
    if (body.response_type === 'in_channel') {
      const message = ws.botMessage(target.channel, content);
      if (threadTs) message.thread_ts = threadTs;
      ws.addMessage(message);
    } else if (target.user) {
      ws.ephemerals.push({
        channel: target.channel,
        user: target.user,
        ts: ws.nextTs(),
        ...content,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        via: 'response_url',
      });
    }
  }
  return record(200, { ok: true });
}
