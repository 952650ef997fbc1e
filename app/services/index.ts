import { ulid } from 'ulid';
import { ApprovalRepository } from '../adapters/dynamo/approval-repo';
import { CampaignRepository } from '../adapters/dynamo/campaign-repo';
import { DedupeRepository } from '../adapters/dynamo/dedupe-repo';
import { EventsLogRepository } from '../adapters/dynamo/events-log-repo';
import { SyncStateRepository } from '../adapters/dynamo/sync-state-repo';
import { TaskRepository } from '../adapters/dynamo/task-repo';
import { TeamRepository } from '../adapters/dynamo/team-repo';
import { WorkflowStateRepository } from '../adapters/dynamo/workflow-state-repo';
import type { RecurringScheduler } from '../adapters/recurring-scheduler';
import type { OneTimeScheduler } from '../adapters/scheduler';
import { slackErrorCode } from '../adapters/slack';
import { SlackChannelAccess, SlackDigestPublisher } from '../adapters/slack-digest-publisher';
import { slackGroupMembers, slackUserReader } from '../adapters/slack-directory';
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
import { createJobServices, type JobService } from './jobs';
import type { ServiceDeps } from './service-deps';
import { UserProfileService } from './user-profile';

/**
 * The domain services and repositories the listeners, routes and handlers use. Services never
 * import Bolt; they take and return plain data.
 */
export interface Services {
  dedupe: DedupeRepository;
  campaigns: CampaignRepository;
  tasks: TaskRepository;
  teams: TeamRepository;
  eventsLog: EventsLogRepository;
  workflowState: WorkflowStateRepository;
  syncState: SyncStateRepository;
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
  // Provisioning (Workfront/Asana) is not here: only its job runs it, so the job registry builds it
  // (`createCampaignProvisioning`) and the HTTP function's bundle carries no work-system client.
}

export function createServices(deps: ServiceDeps): Services {
  const { db, tables, clock } = deps;
  const campaigns = new CampaignRepository(db, tables.campaigns, clock);
  const tasks = new TaskRepository(db, tables.tasks, clock);
  const teams = new TeamRepository(db, tables.teams);
  const { jobs, scheduler, recurring } = createJobServices(deps);
  const dedupe = new DedupeRepository(db, tables.dedupe, clock);
  const approverDirectory = new SlackApproverDirectory(
    slackGroupMembers(deps.slack),
    approverEntries(deps.config),
    clock,
  );
  const approvalRepo = new ApprovalRepository(db, tables.approvals);
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
  });
  const eventsLog = new EventsLogRepository(db, tables.eventsLog, clock);
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
    nameGuard: dedupe,
  });
  const workflowState = new WorkflowStateRepository(db, tables.workflowState, clock);
  const syncState = new SyncStateRepository(db, tables.syncState, clock);
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
      publisher: new SlackDigestPublisher(deps.slack),
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
    dedupe,
    campaigns,
    tasks,
    teams,
    campaignQuery: new CampaignQueryService({ campaigns, tasks, teams }),
    userProfiles: new UserProfileService({
      readUser: slackUserReader(deps.slack),
      clock,
      logger: deps.logger,
    }),
    eventsLog,
    workflowState,
    syncState,
  };
}
