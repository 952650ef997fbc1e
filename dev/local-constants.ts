/** Signing secret of the local stack (`npm start` without a workspace); `scripts/try.ts` signs with it. */
export const LOCAL_SIGNING_SECRET = 'local-signing-secret';

/** The local Slack stand-in listens on SLACK_STANDIN_PORT, by default the port after PORT (3001). */
export function localStandInPort(env: Record<string, string | undefined>): number {
  if (env.SLACK_STANDIN_PORT) return Number(env.SLACK_STANDIN_PORT);
  return Number(env.PORT ?? 3000) + 1;
}

/** The token the local Workfront stand-in's event subscriptions present (`npm start`). */
export const LOCAL_WORKFRONT_WEBHOOK_TOKEN = 'local-workfront-webhook-token';
