import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../adapters/slack';
import { SlackPoster } from '../adapters/slack-post-once';
import type { OncePost, PostLedgers } from '../domain/outbound-post';
import { DownstreamError } from '../errors';
import type { JobHandler } from '../services/job-types';
import { SlackPostPayload } from './slack-post-payload';

export { SLACK_POST_JOB_KIND } from './slack-post-payload';

/** Errors Slack answers for a message that will never be accepted as sent; retrying cannot help. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_blocks_format',
  'too_many_attachments',
  'restricted_action',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'user_not_found',
]);

/**
 * Maps a Web API failure to a `DownstreamError`: rate limits, network and 5xx are retryable (the
 * job backs off), a platform error in `PERMANENT` is not.
 */
export function slackFailure(error: unknown, method: string): DownstreamError {
  const detail = error as { code?: unknown; statusCode?: unknown };
  const slackError = slackErrorCode(error);
  const retryable =
    detail.code === 'slack_webapi_platform_error'
      ? !(slackError && PERMANENT.has(slackError))
      : detail.code !== 'slack_webapi_http_error' ||
        typeof detail.statusCode !== 'number' ||
        detail.statusCode >= 500 ||
        detail.statusCode === 429;
  return new DownstreamError(`${method} failed${slackError ? `: ${slackError}` : ''}`, 'slack', retryable, {
    cause: error,
  });
}

/**
 * The `slack.post` handler, over the container's Web API client: a crash-safe post keyed on the job
 * (`slack.post:<job id>`), so a retry after a crash between Slack's answer and the record posts nothing
 * twice. Without `ledgers` (tests) it posts once per call.
 */
export function slackPostHandler(
  client: Pick<WebClient, 'chat' | 'conversations'>,
  ledgers?: PostLedgers,
): JobHandler {
  const poster = new SlackPoster(client);
  return {
    async run(payload, ctx) {
      const parsed = SlackPostPayload.safeParse(payload);
      if (!parsed.success) {
        throw new DownstreamError(`invalid slack.post payload: ${parsed.error.message}`, 'slack', false);
      }
      const message = parsed.data;
      const post: OncePost = {
        key: `slack.post:${ctx.job.jobId}`,
        channel: message.channel,
        threadTs: message.threadTs,
        message: { text: message.text, blocks: message.blocks },
        ...(message.unfurlLinks === undefined ? {} : { unfurl: message.unfurlLinks }),
      };
      try {
        const result = ledgers ? await poster.postOnce(ledgers(post.key), post) : await poster.post(post);
        ctx.logger.info({ channel: result.channel, ts: result.ts }, 'slack.post delivered');
      } catch (error) {
        throw slackFailure(error, 'chat.postMessage');
      }
    },
    async onFinalFailure(payload, error, ctx) {
      // Slack itself is what failed, so there is nobody to tell in Slack: the coded log line is the signal.
      ctx.logger.error(
        {
          code: 'slack_post_undelivered',
          channel: typeof payload.channel === 'string' ? payload.channel : undefined,
        },
        error instanceof Error ? error : String(error),
      );
    },
  };
}
