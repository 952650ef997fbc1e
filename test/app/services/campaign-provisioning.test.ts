import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AsanaClient } from '../../../app/adapters/asana';
import { CampaignRepository } from '../../../app/adapters/dynamo/campaign-repo';
import { createDocumentClient } from '../../../app/adapters/dynamo/client';
import { tableNames } from '../../../app/adapters/dynamo/tables';
import { TaskRepository } from '../../../app/adapters/dynamo/task-repo';
import { TeamRepository } from '../../../app/adapters/dynamo/team-repo';
import { WorkflowStateRepository } from '../../../app/adapters/dynamo/workflow-state-repo';
import { STAND_IN_BOT_TOKEN } from '../../../app/adapters/slack';
import { WorkfrontClient } from '../../../app/adapters/workfront';
import type { Campaign, Team } from '../../../app/domain/model';
import { DownstreamError } from '../../../app/errors';
import { AppLogger } from '../../../app/logger';
import { createSlackCampaignAnnouncer } from '../../../app/outbound/slack-campaign-announcer';
import {
  CampaignProvisioningService,
  ProvisionState,
  provisionStateKey,
} from '../../../app/services/campaign-provisioning';
import { type AsanaStandIn, startAsanaStandIn } from '../../../dev/asana-standin';
import { startLocalDynamo } from '../../../dev/local-dynamo';
import { type SlackStandIn, startSlackStandIn } from '../../../dev/slack-standin';
import { startWorkfrontStandIn, type WorkfrontStandIn } from '../../../dev/workfront-standin';

const NOW = new Date('2026-11-23T15:00:00.000Z');
const clock = () => NOW;
const OWNER = 'U0LOCALUSER';
const LEGAL = 'U0LOCALLEAD';

let dynamo: { endpoint: string; close(): Promise<void> };
let db: DynamoDBDocumentClient;
let repos: {
  campaigns: CampaignRepository;
  tasks: TaskRepository;
  teams: TeamRepository;
  workflowState: WorkflowStateRepository;
};
let slackStandIn: SlackStandIn;
let workfront: WorkfrontStandIn;
let asana: AsanaStandIn;
let counter = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo({ prefix: 'prov-' });
  db = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  const tables = tableNames('prov-');
  repos = {
    campaigns: new CampaignRepository(db, tables.campaigns, clock),
    tasks: new TaskRepository(db, tables.tasks, clock),
    teams: new TeamRepository(db, tables.teams),
    workflowState: new WorkflowStateRepository(db, tables.workflowState, clock),
  };
  // Own fixtures, so the test does not depend on the demo data.
  slackStandIn = await startSlackStandIn({
    users: [OWNER, LEGAL, 'U0LOCALVP'].map((id, i) => ({
      id,
      name: `person${i}`,
      realName: `Person ${i}`,
      tz: 'America/New_York',
      email: `person${i}@example.com`,
    })),
    userGroups: [],
    channels: [
      { id: 'C0MARKETING', name: 'marketing' },
      { id: 'C0PRIVATE', name: 'growth-private', isMember: false },
    ],
  });
});
afterAll(async () => {
  await slackStandIn.close();
  await dynamo.close();
});
beforeEach(async () => {
  slackStandIn.reset();
  workfront = await startWorkfrontStandIn();
  asana = await startAsanaStandIn();
});
afterEach(async () => {
  await workfront.close();
  await asana.close();
});

const logger = new AppLogger({ level: 'error', sink: () => {} });
const slack = () =>
  new WebClient(STAND_IN_BOT_TOKEN, {
    slackApiUrl: slackStandIn.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });

async function seed(overrides: Partial<Campaign> = {}, team: Partial<Team> = {}) {
  counter += 1;
  const teamId = `team-${counter}`;
  await repos.teams.create({
    teamId,
    name: 'Growth',
    slackChannelId: 'C0MARKETING',
    timezone: 'America/New_York',
    version: 1,
    ...team,
  });
  const campaign = await repos.campaigns.create({
    campaignId: `cmp-${counter}`,
    name: 'Spring Launch',
    type: 'standard',
    tier: 1,
    status: 'PLANNED',
    ownerSlackId: OWNER,
    teamId,
    budgetCents: 850_000,
    launchDate: '2027-01-20',
    channels: ['email', 'web'],
    description: 'Launch of the spring line.',
    createdBy: OWNER,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    version: 1,
    ...overrides,
  });
  return campaign;
}

function service(
  options: {
    wfFetch?: typeof fetch;
    asanaFetch?: typeof fetch;
    workfront?: false;
    asana?: false;
    clock?: () => Date;
  } = {},
) {
  return new CampaignProvisioningService({
    ...repos,
    announcer: createSlackCampaignAnnouncer(slack(), logger),
    workfront:
      options.workfront === false
        ? undefined
        : new WorkfrontClient({
            baseUrl: workfront.baseUrl,
            apiKey: workfront.apiKey,
            ...(options.wfFetch ? { fetch: options.wfFetch } : {}),
          }),
    asana:
      options.asana === false
        ? undefined
        : {
            client: new AsanaClient({
              baseUrl: asana.baseUrl,
              accessToken: asana.accessToken,
              ...(options.asanaFetch ? { fetch: options.asanaFetch } : {}),
            }),
            workspaceGid: asana.workspaceGid,
          },
    clock: options.clock ?? clock,
    logger,
  });
}

/** A fetch that queues a stand-in failure just before the n-th request matching `match`. */
function failOnNth(
  standin: { failNext: WorkfrontStandIn['failNext'] },
  match: (method: string, path: string) => boolean,
  n: number,
  failure: Parameters<WorkfrontStandIn['failNext']>[1],
  failMatch: string,
): typeof fetch {
  let seen = 0;
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (match(init?.method ?? 'GET', url.pathname) && ++seen === n) standin.failNext(failMatch, failure);
    return fetch(input, init);
  };
}

const isTaskPost = (method: string, path: string) => method === 'POST' && /\/TASK$/i.test(path);

describe('CampaignProvisioningService — Workfront (standard, tier 1)', () => {
  it('creates the project and its tasks, stores the ids, and announces in the team channel', async () => {
    // Prepare
    const campaign = await seed();
    // Act
    const result = await service().provision(campaign.campaignId);
    // Assess: one project, eight tasks, with finish-to-start predecessors
    const [project] = workfront.projects();
    expect(workfront.projects()).toHaveLength(1);
    expect(project).toMatchObject({ name: 'Spring Launch', extRefID: campaign.campaignId, status: 'CUR' });
    const wfTasks = workfront.tasks();
    expect(wfTasks.map((t) => t.name)).toEqual([
      'Campaign brief',
      'Creative development',
      'Legal review',
      'Landing page',
      'Email build',
      'QA and sign-off',
      'Launch',
      'Post-launch report',
    ]);
    const idOf = (name: string) => wfTasks.find((t) => t.name === name)?.ID;
    expect(wfTasks.find((t) => t.name === 'QA and sign-off')?.predecessors).toEqual(
      ['Legal review', 'Landing page', 'Email build'].map((n) => ({
        predecessorID: idOf(n),
        predecessorType: 'fs',
      })),
    );
    expect(wfTasks.find((t) => t.name === 'Launch')?.plannedCompletionDate).toBe('2027-01-20');
    expect(result).toMatchObject({
      outcome: 'provisioned',
      workSystem: 'workfront',
      projectId: project?.ID,
      projectUrl: `${workfront.baseUrl}/project/${project?.ID}`,
      taskCount: 8,
    });
    // …the campaign points at the project
    const stored = await repos.campaigns.get(campaign.campaignId);
    expect(stored).toMatchObject({
      workSystem: 'workfront',
      externalProjectId: project?.ID,
      externalProjectUrl: `${workfront.baseUrl}/project/${project?.ID}`,
      version: 2,
    });
    // …Command Center tasks carry the external ids and owners; legal stays unassigned
    const tasks = await repos.tasks.listByCampaign(campaign.campaignId);
    expect(tasks).toHaveLength(8);
    expect(
      tasks.every((t) => t.workSystem === 'workfront' && t.externalId && t.status === 'NOT_STARTED'),
    ).toBe(true);
    expect(tasks.find((t) => t.taskId === 'legal-review')?.ownerSlackId).toBeUndefined();
    expect(tasks.find((t) => t.taskId === 'brief')?.ownerSlackId).toBe(OWNER);
    expect(tasks.find((t) => t.taskId === 'qa')?.dependsOn).toEqual([
      'legal-review',
      'landing-page',
      'email-build',
    ]);
    expect(tasks.find((t) => t.taskId === 'launch')?.milestone).toBe(true);
    // …and the team channel got the announcement
    const [message] = slackStandIn.messages('C0MARKETING');
    expect(slackStandIn.messages('C0MARKETING')).toHaveLength(1);
    const blocks = JSON.stringify(message?.blocks);
    expect(blocks).toContain('New campaign: Spring Launch');
    expect(blocks).toContain(`<${workfront.baseUrl}/project/${project?.ID}|Open in Workfront>`);
    expect(blocks).toContain('8 in Workfront');
    expect(blocks).toContain('$8,500');
    expect(blocks).toContain('Unassigned: Legal review');
    expect(message?.text).toContain('Spring Launch');
    // …and the workflow record says it is done
    const state = await repos.workflowState.get(provisionStateKey(campaign.campaignId), ProvisionState);
    expect(state?.data.completedAt).toBe(NOW.toISOString());
    expect(Object.keys(state?.data.externalTasks ?? {})).toHaveLength(8);
  });

  it('assigns mapped roles to the team’s people', async () => {
    // Prepare
    const campaign = await seed({}, { roleOwners: { legal: LEGAL, creative: 'U0LOCALVP' } });
    // Act
    await service().provision(campaign.campaignId);
    // Assess
    const tasks = await repos.tasks.listByCampaign(campaign.campaignId);
    expect(tasks.find((t) => t.taskId === 'legal-review')?.ownerSlackId).toBe(LEGAL);
    expect(tasks.find((t) => t.taskId === 'creative')?.ownerSlackId).toBe('U0LOCALVP');
    expect(JSON.stringify(slackStandIn.messages('C0MARKETING')[0]?.blocks)).not.toContain('Unassigned');
  });

  it('a second run changes nothing', async () => {
    // Prepare
    const campaign = await seed();
    await service().provision(campaign.campaignId);
    const callsBefore = workfront.calls().length;
    // Act
    const again = await service().provision(campaign.campaignId);
    // Assess
    expect(again.outcome).toBe('already_provisioned');
    expect(workfront.calls()).toHaveLength(callsBefore);
    expect(slackStandIn.messages('C0MARKETING')).toHaveLength(1);
  });

  it('resumes after the 3rd task failed: exactly one project and each task once', async () => {
    // Prepare
    const campaign = await seed();
    const flaky = failOnNth(workfront, isTaskPost, 3, { status: 500 }, 'POST /attask/api/v15.0/TASK');
    // Act
    const first = await service({ wfFetch: flaky })
      .provision(campaign.campaignId)
      .catch((e: unknown) => e);
    const second = await service({ wfFetch: flaky }).provision(campaign.campaignId);
    // Assess
    expect(first).toBeInstanceOf(DownstreamError);
    expect(first).toMatchObject({ retryable: true, service: 'workfront' });
    expect(second.outcome).toBe('provisioned');
    expect(workfront.projects()).toHaveLength(1);
    const names = workfront.tasks().map((t) => t.name);
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(8);
    expect(await repos.tasks.listByCampaign(campaign.campaignId)).toHaveLength(8);
    expect(slackStandIn.messages('C0MARKETING')).toHaveLength(1);
  });

  it('a retry days later plans from the first run’s day, so due dates do not move', async () => {
    // Prepare: launch in 10 days, so early tasks are clamped to "today"
    const campaign = await seed({ tier: 3, launchDate: '2026-12-03' });
    const flaky = failOnNth(workfront, isTaskPost, 2, { status: 500 }, 'POST /attask/api/v15.0/TASK');
    await service({ wfFetch: flaky })
      .provision(campaign.campaignId)
      .catch(() => undefined);
    // Act: the retry runs five days later
    await service({ wfFetch: flaky, clock: () => new Date('2026-11-28T15:00:00.000Z') }).provision(
      campaign.campaignId,
    );
    // Assess
    const tasks = await repos.tasks.listByCampaign(campaign.campaignId);
    expect(tasks.find((t) => t.taskId === 'brief')?.dueDate).toBe('2026-11-23');
    expect(tasks.find((t) => t.taskId === 'creative')?.dueDate).toBe('2026-11-26');
    expect(workfront.tasks().find((t) => t.name === 'Creative development')?.plannedCompletionDate).toBe(
      '2026-11-26',
    );
  });

  it('adopts what a lost response created instead of creating it twice', async () => {
    // Prepare: the project create and the 3rd task create succeed in Workfront but answer 502
    const campaign = await seed();
    workfront.failNext('POST /attask/api/v15.0/PROJ', { status: 502, afterCommit: true });
    const flaky = failOnNth(
      workfront,
      isTaskPost,
      3,
      { status: 502, afterCommit: true },
      'POST /attask/api/v15.0/TASK',
    );
    // Act
    const first = await service({ wfFetch: flaky })
      .provision(campaign.campaignId)
      .catch((e: unknown) => e);
    const second = await service({ wfFetch: flaky })
      .provision(campaign.campaignId)
      .catch((e: unknown) => e);
    const third = await service({ wfFetch: flaky }).provision(campaign.campaignId);
    // Assess
    expect(first).toMatchObject({ retryable: true });
    expect(second).toMatchObject({ retryable: true });
    expect(third.outcome).toBe('provisioned');
    expect(workfront.projects()).toHaveLength(1);
    expect(workfront.tasks()).toHaveLength(8);
    expect(new Set(workfront.tasks().map((t) => t.name)).size).toBe(8);
  });

  it('never sends a DELETE to Workfront', async () => {
    // Prepare
    const campaign = await seed();
    // Act
    await service().provision(campaign.campaignId);
    // Assess
    expect(workfront.calls().filter((c) => c.method === 'DELETE')).toEqual([]);
  });

  it('fails for good with a clear message when Workfront is not configured', async () => {
    // Prepare
    const campaign = await seed();
    // Act
    const error = await service({ workfront: false })
      .provision(campaign.campaignId)
      .catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(DownstreamError);
    expect(error).toMatchObject({ retryable: false, service: 'workfront' });
    expect((error as Error).message).toContain('WORKFRONT_BASE_URL');
    expect(slackStandIn.messages('C0MARKETING')).toHaveLength(0);
  });

  it('skips a campaign still waiting for approval', async () => {
    // Prepare
    const campaign = await seed({ status: 'PENDING_APPROVAL' });
    // Act
    const result = await service().provision(campaign.campaignId);
    // Assess
    expect(result).toMatchObject({ outcome: 'skipped' });
    expect(workfront.calls()).toHaveLength(0);
  });

  it('tells the owner by DM when the bot is not in the team channel', async () => {
    // Prepare
    const campaign = await seed({}, { slackChannelId: 'C0PRIVATE' });
    // Act
    const result = await service().provision(campaign.campaignId);
    // Assess
    expect(result.outcome).toBe('provisioned');
    expect(slackStandIn.messages('C0PRIVATE')).toHaveLength(0);
    const dm = slackStandIn.messages(OWNER);
    expect(dm).toHaveLength(1);
    expect(JSON.stringify(dm[0]?.blocks)).toContain('could not post this in the team channel');
  });
});

describe('CampaignProvisioningService — Asana (event)', () => {
  it('creates the project, tasks, milestone and dependencies in Asana and announces', async () => {
    // Prepare
    const campaign = await seed({ type: 'event', name: 'Customer Summit', launchDate: '2027-03-10' });
    // Act
    const result = await service().provision(campaign.campaignId);
    // Assess
    const [project] = asana.projects();
    expect(asana.projects()).toHaveLength(1);
    // The last task (follow-up, launch + 3 = Saturday) moves back to Friday; the project ends with it.
    expect(project).toMatchObject({ name: 'Customer Summit', due_on: '2027-03-12', start_on: '2026-11-23' });
    expect(String(project?.notes)).toContain(`[mcc:${campaign.campaignId}]`);
    const tasks = asana.tasks();
    expect(tasks.map((t) => t.name)).toEqual([
      'Venue and logistics',
      'Speakers and agenda',
      'Registration page',
      'Event promotion',
      'Run of show',
      'Event day',
      'Attendee follow-up',
    ]);
    const gid = (name: string) => tasks.find((t) => t.name === name)?.gid ?? '';
    expect(tasks.find((t) => t.name === 'Event day')).toMatchObject({
      resource_subtype: 'milestone',
      due_on: '2027-03-10',
    });
    expect(asana.dependencies()[gid('Event day')]).toEqual([gid('Run of show'), gid('Registration page')]);
    expect(asana.dependencies()[gid('Run of show')]).toEqual([
      gid('Venue and logistics'),
      gid('Speakers and agenda'),
    ]);
    expect(result).toMatchObject({ outcome: 'provisioned', workSystem: 'asana', taskCount: 7 });
    expect(await repos.campaigns.get(campaign.campaignId)).toMatchObject({
      workSystem: 'asana',
      externalProjectId: project?.gid,
      externalProjectUrl: project?.permalink_url,
    });
    const stored = await repos.tasks.listByCampaign(campaign.campaignId);
    expect(stored.every((t) => t.workSystem === 'asana' && /^\d+$/.test(t.externalId ?? ''))).toBe(true);
    const blocks = JSON.stringify(slackStandIn.messages('C0MARKETING')[0]?.blocks);
    expect(blocks).toContain('Open in Asana');
    expect(blocks).toContain('7 in Asana');
    expect(workfront.calls()).toHaveLength(0);
  });

  it('resumes after a lost task response without duplicating tasks', async () => {
    // Prepare
    const campaign = await seed({ type: 'event', tier: 2, launchDate: '2027-03-10' });
    const flaky = failOnNth(
      asana,
      (m, p) => m === 'POST' && p.endsWith('/tasks'),
      3,
      { status: 503, afterCommit: true },
      'POST /api/1.0/tasks',
    );
    // Act
    const first = await service({ asanaFetch: flaky })
      .provision(campaign.campaignId)
      .catch((e: unknown) => e);
    const second = await service({ asanaFetch: flaky }).provision(campaign.campaignId);
    // Assess
    expect(first).toMatchObject({ retryable: true, service: 'asana' });
    expect(second.outcome).toBe('provisioned');
    expect(asana.projects()).toHaveLength(1);
    expect(asana.tasks()).toHaveLength(6);
    expect(new Set(asana.tasks().map((t) => t.name)).size).toBe(6);
  });

  it('finds the project a lost response created', async () => {
    // Prepare
    const campaign = await seed({ type: 'event', tier: 3, launchDate: '2027-03-10' });
    asana.failNext('POST /api/1.0/projects', { status: 504, afterCommit: true });
    // Act
    await service()
      .provision(campaign.campaignId)
      .catch(() => undefined);
    const result = await service().provision(campaign.campaignId);
    // Assess
    expect(result.outcome).toBe('provisioned');
    expect(asana.projects()).toHaveLength(1);
  });

  it('carries on without dependencies on a free Asana plan and says so', async () => {
    // Prepare
    await asana.close();
    asana = await startAsanaStandIn({ dependenciesRequirePremium: true });
    const campaign = await seed({ type: 'event', tier: 3, launchDate: '2027-03-10' });
    // Act
    const result = await service().provision(campaign.campaignId);
    // Assess
    expect(result.outcome).toBe('provisioned');
    expect(asana.calls().filter((c) => c.path.endsWith('/addDependencies'))).toHaveLength(1);
    expect(JSON.stringify(slackStandIn.messages('C0MARKETING')[0]?.blocks)).toContain(
      'Task dependencies were not set',
    );
  });

  it('fails for good when Asana is not configured', async () => {
    // Prepare
    const campaign = await seed({ type: 'event' });
    // Act
    const error = await service({ asana: false })
      .provision(campaign.campaignId)
      .catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: false, service: 'asana' });
    expect((error as Error).message).toContain('ASANA_ACCESS_TOKEN');
  });
});
