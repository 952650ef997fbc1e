import type { WebClient } from '@slack/web-api';
import { approvalListMessage } from '../../blocks/approval-list';
import { SlackPoster } from '../adapters/slack-post-once';
import { allowedResponseHosts, postToResponseUrl, type ResponseBody } from '../adapters/slack-response-url';
import type { AppDeps } from '../deps';
import { escapeMrkdwn } from '../domain/text';
import { DownstreamError } from '../errors';
import { COMMAND } from '../ids';
import { renderCampaignPage } from '../listeners/commands/campaigns';
import { campaignCardMessage } from '../listeners/commands/status';
import { decodeListCursor } from '../services/campaign-list-filter';
import type { JobHandler } from '../services/job-types';
import { shareAnswer, unshare } from './share-answer';
import { RespondPayload } from './slack-respond-payload';

/** A reply that does not replace the message clicked in. */
const note = (text: string): ResponseBody => ({ response_type: 'ephemeral', replace_original: false, text });

/**
 * `slack.respond`: what a click shows, sent through the click's `response_url` by a job, so the
 * listener makes no Slack call before its HTTP response (a block action cannot replace a message
 * through its ack). Replacing the original (`replace_original`) is idempotent; a note that does not
 * replace may show twice if the process dies between Slack's answer and the job's record (it is
 * ephemeral, seen only by the clicker). When the job fails for good, the clicker is told so through
 * the same URL, never left with silence.
 */
export function slackRespondHandler(
  deps: AppDeps,
  slack: Pick<WebClient, 'chat' | 'conversations'>,
  options: { fetch?: typeof fetch } = {},
): JobHandler {
  const poster = new SlackPoster(slack, deps.clock);
  const send = (url: string | undefined, body: ResponseBody) => {
    if (!url) throw new DownstreamError('slack.respond job without a response_url', 'slack', false);
    return postToResponseUrl(options.fetch ?? fetch, url, body, allowedResponseHosts(deps.config));
  };

  async function render(payload: RespondPayload, jobId: string): Promise<ResponseBody> {
    switch (payload.view) {
      case 'message':
        return {
          response_type: 'ephemeral',
          replace_original: payload.replaceOriginal,
          text: payload.message.text,
          ...(payload.message.blocks ? { blocks: payload.message.blocks } : {}),
        };
      case 'approval_list': {
        // One indexed query; the group membership is already cached by the decision.
        const remaining = await deps.services.approvals.listDecidableBy(payload.userId);
        return {
          response_type: 'ephemeral',
          replace_original: true,
          ...approvalListMessage(remaining, payload.feedback),
        };
      }
      case 'campaign_page': {
        const cursor = decodeListCursor(payload.cursor);
        if (!cursor) return note(`That list is out of date. Run \`${COMMAND} campaigns\` again.`);
        const profile = await deps.services.userProfiles.get(payload.userId);
        const page = await renderCampaignPage(deps, cursor.f, profile, cursor.a);
        return { response_type: 'ephemeral', replace_original: true, ...page };
      }
      case 'campaign_card': {
        // Campaign, tasks and team in parallel with users.info.
        const [profile, card] = await Promise.all([
          deps.services.userProfiles.get(payload.userId),
          deps.services.campaignQuery.getCard(payload.campaignId),
        ]);
        if (!card) {
          return note(
            `That campaign (\`${escapeMrkdwn(payload.campaignId.slice(0, 60))}\`) no longer exists. \`${COMMAND} campaigns\` lists the current ones.`,
          );
        }
        const message = campaignCardMessage(card, profile, deps.clock());
        return { response_type: 'ephemeral', replace_original: true, ...message };
      }
      case 'share_answer':
        return note(await shareAnswer(deps, poster, { ...payload, jobId }));
    }
  }

  return {
    async run(raw, ctx) {
      const parsed = RespondPayload.safeParse(raw);
      if (!parsed.success) {
        throw new DownstreamError(`invalid slack.respond payload: ${parsed.error.message}`, 'slack', false);
      }
      await send(ctx.job.responseUrl, await render(parsed.data, ctx.job.jobId));
    },
    async onFinalFailure(raw, error, ctx) {
      const parsed = RespondPayload.safeParse(raw);
      if (parsed.success && parsed.data.view === 'share_answer') await unshare(deps, parsed.data.askId);
      ctx.logger.error({ code: 'slack_respond_failed', err: error }, 'a click could not be answered');
      // The URL itself may be what failed (expired): then this fails too, and the log line stays.
      await send(
        ctx.job.responseUrl,
        note(
          parsed.success && parsed.data.view === 'share_answer'
            ? 'I couldn’t share the answer. Try again in a moment.'
            : 'Something went wrong answering that click. Try again in a moment.',
        ),
      );
    },
  };
}
