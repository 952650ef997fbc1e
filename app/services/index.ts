import { ulid } from 'ulid';
import { ApprovalRepository } from '../adapters/dynamo/approval-repo';
import { CampaignRepository } from '../adapters/dynamo/campaign-repo';
import { DedupeRepository } from '../adapters/dynamo/dedupe-repo';
import { EventsLogRepository } from '../adapters/dynamo/events-log-repo';
import { RateLimitRepository } from '../adapters/dynamo/rate-limit-repo';
import { SyncStateRepository } from '../adapters/dynamo/sync-state-repo';
import { TaskRepository } from '../adapters/dynamo/task-repo';
import { TeamRepository } from '../adapters/dynamo/team-repo';
import { WorkflowStateRepository } from '../adapters/dynamo/workflow-state-repo';
import type { RecurringScheduler } from '../adapters/recurring-scheduler';
import type { OneTimeScheduler } from '../adapters/scheduler';
import { slackErrorCode } from '../adapters/slack';
import { SlackChannelAccess, SlackDigestPublisher } from '../adapters/slack-digest-publisher';
import { slackGroupMembers, slackUserReader } from '../adapters/slack-directory';
import { SlackPoster } from '../adapters/slack-post-once';
import type { PostLedgers } from '../domain/outbound-post';
import { ConversationStore } from './agent/conversation-store';
import { AgentFeedbackService } from './agent/feedback';
import { ApprovalService } from './approvals';
import {
  type ApproverDirectory,
  approvalsChannel,
  approverEntries,
  SlackApproverDirectory,
} from './approver-directory';
import { CampaignCommands } from './campaign-commands';
import { CampaignQueryService } from './campaign-query';
import { DigestRunner } from './digest/runner';
import { DigestStore } from './digest/store';
import { DigestSubscriptionService } from './digest/subscriptions';
import type { JobService } from './jobs';
import { createJobServices } from './jobs-wiring';
import { createPostLedgers } from './post-ledger';
import type { ServiceDeps } from './service-deps';
import { SyncService } from './sync';
import { UserProfileService } from './user-profile';

/**
 * The repositories (DynamoDB adapters) of this container. Only composition code holds them: the
 * services built here, the worker's job registry (which builds the worker-only services from
 * them), `dev/` seeding and tests. Listeners, routes, jobs and schedules get `AppDeps`, which has
 * no repository: they reach data only through `Services`.
 */
export interface Repositories {
  campaigns: CampaignRepository;
  tasks: TaskRepository;
  teams: TeamRepository;
  eventsLog: EventsLogRepository;
  workflowState: WorkflowStateRepository;
  syncState: SyncStateRepository;
  /** Delivery claims of the dedupe middleware, and campaign-name claims. */
  dedupe: DedupeRepository;
  /** Outbound rate limits shared by every container (`ratelimit#<service>` items in the dedupe table). */
  rateLimits: RateLimitRepository;
}

/** Builds the repositories over the container's document client; no I/O. */
export function createRepositories(deps: Pick<ServiceDeps, 'db' | 'tables' | 'clock'>): Repositories {
  const { db, tables, clock } = deps;
  return {
    campaigns: new CampaignRepository(db, tables.campaigns, clock),
    tasks: new TaskRepository(db, tables.tasks, clock),
    teams: new TeamRepository(db, tables.teams),
    eventsLog: new EventsLogRepository(db, tables.eventsLog, clock),
    workflowState: new WorkflowStateRepository(db, tables.workflowState, clock),
    syncState: new SyncStateRepository(db, tables.syncState, clock),
    dedupe: new DedupeRepository(db, tables.dedupe, clock),
    rateLimits: new RateLimitRepository(db, tables.dedupe),
  };
}

/**
 * The domain services the listeners, routes, jobs and handlers use. Services never import Bolt or
 * blocks; they take and return plain data. No repository is here (see `Repositories`).
 */
export interface Services {
  /** Read-side campaign lookups for `/mcc status` and `/mcc campaigns`. */
  campaignQuery: CampaignQueryService;
  /** `users.info` (time zone, locale, name) with a short per-container cache. */
  userProfiles: UserProfileService;
  /** Durable jobs: enqueue (persist, then dispatch), run (claim), sweep. */
  jobs: JobService;
  /** One-time schedules (EventBridge Scheduler in the cloud, in-process locally). */
  scheduler: OneTimeScheduler;
  /** Recurring `cron(…)` schedules in a time zone (digests): EventBridge in the cloud, in-process locally. */
  recurringScheduler: RecurringScheduler;
  /** Approval requests: exactly-once decisions, reminders, expiry, audit trail. */
  approvals: ApprovalService;
  /** Who may decide approvals (configured groups/users; membership cached briefly). */
  approverDirectory: ApproverDirectory;
  /** Create campaigns and change budgets through the policy engine (modal, commands, agent). */
  campaignCommands: CampaignCommands;
  /** A channel's digest settings and their recurring schedule (`/mcc digest`, App Home). */
  digestSubscriptions: DigestSubscriptionService;
  /** Builds and posts digests exactly once per channel and day; recovers missed runs. */
  digests: DigestRunner;
  /** Two-way sync with Workfront/Asana: webhook intake, change hook, conflicts (work-system calls run in jobs). */
  sync: SyncService;
  /** Agent conversations, `/mcc ask` records and pending actions (workflow-state). */
  conversations: ConversationStore;
  /** 👍 / 👎 on agent answers (events log). */
  agentFeedback: AgentFeedbackService;
  /** The records of crash-safe posts, by post key (`app/domain/outbound-post.ts`). */
  posts: PostLedgers;
  // Provisioning (Workfront/Asana) and the agent are not here: only their jobs run them, so the job
  // registry builds them and the HTTP function's bundle carries no work-system or Bedrock client.
}

/** Builds the services over `deps.repositories`; no I/O. */
export function createServices(deps: ServiceDeps & { repositories: Repositories }): Services {
  const { db, tables, clock, repositories } = deps;
  const { campaigns, tasks, teams } = repositories;
  const { jobs, scheduler, recurring } = createJobServices(deps);
  const approverDirectory = new SlackApproverDirectory(
    slackGroupMembers(deps.slack),
    approverEntries(deps.config),
    clock,
  );
  const approvalRepo = new ApprovalRepository(db, tables.approvals);
  const { eventsLog, workflowState, syncState } = repositories;
  let approvalsRef: ApprovalService | undefined;
  const sync = new SyncService({
    config: deps.config,
    repo: syncState,
    eventsLog,
    campaigns,
    tasks,
    dedupe: repositories.dedupe,
    jobs,
    approvals: () => {
      if (!approvalsRef) throw new Error('approvals not built yet');
      return approvalsRef;
    },
    clock,
    logger: deps.logger,
  });
  const approvals = new ApprovalService({
    repo: approvalRepo,
    campaigns,
    directory: approverDirectory,
    publisher: deps.approvalPublisher,
    jobs,
    scheduler,
    config: deps.config,
    clock,
    newId: ulid,
    logger: deps.logger,
    channel: () => approvalsChannel(deps.config),
    sync,
  });
  approvalsRef = approvals;
  const campaignCommands = new CampaignCommands({
    campaigns,
    teams,
    activity: eventsLog,
    logger: deps.logger,
    approvals,
    jobs,
    thresholds: {
      approvalThresholdCents: deps.config.approvals.thresholdCents,
      vpThresholdCents: deps.config.approvals.vpThresholdCents,
    },
    clock,
    newId: ulid,
    nameGuard: repositories.dedupe,
    sync,
  });
  const digestStore = new DigestStore(workflowState, clock);
  return {
    digestSubscriptions: new DigestSubscriptionService({
      store: digestStore,
      scheduler: recurring,
      channels: new SlackChannelAccess(deps.slack),
      clock,
      logger: deps.logger,
    }),
    digests: new DigestRunner({
      store: digestStore,
      sources: {
        teams,
        campaigns,
        tasks,
        approvals: approvalRepo,
        activity: eventsLog,
        conflicts: syncState,
      },
      publisher: new SlackDigestPublisher(deps.slack, new SlackPoster(deps.slack, clock)),
      slackErrorCode,
      clock,
      logger: deps.logger,
    }),
    approvals,
    approverDirectory,
    campaignCommands,
    jobs,
    scheduler,
    recurringScheduler: recurring,
    campaignQuery: new CampaignQueryService({ campaigns, tasks, teams }),
    userProfiles: new UserProfileService({
      readUser: slackUserReader(deps.slack),
      clock,
      logger: deps.logger,
    }),
    conversations: new ConversationStore(workflowState, clock),
    agentFeedback: new AgentFeedbackService(eventsLog),
    sync,
    posts: createPostLedgers(workflowState, clock),
  };
}
