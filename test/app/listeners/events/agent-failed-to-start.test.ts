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

  it('a mention: the placeholder becomes the notice', async () => {
    h.standin.reset();
    await h.event({ text: `<@${bot}> ${tooBig}` });
    const update = h.standin.calls('chat.update').at(-1)?.args;
    expect(update?.text).toBe(notice.text);
    expect(update?.blocks).toEqual(notice.blocks);
  });

  it('a DM: the placeholder becomes the notice', async () => {
    h.standin.reset();
    await h.event({ type: 'message', text: tooBig });
    const update = h.standin.calls('chat.update').at(-1)?.args;
    expect(update?.text).toBe(notice.text);
    expect(update?.blocks).toEqual(notice.blocks);
  });

  it('/mcc ask: the ack is the notice', async () => {
    const ack = await h.command(`ask ${tooBig}`);
    expect(ack.json()).toEqual({ response_type: 'ephemeral', text: notice.text, blocks: notice.blocks });
  });
});
