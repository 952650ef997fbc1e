import { App, HTTPReceiver } from '@slack/bolt';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import serverless from 'serverless-http';

/**
 * The benchmark's reference: the smallest Bolt app that does what ours does on the wire — an
 * HTTPReceiver with `processBeforeResponse`, one `/mcc` command that acks with a small message,
 * one `app_mention` listener, one block action — wrapped with serverless-http and built lazily on
 * the first invocation, exactly like handlers/http.ts, and bundled with the same esbuild settings.
 * No store, no config validation, no logger: the floor our app is measured against.
 */
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

let ready: Handler | undefined;

/** The reference's receiver, with its app registered (also served over HTTP by bench/local-http.ts). */
export function referenceReceiver(): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    endpoints: ['/slack/events'],
    processBeforeResponse: true,
  });
  const app = new App({
    receiver,
    token: process.env.SLACK_BOT_TOKEN ?? 'xoxb-local-stand-in',
    // Both ids given: Bolt makes no auth.test call (same as ours).
    botId: process.env.SLACK_BOT_ID ?? 'B0LOCALBOT',
    botUserId: process.env.SLACK_BOT_USER_ID ?? 'U0LOCALBOT',
    ...(process.env.SLACK_API_URL ? { clientOptions: { slackApiUrl: process.env.SLACK_API_URL } } : {}),
  });
  app.command('/mcc', async ({ ack, command }) => {
    await ack({ response_type: 'ephemeral', text: `You asked: ${command.text.slice(0, 100)}` });
  });
  app.event('app_mention', async () => {
    // Acked by Bolt before listeners run; nothing else.
  });
  app.action('open_campaign_link', async ({ ack }) => {
    await ack();
  });
  return receiver;
}

function init(): Handler {
  return serverless(referenceReceiver().requestListener) as unknown as Handler;
}

export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyResultV2> {
  ready ??= init();
  return ready(event, context);
}
