import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Campaign } from '../app/domain/model';
import {
  appMention,
  blockActionsForm,
  eventCallbackJson,
  JSON_TYPE,
  signedSlackEvent,
  slashCommandForm,
} from '../test/helpers/lambda-events';
import type { Kind } from './stats';

/** Slack sends the bare type (Bolt compares it exactly; ours also accepts `; charset=utf-8`). */
const FORM = 'application/x-www-form-urlencoded';

/** A signed API Gateway event of `kind`, as Slack would send it to the HTTP function. */
export function benchEvent(
  kind: Kind,
  at: { secret: string; user: string; statusTarget: Campaign; responseUrl: () => string },
): APIGatewayProxyEventV2 {
  const { secret: SECRET, user: USER, statusTarget: target } = at;
  switch (kind) {
    case 'help':
      return signedSlackEvent(slashCommandForm('help', { user_id: USER, response_url: at.responseUrl() }), {
        secret: SECRET,
        contentType: FORM,
      });
    case 'status':
      return signedSlackEvent(
        slashCommandForm(`status ${target.name}`, { user_id: USER, response_url: at.responseUrl() }),
        { secret: SECRET, contentType: FORM },
      );
    case 'app_mention':
      return signedSlackEvent(eventCallbackJson(appMention('<@U0LOCALBOT> what launches this week?', USER)), {
        secret: SECRET,
        contentType: JSON_TYPE,
      });
    case 'ask':
      return signedSlackEvent(
        slashCommandForm('ask what launches this week?', {
          user_id: USER,
          response_url: at.responseUrl(),
        }),
        { secret: SECRET, contentType: FORM },
      );
    case 'block_action':
      return signedSlackEvent(
        blockActionsForm('open_campaign_link', target.campaignId, {
          user: { id: USER, username: 'local', name: 'local', team_id: 'T0LOCAL' },
          response_url: at.responseUrl(),
        }),
        { secret: SECRET, contentType: FORM },
      );
  }
}
