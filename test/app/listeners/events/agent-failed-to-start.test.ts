import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentFailedToStartMessage } from '../../../../blocks/agent-answer';
import { type Harness, startHarness } from '../../../helpers/harness';
import { PAYLOAD_DEFAULTS } from '../../../helpers/payloads';

/**
 * A turn that cannot be stored never gets an answer, so each intake (mention, DM, `/mcc ask`) says
 * so with the one notice, `agentFailedToStartMessage`. The store refuses for real here: a question
 * big enough to push the job item past DynamoDB's 400 KB item limit (dynalite enforces it).
 */
describe('a turn that could not be stored: the one "could not start" notice', () => {
  let h: Harness;
  const bot = PAYLOAD_DEFAULTS.botUserId;
  const tooBig = 'budget '.repeat(60_000);
  const notice = agentFailedToStartMessage();

  beforeAll(async () => {
    h = await startHarness({ seed: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a mention: the notice is posted in the thread (no placeholder was posted: the job would have)', async () => {
    h.standin.reset();
    await h.event({ text: `<@${bot}> ${tooBig}` });
    expect(h.standin.calls('chat.update')).toEqual([]);
    const posted = h.standin.calls('chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(posted[0]?.args.text).toBe(notice.text);
    expect(posted[0]?.args.blocks).toEqual(notice.blocks);
  });

  it('a DM: the notice is posted in the thread (no placeholder was posted: the job would have)', async () => {
    h.standin.reset();
    await h.event({ type: 'message', text: tooBig });
    expect(h.standin.calls('chat.update')).toEqual([]);
    const posted = h.standin.calls('chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(posted[0]?.args.text).toBe(notice.text);
    expect(posted[0]?.args.blocks).toEqual(notice.blocks);
  });

  it('/mcc ask: the ack is the notice', async () => {
    const ack = await h.command(`ask ${tooBig}`);
    expect(ack.json()).toEqual({ response_type: 'ephemeral', text: notice.text, blocks: notice.blocks });
  });
});
