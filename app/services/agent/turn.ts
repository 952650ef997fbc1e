import type { AgentInvoker } from '../../adapters/bedrock';
import type { Config } from '../../config';
import type { AgentRenderer } from '../../domain/agent-views';
import type { AppLogger } from '../../logger';
import type { UserProfile } from '../user-profile';
import type { ActionExecutor } from './action-executor';
import type { ConversationStore, ReplyTarget } from './conversation-store';
import type { OfflineAgent } from './offline-agent';
import type { ReplySurface } from './reply-surface';

/** What one agent job gives the turn: its id, deadline, attempt and logger. */
export interface TurnContext {
  /** The job running this turn: actions are recorded per job, so a retry never repeats one. */
  jobId?: string | undefined;
  deadline: Date;
  isFinalAttempt: boolean;
  logger: AppLogger;
}

export type ApprovalRole = 'leadership' | 'vp' | 'none';

export interface AgentServiceDeps {
  config: Pick<Config, 'bedrock'>;
  logger: AppLogger;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  conversations: ConversationStore;
  /** The surface a turn writes to; `jobId` (the job writing) keys its posts so a retry never posts twice. */
  surfaces: (target: ReplyTarget, jobId?: string) => ReplySurface;
  renderer: AgentRenderer;
  profiles: { get(userId: string): Promise<UserProfile> };
  approvalRole: (userId: string) => Promise<ApprovalRole>;
  /** Names of the marketing teams the user works in (session attribute `marketingTeams`); optional. */
  teamsOf?: (userId: string) => Promise<string[]>;
  /** Who decided an approval and why (for the result returned to the agent); optional. */
  approvalDetails?: (
    approvalId: string,
  ) => Promise<{ reason?: string | undefined; decidedBy?: string | undefined } | undefined>;
  /** Undefined: the offline agent answers. */
  invoker: AgentInvoker | undefined;
  offline: OfflineAgent;
  executor: ActionExecutor;
  /**
   * How long a threaded answer may look idle before a heartbeat update ("still working… (N s)").
   * Default `HEARTBEAT_MS`; tests shorten it.
   */
  heartbeatMs?: number;
}

/** One turn (or one resumed turn) as its parts see it. */
export interface TurnScope {
  conversationKey: string;
  teamId: string;
  userId: string;
  target: ReplyTarget;
  /** What a 👍/👎 click on this answer records: `<conversation key>|<turn>`. */
  feedbackRef: string;
  ctx: TurnContext;
  /** Calls per function run so far in this job (the key of each action's run record). */
  actionCounts: Map<string, number>;
}

/** The channel a turn's conversation lives in. */
export function conversationChannel(target: ReplyTarget): string {
  return target.channelId;
}
