import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SIGNING_SECRET } from '../../dev/local-constants';
import { signSlackRequest } from '../../dev/slack-signature';
import { type SlackStandIn, STAND_IN_BOT_USER_ID, startSlackStandIn } from '../../dev/slack-standin';
import type { StoredMessage } from '../../dev/slack-standin/state';
import { waitFor } from '../helpers/harness';
import { botPid, endLeftovers, freePort, type LocalBot, startLocalBot } from '../helpers/local-bot';
import { appMentionEvent, eventCallback, PAYLOAD_DEFAULTS } from '../helpers/payloads';

/*
 * The kill test of issue 7 item 5: `npm start` with DATA_DIR is killed (SIGKILL, no chance to
 * clean up) after Slack took its post but before the post's record was written, then started
 * again on the same port and data. The job is taken back at once (its lease names the dead
 * process), finds its message by the key in the message's metadata and posts nothing twice.
 * The Slack stand-in runs in the test, so it outlives both processes and counts every post.
 */

const CHANNEL = PAYLOAD_DEFAULTS.channelId;
/** Recovery must be prompt: seconds after the restart, not a lapsed lease (90 s) plus a sweep. */
const RECOVERY_BUDGET_MS = 15_000;

let standin: SlackStandIn;
let dataDir: string;
let port: number;
const bots: LocalBot[] = [];

beforeAll(async () => {
  standin = await startSlackStandIn();
  dataDir = await mkdtemp(join(tmpdir(), 'mcc-crash-'));
  port = await freePort();
});
afterAll(async () => {
  for (const bot of bots) await endLeftovers(bot);
  await standin?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** `npm start` on the test's port, data directory and Slack stand-in. */
async function start(): Promise<LocalBot> {
  const bot = await startLocalBot({ port, env: { DATA_DIR: dataDir, SLACK_API_URL: standin.apiUrl } });
  bots.push(bot);
  return bot;
}

/** Resolves once the stand-in has had no call for `quietMs` (the start's own posts are done). */
async function settled(quietMs = 1_000): Promise<void> {
  let count = -1;
  let since = Date.now();
  await waitFor(
    () => {
      const now = standin.calls().length;
      if (now !== count) {
        count = now;
        since = Date.now();
      }
      return Date.now() - since >= quietMs;
    },
    { timeoutMs: 60_000, intervalMs: 100, message: 'the stand-in never went quiet' },
  );
}

/** The bot's replies in the thread of `parentTs`. */
function botReplies(parentTs: string): StoredMessage[] {
  return standin
    .thread(CHANNEL, parentTs)
    .filter((m) => m.ts !== parentTs && m.user === STAND_IN_BOT_USER_ID);
}

async function mention(bot: LocalBot, text: string, ts: string): Promise<number> {
  const envelope = eventCallback(appMentionEvent({ text, ts, event_ts: ts, channel: CHANNEL }));
  const body = JSON.stringify(envelope);
  const response = await fetch(`${bot.baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signSlackRequest(body, LOCAL_SIGNING_SECRET) },
    body,
  });
  return response.status;
}

describe('npm start killed mid-post (DATA_DIR), then restarted', () => {
  it('posts the reply once and finishes it within seconds of the restart', async () => {
    // Prepare: a running bot whose start-up posts (the demo approval requests) are done
    const first = await start();
    await settled();
    const question = `<@${STAND_IN_BOT_USER_ID}> what launches this week?`;
    const parent = standin.addUserMessage(CHANNEL, { user: PAYLOAD_DEFAULTS.userId, text: question });
    // Slack takes the next post but its answer never reaches the bot, as when it dies mid-call.
    standin.holdResponse('chat.postMessage');

    // Act 1: the mention; once Slack holds the reply, the process is killed before recording it
    expect(await mention(first, question, parent.ts)).toBe(200);
    await waitFor(() => botReplies(parent.ts).length === 1, {
      timeoutMs: 20_000,
      message: 'the job never posted its placeholder',
    });
    process.kill(botPid(first), 'SIGKILL');
    await first.exited;
    standin.releaseHeld();

    // Act 2: the same port and data, as a user restarts `npm start`
    const second = await start();
    const restartedAt = Date.now();
    await waitFor(() => botReplies(parent.ts).some((reply) => reply.edited), {
      timeoutMs: RECOVERY_BUDGET_MS,
      message: 'the reply was not finished after the restart',
    });

    // Assess: one reply, found by its key and finished in place; taken back at once, not after the lease
    const replies = botReplies(parent.ts);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.metadata)).toMatch(/"post_key":"agent:[^"]+:main"/);
    expect(replies[0]?.text).not.toMatch(/working on it/i);
    expect(Date.now() - restartedAt).toBeLessThan(RECOVERY_BUDGET_MS);
    const recovered = second.logLines().filter((line) => line.event === 'job_recovered');
    expect(recovered.length).toBeGreaterThanOrEqual(1);
    // The search that found it ran on the thread (conversations.replies), after the restart only.
    expect(standin.calls('conversations.replies').length).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
