import { App, type Authorize, LogLevel, type Receiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import {
  STAND_IN_BOT_ID,
  STAND_IN_BOT_TOKEN,
  STAND_IN_BOT_USER_ID,
  slackClientOptions,
} from './adapters/slack';
import type { AppDeps } from './deps';
import { asCodedError, isDeliveryInProgress } from './errors';
import { registerListeners } from './listeners';
import { dedupeMiddleware } from './middleware/dedupe';
import type { Repositories } from './services';

export interface CreateAppOptions extends AppDeps {
  receiver: Receiver;
  /** The delivery-claim store the dedupe middleware writes (the only repository the app is given). */
  repositories: Pick<Repositories, 'dedupe'>;
}

function toBoltLevel(level: AppDeps['config']['logLevel']): LogLevel {
  const levels = {
    debug: LogLevel.DEBUG,
    info: LogLevel.INFO,
    warn: LogLevel.WARN,
    error: LogLevel.ERROR,
  } as const;
  return levels[level];
}

/**
 * Builds the Bolt app: registers the global middleware and every listener. Nothing else: no I/O,
 * no network (the bot's ids are passed in, so Bolt makes no `auth.test` call at cold start).
 */
export function createApp(options: CreateAppOptions): App {
  const { receiver, config, logger, repositories } = options;
  const app = new App({
    receiver,
    authorize: singleWorkspaceAuthorize(options),
    logger,
    // Bolt resets the logger it is given to `logLevel` (INFO by default); keep LOG_LEVEL.
    logLevel: toBoltLevel(config.logLevel),
    clientOptions: slackClientOptions(config, logger),
  });

  app.use(dedupeMiddleware(repositories.dedupe));
  registerListeners(app, options);

  // Listeners handle their own failures (and tell the user); this hook logs whatever escaped them.
  // A duplicate of a delivery still running is not a failure: it goes back to the receiver, which
  // answers 409 so that Slack retries it later.
  app.error(async (error) => {
    if (isDeliveryInProgress(error)) throw error;
    const original = (error as { original?: unknown }).original;
    const coded = asCodedError(original ?? error);
    logger.error({ code: coded.code, boltCode: error.code }, coded);
  });
  return app;
}

/**
 * Single-workspace authorization without an `auth.test` at cold start. With `token`, Bolt either
 * calls `auth.test` eagerly (the default) or, with verification off, on *every* request unless both
 * bot ids are known. Here the ids come from configuration (SLACK_BOT_ID, SLACK_BOT_USER_ID) when
 * set; otherwise `auth.test` runs once, on the first request, and its result is kept for the life
 * of the container (a failed call is not kept, so the next request tries again).
 */
function singleWorkspaceAuthorize(options: AppDeps): Authorize<boolean> {
  const { config, logger } = options;
  const botToken = config.slack.botToken ?? STAND_IN_BOT_TOKEN;
  const knownIds =
    config.slack.botId && config.slack.botUserId
      ? { botId: config.slack.botId, botUserId: config.slack.botUserId }
      : config.slack.botToken
        ? undefined
        : { botId: STAND_IN_BOT_ID, botUserId: STAND_IN_BOT_USER_ID };
  let ids: Promise<{ botId: string; botUserId: string }> | undefined = knownIds
    ? Promise.resolve(knownIds)
    : undefined;
  return async () => {
    if (!ids) {
      const client = new WebClient(botToken, slackClientOptions(config, logger));
      ids = client.auth
        .test()
        .then((result) => ({ botId: result.bot_id ?? '', botUserId: result.user_id ?? '' }));
      ids.catch(() => {
        ids = undefined;
      });
    }
    return { botToken, ...(await ids) };
  };
}
