import { afterEach, beforeEach } from 'vitest';
import { ApprovalRepository } from '../../../app/adapters/dynamo/approval-repo';
import { CampaignRepository } from '../../../app/adapters/dynamo/campaign-repo';
import { createDocumentClient } from '../../../app/adapters/dynamo/client';
import { DedupeRepository } from '../../../app/adapters/dynamo/dedupe-repo';
import { tableNames } from '../../../app/adapters/dynamo/tables';
import { TeamRepository } from '../../../app/adapters/dynamo/team-repo';
import { type Config, loadConfig } from '../../../app/config';
import type { Approval } from '../../../app/domain/approval';
import { AppLogger } from '../../../app/logger';
import type {
  ApprovalPublisher,
  ApprovalView,
  JobEnqueuer,
  OneTimeSchedulerPort,
  RequesterNotice,
} from '../../../app/services/approval-ports';
import { ApprovalService } from '../../../app/services/approvals';
import { approverEntries, SlackApproverDirectory } from '../../../app/services/approver-directory';
import { CampaignCommands } from '../../../app/services/campaign-commands';
import { startLocalDynamo } from '../../../dev/local-dynamo';
import { aTeam } from '../campaign-fixtures';
import { APPROVALS_CHANNEL_ID } from './records';

/** Users of the approval tests. */
export const U = {
  requester: 'U0REQUEST1',
  leader: 'U0LEAD0001',
  leader2: 'U0LEAD0002',
  vp: 'U0VPUSER01',
  both: 'U0BOTHLV01',
  listed: 'U0LISTED01',
  outsider: 'U0OUTSIDE1',
} as const;

/** Fifty more leadership members, for the concurrency test. */
export const MANY_LEADERS = Array.from({ length: 50 }, (_, i) => `U0MANY${String(i).padStart(4, '0')}`);

const GROUPS: Record<string, string[]> = {
  S0LEADERS: [U.leader, U.leader2, U.both, U.requester, ...MANY_LEADERS],
  S0VPS: [U.vp, U.both],
};

/** Records every job enqueued; the same idempotency key is stored once, as the real service does. */
class JobRecorder implements JobEnqueuer {
  readonly jobs: { kind: string; payload: Record<string, unknown>; idempotencyKey?: string }[] = [];
  async enqueue(input: { kind: string; payload: Record<string, unknown>; idempotencyKey?: string }) {
    const existing = input.idempotencyKey
      ? this.jobs.find((job) => job.idempotencyKey === input.idempotencyKey)
      : undefined;
    if (!existing) this.jobs.push(input);
    return { created: !existing };
  }
  ofKind(kind: string) {
    return this.jobs.filter((job) => job.kind === kind);
  }
}

class SchedulerRecorder implements OneTimeSchedulerPort {
  readonly scheduled = new Map<
    string,
    { at: Date; payload: { kind: string; [k: string]: unknown }; clientToken: string }
  >();
  readonly cancelled: string[] = [];
  async scheduleOnce(input: {
    name: string;
    at: Date;
    payload: { kind: string; [k: string]: unknown };
    clientToken: string;
  }) {
    this.scheduled.set(input.name, input);
  }
  async cancel(name: string) {
    this.cancelled.push(name);
    this.scheduled.delete(name);
  }
}

type PublisherCall =
  | { method: 'postRequest' | 'updateRequest'; approval: Approval; mentions: string[] }
  | { method: 'postThreadNote'; approval: Approval; kind: string; mentions: string[] }
  | { method: 'notifyRequester'; approval: Approval; notice: RequesterNotice };

class PublisherRecorder implements ApprovalPublisher {
  readonly calls: PublisherCall[] = [];
  private seq = 0;
  async postRequest(view: ApprovalView) {
    this.calls.push({ method: 'postRequest', approval: view.approval, mentions: view.mentions });
    this.seq += 1;
    return {
      ts: `1700000000.${String(this.seq).padStart(6, '0')}`,
      permalink: `https://example.slack.com/archives/${view.approval.channelId}/p${this.seq}`,
    };
  }
  async updateRequest(view: ApprovalView) {
    this.calls.push({ method: 'updateRequest', approval: view.approval, mentions: view.mentions });
  }
  async postThreadNote(approval: Approval, note: { kind: string; mentions: string[] }) {
    this.calls.push({ method: 'postThreadNote', approval, kind: note.kind, mentions: note.mentions });
  }
  async notifyRequester(approval: Approval, notice: RequesterNotice) {
    this.calls.push({ method: 'notifyRequester', approval, notice });
    return '1700000001.000001';
  }
  of(method: PublisherCall['method']) {
    return this.calls.filter((call) => call.method === method);
  }
}

export interface ApprovalsFixture {
  config: Config;
  approvals: ApprovalService;
  commands: CampaignCommands;
  repo: ApprovalRepository;
  campaigns: CampaignRepository;
  teams: TeamRepository;
  /** The campaign commands' name guard (the dedupe table). */
  nameGuard: DedupeRepository;
  jobs: JobRecorder;
  scheduler: SchedulerRecorder;
  publisher: PublisherRecorder;
  groupCalls: string[];
  setNow(iso: string): void;
  now(): Date;
  close(): Promise<void>;
}

/** Approvals and campaign commands on dynalite, with recorders for jobs, schedules and Slack. */
export async function approvalsFixture(
  env: Record<string, string> = {},
  options: { scheduler?: OneTimeSchedulerPort } = {},
): Promise<ApprovalsFixture> {
  const prefix = 'test-';
  const dynamo = await startLocalDynamo({ prefix });
  const config = loadConfig({
    SLACK_SIGNING_SECRET: 'approvals-test-secret',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    TABLE_PREFIX: prefix,
    APPROVERS_LEADERSHIP: `S0LEADERS,${U.listed}`,
    APPROVERS_VP: 'S0VPS',
    APPROVALS_CHANNEL: APPROVALS_CHANNEL_ID,
    APPROVAL_REMINDER_HOURS: '24',
    APPROVAL_EXPIRY_DAYS: '5',
    ...env,
  });
  let now = new Date('2026-11-22T10:00:00.000Z');
  const clock = () => now;
  const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  const tables = tableNames(prefix);
  const repo = new ApprovalRepository(db, tables.approvals);
  const campaigns = new CampaignRepository(db, tables.campaigns, clock);
  const teams = new TeamRepository(db, tables.teams);
  await teams.create(aTeam());
  await teams.create(aTeam({ teamId: 'team-events', name: 'Field Events', slackChannelId: 'C0EVENTS1' }));
  const jobs = new JobRecorder();
  const scheduler = new SchedulerRecorder();
  const publisher = new PublisherRecorder();
  const groupCalls: string[] = [];
  const directory = new SlackApproverDirectory(
    async (group) => {
      groupCalls.push(group);
      return GROUPS[group] ?? [];
    },
    approverEntries(config),
    clock,
  );
  const nameGuard = new DedupeRepository(db, tables.dedupe, clock);
  let seq = 0;
  const newId = () => `01TEST${String(++seq).padStart(20, '0')}`;
  const logger = new AppLogger({ level: 'error', sink: () => {} });
  const approvals = new ApprovalService({
    repo,
    campaigns,
    directory,
    publisher,
    jobs,
    scheduler: options.scheduler ?? scheduler,
    config,
    clock,
    newId,
    logger,
    channel: () => config.approvals.channel ?? APPROVALS_CHANNEL_ID,
  });
  const commands = new CampaignCommands({
    campaigns,
    teams,
    approvals,
    jobs,
    thresholds: {
      approvalThresholdCents: config.approvals.thresholdCents,
      vpThresholdCents: config.approvals.vpThresholdCents,
    },
    clock,
    newId,
    nameGuard,
  });
  return {
    config,
    approvals,
    commands,
    repo,
    campaigns,
    teams,
    nameGuard,
    jobs,
    scheduler,
    publisher,
    groupCalls,
    setNow: (iso) => {
      now = new Date(iso);
    },
    now: clock,
    close: async () => {
      db.destroy();
      await dynamo.close();
    },
  };
}

/** A valid new-campaign input launching in a month. */
export function newCampaignInput(
  overrides: Partial<import('../../../app/services/campaign-inputs').NewCampaignInput> = {},
) {
  return {
    name: 'Spring Launch',
    type: 'standard' as const,
    tier: 2 as const,
    teamId: 'team-growth',
    budgetCents: 2_500_000,
    launchDate: '2026-12-20',
    endDate: '2027-01-31',
    audience: 'IT leaders',
    channels: ['email', 'paid_social'],
    description: 'Launch of the spring line.',
    ...overrides,
  };
}

/**
 * The approvals service tests' set-up: a fresh fixture per test (hooks registered here) and the
 * steps they share. Call at the top of a test file.
 */
export function useApprovalsService() {
  let f: ApprovalsFixture;
  beforeEach(async () => {
    f = await approvalsFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  /** A campaign over the threshold, created through the commands: its approval is PENDING. */
  async function pendingCampaign(budgetCents = 2_500_000) {
    const result = await f.commands.createCampaign(newCampaignInput({ budgetCents }), {
      slackUserId: U.requester,
    });
    const { approval } = result;
    if (!approval) throw new Error('expected an approval');
    return { ...result, approval };
  }

  /** An approver's click on Approve, optionally naming the stage the message showed (stale-click guard). */
  function approveAs(approvalId: string, actorId: string, expectedStage?: number) {
    return f.approvals.decide({
      approvalId,
      actorId,
      decision: 'approve',
      ...(expectedStage === undefined ? {} : { expectedStage }),
    });
  }

  /** Runs the jobs the service enqueued (publish/finalize), as the job runner would. */
  async function runApprovalJobs() {
    for (const job of f.jobs.jobs.splice(0)) {
      const approvalId = String(job.payload.approvalId ?? '');
      if (job.kind === 'approval.publish') await f.approvals.publish(approvalId);
      else if (job.kind === 'approval.finalize') await f.approvals.finalize(approvalId);
      else f.jobs.jobs.push(job);
    }
  }

  return {
    get f(): ApprovalsFixture {
      return f;
    },
    pendingCampaign,
    approveAs,
    runApprovalJobs,
  };
}
