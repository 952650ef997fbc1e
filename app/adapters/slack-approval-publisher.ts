import type { WebClient } from '@slack/web-api';
import { approvalRequestMessage, requesterNotice, threadNote } from '../../blocks/approval-message';
import type { Approval } from '../domain/approval';
import { SlackApiError } from '../errors';
import type { ApprovalPublisher, ApprovalView, RequesterNotice } from '../services/approvals';

/**
 * The Slack side of approvals: renders with blocks/ (pure) and calls the Web API. It lives with the
 * adapters so the approvals service holds no Block Kit; it runs inside jobs and schedules, never on
 * a click, so its calls have the job runner's retries behind them.
 */
export class SlackApprovalPublisher implements ApprovalPublisher {
  constructor(private readonly slack: WebClient) {}

  async postRequest(view: ApprovalView): Promise<{ ts: string; permalink: string | undefined }> {
    const message = approvalRequestMessage(view);
    const posted = await this.slack.chat.postMessage({
      channel: view.approval.channelId,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
    if (!posted.ts) throw new SlackApiError('chat.postMessage returned no ts for the approval request');
    const permalink = await this.slack.chat
      .getPermalink({ channel: posted.channel ?? view.approval.channelId, message_ts: posted.ts })
      .then((result) => result.permalink)
      .catch(() => undefined);
    return { ts: posted.ts, permalink };
  }

  async updateRequest(view: ApprovalView): Promise<void> {
    if (!view.approval.messageTs) return;
    const message = approvalRequestMessage(view);
    await this.slack.chat.update({
      channel: view.approval.channelId,
      ts: view.approval.messageTs,
      text: message.text,
      blocks: message.blocks,
    });
  }

  async postThreadNote(
    approval: Approval,
    note: { kind: 'reminder' | 'escalated'; mentions: string[] },
  ): Promise<void> {
    if (!approval.messageTs) return;
    const message = threadNote(approval, note);
    await this.slack.chat.postMessage({
      channel: approval.channelId,
      thread_ts: approval.messageTs,
      text: message.text,
      blocks: message.blocks,
    });
  }

  async notifyRequester(approval: Approval, notice: RequesterNotice): Promise<string | undefined> {
    const message = requesterNotice(approval, notice);
    const posted = await this.slack.chat.postMessage({
      channel: approval.notify.channelId,
      ...(approval.notify.threadTs ? { thread_ts: approval.notify.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
    return posted.ts;
  }
}
