import type { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '../../../dev/slack-standin';
import { platformError, USER, useStandInClient } from '../../helpers/slack-standin-client';

describe('Slack Web API stand-in through @slack/web-api — users, groups and conversations', () => {
  const world = useStandInClient();
  let standin: SlackStandIn;
  let client: WebClient;
  beforeAll(() => {
    ({ standin, client } = world);
  });

  describe('users, groups and conversations', () => {
    it('answers users.info with time zone, names and email, and locale only when asked', async () => {
      const plainInfo = await client.users.info({ user: USER });
      const withLocale = await client.users.info({ user: USER, include_locale: true });

      expect(plainInfo.user).toMatchObject({
        id: USER,
        real_name: 'Maya Chen',
        tz: 'America/New_York',
        tz_offset: -18000,
        tz_label: 'Eastern Standard Time',
        profile: { display_name: 'Maya Chen', real_name: 'Maya Chen', email: 'maya.chen@example.com' },
      });
      expect(plainInfo.user?.locale).toBeUndefined();
      expect(withLocale.user?.locale).toBe('en-US');
      expect((await client.users.info({ user: 'U0DIEGO', include_locale: true })).user).toMatchObject({
        locale: 'es-MX',
        tz: 'America/Los_Angeles',
        tz_offset: -28800,
      });
      expect((await platformError(client.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');
    });

    it('lists a user group’s members', async () => {
      const result = await client.usergroups.users.list({ usergroup: 'S0VPS' });

      expect(result.users).toEqual(['U0PRIYA', 'U0CARLOS']);
      expect((await platformError(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).error).toBe(
        'no_such_subteam',
      );
    });

    it('describes channels and opens DMs', async () => {
      const info = await client.conversations.info({ channel: 'C0APPROVAL' });
      const dm = await client.conversations.open({ users: USER });

      expect(info.channel).toMatchObject({
        id: 'C0APPROVAL',
        name: 'mcc-approvals',
        is_channel: true,
        is_member: true,
      });
      expect(dm.channel?.id).toBe(standin.dmChannelId(USER));
      expect((await client.conversations.info({ channel: dm.channel?.id as string })).channel).toMatchObject({
        is_im: true,
        user: USER,
      });
      expect((await platformError(client.conversations.info({ channel: 'C0NOPE' }))).error).toBe(
        'channel_not_found',
      );
      expect((await platformError(client.conversations.open({ users: 'U0NOBODY' }))).error).toBe(
        'user_not_found',
      );
    });
  });
});
