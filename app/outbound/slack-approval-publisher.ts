import type { WebClient } from '@slack/web-api';
import { approvalRequestMessage, requesterNotice, threadNote } from '../../blocks/approval-message';
import { slackErrorCode } from '../adapters/slack';
import { SlackPoster } from '../adapters/slack-post-once';
import type { Approval } from '../domain/approval';
import type { OncePost, PostLedgers } from '../domain/outbound-post';
import type { RenderedMessage } from '../domain/rendered-message';
import type { AppLogger } from '../logger';
import type { ApprovalPublisher, ApprovalView, RequesterNotice } from '../services/approval-ports';

/**
 * The Slack side of approvals: the app layer's implementation of the approvals service's
 * `ApprovalPublisher` port. The service asks for domain-level messages (post this request, show
 * its state, tell the requester); this class renders them with blocks/ (pure) and sends them with
 * the container's Web API client. So the service holds no Block Kit and no adapter renders: the
 * rendering sits where listeners render too. It runs inside jobs and schedules, never on a click,
 * so its calls have the job runner's retries behind them.
 *
 * Every new message (the request, a thread note, a notice to the requester) is a crash-safe post
 * (`SlackPoster`, keyed `approval:<id>:…`): a job retried after dying between Slack's answer and the
 * approval's record finds the message instead of posting it again.
 */
export class SlackApprovalPublisher implements ApprovalPublisher {
  private readonly poster: SlackPoster;

  constructor(
    private readonly slack: WebClient,
    private readonly logger?: Pick<AppLogger, 'warn'>,
    /** The crash-safe posts' ledgers; without them (tests) each post is made once per call. */
    private readonly ledgers?: PostLedgers,
  ) {
    this.poster = new SlackPoster(slack);
  }

  private async postOnce(
    key: string,
    channel: string,
    message: RenderedMessage,
    threadTs?: string,
  ): Promise<{ ts: string; channel: string }> {
    const post: OncePost = { key, channel, threadTs, message };
    return this.ledgers ? this.poster.postOnce(this.ledgers(key), post) : this.poster.post(post);
  }

  async postRequest(view: ApprovalView): Promise<{ ts: string; permalink: string | undefined }> {
    const { approval } = view;
    const posted = await this.postOnce(
      `approval:${approval.approvalId}:request`,
      approval.channelId,
      approvalRequestMessage(view),
    );
    const permalink = await this.slack.chat
      .getPermalink({ channel: posted.channel, message_ts: posted.ts })
      .then((result) => result.permalink)
      .catch(() => undefined);
    return { ts: posted.ts, permalink };
  }

  /**
   * Shows the request's current state in place. A message that can no longer be edited (deleted,
   * or its channel archived or gone) is skipped with a warning: retrying cannot help, and the steps
   * after it (telling the requester) must still run.
   */
  async updateRequest(view: ApprovalView): Promise<void> {
    if (!view.approval.messageTs) return;
    const message = approvalRequestMessage(view);
    try {
      await this.slack.chat.update({
        channel: view.approval.channelId,
        ts: view.approval.messageTs,
        text: message.text,
        blocks: message.blocks,
      });
    } catch (error) {
      const code = slackErrorCode(error) ?? '';
      if (!UNREACHABLE_CHANNEL.has(code) && !UNEDITABLE_MESSAGE.has(code)) throw error;
      this.logger?.warn(
        { approvalId: view.approval.approvalId, slackError: code },
        'approval request message can no longer be updated; skipped',
      );
    }
  }

  async postThreadNote(
    approval: Approval,
    note: { kind: 'reminder' | 'escalated'; mentions: string[] },
  ): Promise<void> {
    if (!approval.messageTs) return;
    await this.postOnce(
      `approval:${approval.approvalId}:${note.kind}:${approval.stageIndex}`,
      approval.channelId,
      threadNote(approval, note),
      approval.messageTs,
    );
  }

  /**
   * Tells the requester in the thread they asked from, or in their DM. When that thread's channel no
   * longer takes the bot's messages (archived, bot removed, channel gone), the notice goes to their
   * DM instead: the requester must hear the outcome, and retrying the thread can never succeed.
   */
  async notifyRequester(approval: Approval, notice: RequesterNotice): Promise<string | undefined> {
    const message = requesterNotice(approval, notice);
    const key = `approval:${approval.approvalId}:notice:${notice}${notice === 'stage_approved' ? `:${approval.stageIndex}` : ''}`;
    const { channelId, threadTs } = approval.notify;
    try {
      return (await this.postOnce(key, channelId, message, threadTs)).ts;
    } catch (error) {
      const inDm = channelId === approval.requesterId;
      if (inDm || !UNREACHABLE_CHANNEL.has(slackErrorCode(error) ?? '')) throw error;
      return (await this.postOnce(`${key}:dm`, approval.requesterId, message)).ts;
    }
  }
}

/** Web API errors after which a channel will not take the bot's message, however often it tries. */
const UNREACHABLE_CHANNEL = new Set(['channel_not_found', 'not_in_channel', 'is_archived']);
/** `chat.update` errors for a message that is gone or no longer the bot's to edit. */
const UNEDITABLE_MESSAGE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);
