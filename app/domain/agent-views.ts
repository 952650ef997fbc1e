import type { RenderedMessage } from './rendered-message';

/** One retrieved reference, as the final message cites it. */
export interface AgentCitation {
  title: string;
  url: string | undefined;
}

/**
 * What the turn runner hands to the renderer (implemented in `blocks/agent-answer.ts`). Services
 * decide *what* to say; the renderer decides the Block Kit. All text here is Slack mrkdwn already
 * converted and checked by the guardrail.
 */
export interface AnswerView {
  bodyMrkdwn: string;
  collaborators: string[];
  citations: AgentCitation[];
  /** Context lines under the answer: privacy note, "incomplete", "offline agent", policy messages. */
  notes: string[];
  /** Reference stored with a feedback click (`<conversation key>|<turn>`); no buttons when absent. */
  feedbackRef?: string | undefined;
  /** `/mcc ask`: the ask id behind "Share in channel". */
  shareAskId?: string | undefined;
  /** Offline agent: offer the new-campaign modal button. */
  offerNewCampaign?: boolean | undefined;
}

interface ConfirmCallView {
  title: string;
  details: string[];
}

export interface ConfirmView {
  introMrkdwn: string;
  calls: ConfirmCallView[];
  /** `<conversation key>|<invocation id>`: what the Confirm / Cancel buttons carry. */
  pendingRef: string;
  /** Only this user may press the buttons. */
  userId: string;
}

export interface AgentRenderer {
  /** The "working…" placeholder. */
  working(): RenderedMessage;
  /** A streamed, partial answer; `status` replaces the "still writing" line (a heartbeat). */
  progress(bodyMrkdwn: string, status?: string): RenderedMessage;
  /** The final answer, split into as many messages as Slack's limits need (≥ 1). */
  answer(view: AnswerView): RenderedMessage[];
  /** Confirm / Cancel for actions the agent may only run once the user agrees. */
  confirm(view: ConfirmView): RenderedMessage;
  /** A short status line: an error, "waiting for approval", "cancelled". */
  notice(mrkdwn: string, context?: string): RenderedMessage;
}
