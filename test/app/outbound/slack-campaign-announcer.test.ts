import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STAND_IN_BOT_TOKEN } from '../../../app/adapters/slack';
import type { CampaignAnnouncement } from '../../../app/domain/announcement';
import { DownstreamError } from '../../../app/errors';
import { AppLogger } from '../../../app/logger';
import { createSlackCampaignAnnouncer } from '../../../app/outbound/slack-campaign-announcer';
import type { CampaignAnnouncer } from '../../../app/services/campaign-provisioning';
import { type SlackStandIn, startSlackStandIn } from '../../../dev/slack-standin';
import { aCampaign } from '../../helpers/campaign-fixtures';

const TEAM_CHANNEL = 'C0GROWTH';
const OWNER = 'U0MAYA';

let standin: SlackStandIn;
let announcer: CampaignAnnouncer;

beforeAll(async () => {
  standin = await startSlackStandIn();
  announcer = createSlackCampaignAnnouncer(
    new WebClient(STAND_IN_BOT_TOKEN, {
      slackApiUrl: standin.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    }),
    new AppLogger({ level: 'error', sink: () => undefined }),
  );
});
afterAll(async () => {
  await standin?.close();
});

let seq = 0;
let announcement: CampaignAnnouncement;
beforeEach(() => {
  seq += 1;
  announcement = {
    campaign: aCampaign({ campaignId: `cmp-a${seq}`, name: `Announced ${seq}`, ownerSlackId: OWNER }),
    teamChannelId: TEAM_CHANNEL,
    workSystem: 'workfront',
    projectUrl: 'https://workfront.example/project/1',
    tasks: [],
    today: '2026-11-22',
    notes: [],
  };
});

const postedAbout = (channel: string, name: string) =>
  standin.messages(channel).filter((message) => JSON.stringify(message).includes(name));

describe('the campaign announcer sorts Slack failures as every job post does (slackFailure)', () => {
  it('posts in the team channel', async () => {
    const posted = await announcer.announce(announcement);
    expect(posted.channel).toBe(TEAM_CHANNEL);
    expect(postedAbout(TEAM_CHANNEL, announcement.campaign.name)).toHaveLength(1);
  });

  it('a channel that refuses the bot for good (not_in_channel): the owner gets it by DM, saying why', async () => {
    standin.failNext('chat.postMessage', { error: 'not_in_channel' });
    await announcer.announce(announcement);
    const dm = postedAbout(standin.dmChannelId(OWNER), announcement.campaign.name);
    expect(dm).toHaveLength(1);
    expect(JSON.stringify(dm[0])).toContain('I could not post this in the team channel (not_in_channel)');
  });

  it.each([
    ['Slack’s own fatal_error', { error: 'fatal_error' }],
    ['a 503', { status: 503 }],
    ['a rate limit', { status: 429, retryAfter: 3 }],
  ])(
    'a failure that may pass (%s) is thrown retryable, and nobody is sent a DM instead',
    async (_, failure) => {
      standin.failNext('chat.postMessage', failure);
      const thrown = await announcer.announce(announcement).catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(DownstreamError);
      expect(thrown).toMatchObject({ service: 'slack', retryable: true });
      expect(postedAbout(standin.dmChannelId(OWNER), announcement.campaign.name)).toHaveLength(0);
      expect(postedAbout(TEAM_CHANNEL, announcement.campaign.name)).toHaveLength(0);
    },
  );

  it('a DM that fails for good too is a permanent failure (the job stops retrying)', async () => {
    standin.failNext('chat.postMessage', { error: 'is_archived' });
    standin.failNext('chat.postMessage', { error: 'user_not_found' });
    const thrown = await announcer.announce(announcement).catch((error: unknown) => error);
    expect(thrown).toMatchObject({ retryable: false, message: expect.stringContaining('user_not_found') });
  });
});
