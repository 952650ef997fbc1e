import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAND_IN_BOT_TOKEN } from '../../../app/adapters/slack';
import type { Approval } from '../../../app/domain/approval';
import { SlackApprovalPublisher } from '../../../app/outbound/slack-approval-publisher';
import { type SlackStandIn, startSlackStandIn } from '../../../dev/slack-standin';
import { anApproval } from '../../helpers/approvals/records';

let standin: SlackStandIn;
let publisher: SlackApprovalPublisher;
const warnings: unknown[] = [];

beforeAll(async () => {
  standin = await startSlackStandIn();
  publisher = new SlackApprovalPublisher(
    new WebClient(STAND_IN_BOT_TOKEN, { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } }),
    { warn: (...args: unknown[]) => void warnings.push(args) },
  );
});
afterAll(async () => {
  await standin?.close();
});

const REQUESTER = 'U0DIEGO';

function decided(notify: Approval['notify']): Approval {
  return anApproval({
    campaignName: 'Thread <Gone> & Co',
    status: 'REJECTED',
    requesterId: REQUESTER,
    notify,
    decidedBy: 'U0AISHA',
    reason: 'Not this quarter',
    version: 3,
  });
}

describe('SlackApprovalPublisher.notifyRequester', () => {
  it('falls back to the requester’s DM when the thread’s channel is archived, so the outcome is never lost', async () => {
    // Prepare
    standin.failNext('chat.postMessage', { error: 'is_archived' });
    // Act
    const ts = await publisher.notifyRequester(
      decided({ channelId: 'C0GENERAL', threadTs: '1700000000.000100' }),
      'rejected',
    );
    // Assess
    const dm = standin.messages(standin.dmChannelId(REQUESTER)).at(-1);
    expect(ts).toBeDefined();
    expect(ts).toBe(dm?.ts);
    expect(dm?.text).toContain('was rejected by <@U0AISHA>');
    expect(dm?.text).toContain('Not this quarter');
    expect(dm?.text).toContain('Thread &lt;Gone&gt; &amp; Co');
  });

  it('a failure that may pass (Slack’s fatal_error) is thrown for the job to retry, not sent elsewhere', async () => {
    const before = standin.messages(standin.dmChannelId(REQUESTER)).length;
    standin.failNext('chat.postMessage', { error: 'fatal_error' });
    await expect(
      publisher.notifyRequester(
        decided({ channelId: 'C0GENERAL', threadTs: '1700000000.000100' }),
        'rejected',
      ),
    ).rejects.toThrow('fatal_error');
    expect(standin.messages(standin.dmChannelId(REQUESTER))).toHaveLength(before);
  });
});

describe('SlackApprovalPublisher.updateRequest', () => {
  it('a request message that is gone is skipped with a warning, so the requester is still told', async () => {
    // Prepare: the message was deleted from the approvers' channel.
    const gone = { ...decided({ channelId: REQUESTER }), messageTs: '1600000000.000001' };
    warnings.length = 0;
    // Act / Assess
    await expect(
      publisher.updateRequest({ approval: gone, campaign: undefined, mentions: [] }),
    ).resolves.toBeUndefined();
    expect(JSON.stringify(warnings)).toContain('message_not_found');
  });

  it('a failure that may pass is thrown for the job to retry', async () => {
    standin.failNext('chat.update', { error: 'fatal_error' });
    const approval = { ...decided({ channelId: REQUESTER }), messageTs: '1600000000.000001' };
    await expect(publisher.updateRequest({ approval, campaign: undefined, mentions: [] })).rejects.toThrow(
      'fatal_error',
    );
  });
});
