import type { WebClient } from '@slack/web-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '../../../dev/slack-standin';
import {
  modal,
  plain,
  platformError,
  section,
  USER,
  useStandInClient,
} from '../../helpers/slack-standin-client';

describe('Slack Web API stand-in through @slack/web-api — views.*', () => {
  const world = useStandInClient();
  let standin: SlackStandIn;
  let client: WebClient;
  beforeAll(() => {
    ({ standin, client } = world);
  });

  describe('views.*', () => {
    it('opens a modal and returns Slack’s view object', async () => {
      const result = await client.views.open({
        trigger_id: 't1',
        view: modal('New campaign', { callback_id: 'campaign_new', private_metadata: '{"a":1}' }),
      });

      expect(result.view).toMatchObject({
        type: 'modal',
        callback_id: 'campaign_new',
        private_metadata: '{"a":1}',
        title: plain('New campaign'),
        state: { values: {} },
        app_id: 'A0LOCALAPP',
        bot_id: 'B0LOCALBOT',
        previous_view_id: null,
      });
      expect(result.view?.id).toMatch(/^V/);
      expect(result.view?.root_view_id).toBe(result.view?.id);
      expect(result.view?.hash).toEqual(expect.any(String));
      expect(standin.calls('views.open')[0]?.args.view).toMatchObject({ callback_id: 'campaign_new' });
    });

    it('refuses a reused trigger id', async () => {
      await client.views.open({ trigger_id: 't-once', view: modal() });

      expect((await platformError(client.views.open({ trigger_id: 't-once', view: modal() }))).error).toBe(
        'exchanged_trigger_id',
      );
    });

    it('rejects a 25-character title and long private_metadata with invalid_arguments', async () => {
      const longTitle = await platformError(
        client.views.open({ trigger_id: 't2', view: modal('t'.repeat(25)) }),
      );
      const longMetadata = await platformError(
        client.views.open({ trigger_id: 't3', view: modal('ok', { private_metadata: 'm'.repeat(3001) }) }),
      );

      expect(longTitle.error).toBe('invalid_arguments');
      expect(longTitle.response_metadata?.messages).toEqual([
        '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
      ]);
      expect(longMetadata.response_metadata?.messages).toEqual([
        '[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]',
      ]);
      expect(
        (
          await platformError(
            client.views.open({
              trigger_id: 't4',
              view: modal('ok', { blocks: Array(101).fill(section('x')) }),
            }),
          )
        ).error,
      ).toBe('invalid_arguments');
    });

    it('keeps at most three views on a stack', async () => {
      const root = await client.views.open({ trigger_id: 'p0', view: modal('Root') });
      const second = await client.views.push({ trigger_id: 'p1', view: modal('Second') });
      const third = await client.views.push({ trigger_id: 'p2', view: modal('Third') });

      expect(second.view?.previous_view_id).toBe(root.view?.id);
      expect(third.view?.root_view_id).toBe(root.view?.id);
      expect(standin.viewStack().map((v) => v.id)).toEqual([root.view?.id, second.view?.id, third.view?.id]);
      expect(
        (await platformError(client.views.push({ trigger_id: 'p3', view: modal('Fourth') }))).error,
      ).toBe('push_limit_reached');
    });

    it('updates a view by view_id or external_id, and checks the hash', async () => {
      const opened = await client.views.open({
        trigger_id: 'u0',
        view: modal('One', { external_id: 'ext-1' }),
      });
      const id = opened.view?.id as string;

      const byId = await client.views.update({
        view_id: id,
        hash: opened.view?.hash as string,
        view: modal('Two'),
      });
      const byExternal = await client.views.update({
        external_id: 'ext-1',
        view: modal('Three', { external_id: 'ext-1' }),
      });

      expect(byId.view).toMatchObject({ id, title: plain('Two') });
      expect(byId.view?.hash).not.toBe(opened.view?.hash);
      expect(byExternal.view?.title).toEqual(plain('Three'));
      expect(
        (
          await platformError(
            client.views.update({ view_id: id, hash: opened.view?.hash as string, view: modal() }),
          )
        ).error,
      ).toBe('hash_conflict');
      expect((await platformError(client.views.update({ view_id: 'V0NOPE', view: modal() }))).error).toBe(
        'not_found',
      );
    });

    it('publishes a Home tab per user', async () => {
      const result = await client.views.publish({
        user_id: USER,
        view: { type: 'home', blocks: [section('Home')] },
      });

      expect(result.view).toMatchObject({ type: 'home', blocks: [section('Home')] });
      expect(standin.homeView(USER)?.id).toBe(result.view?.id);
      expect(
        (
          await platformError(
            client.views.publish({
              user_id: USER,
              view: { type: 'home', blocks: Array(101).fill(section('x')) },
            }),
          )
        ).error,
      ).toBe('invalid_arguments');
    });
  });
});
