import type { EventsLogRepository } from '../../adapters/dynamo/events-log-repo';

/** One 👍 / 👎 on an agent answer. */
export interface AgentVote {
  userId: string;
  /** The conversation key the answer belongs to (or the button's whole value when it has no turn). */
  conversation: string;
  turn: string | null;
  vote: 'up' | 'down';
  channelId?: string | undefined;
  messageTs?: string | undefined;
}

/** Stores votes on agent answers in the events log (stream `feedback`), with what they rate. */
export class AgentFeedbackService {
  constructor(private readonly eventsLog: Pick<EventsLogRepository, 'append'>) {}

  /** Appends one vote; the events log keeps it with the voter as actor. */
  async record(vote: AgentVote): Promise<void> {
    await this.eventsLog.append({
      stream: 'feedback',
      type: 'agent.feedback',
      actor: vote.userId,
      data: {
        conversation: vote.conversation,
        turn: vote.turn,
        vote: vote.vote,
        ...(vote.channelId ? { channelId: vote.channelId } : {}),
        ...(vote.messageTs ? { messageTs: vote.messageTs } : {}),
      },
    });
  }
}
