import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { AsanaClient } from '../../app/adapters/asana';
import { CampaignRepository } from '../../app/adapters/dynamo/campaign-repo';
import { createDocumentClient } from '../../app/adapters/dynamo/client';
import { tableNames } from '../../app/adapters/dynamo/tables';
import { TaskRepository } from '../../app/adapters/dynamo/task-repo';
import { TeamRepository } from '../../app/adapters/dynamo/team-repo';
import { WorkflowStateRepository } from '../../app/adapters/dynamo/workflow-state-repo';
import { STAND_IN_BOT_TOKEN } from '../../app/adapters/slack';
import { WorkfrontClient } from '../../app/adapters/workfront';
import type { Campaign, Team } from '../../app/domain/model';
import { AppLogger } from '../../app/logger';
import { createSlackCampaignAnnouncer } from '../../app/outbound/slack-campaign-announcer';
import { CampaignProvisioningService } from '../../app/services/campaign-provisioning';
import { type AsanaStandIn, startAsanaStandIn } from '../../dev/asana-standin';
import { startLocalDynamo } from '../../dev/local-dynamo';
import { type SlackStandIn, startSlackStandIn } from '../../dev/slack-standin';
import { startWorkfrontStandIn, type WorkfrontStandIn } from '../../dev/workfront-standin';

/* The provisioning service's tests' world: dynalite, the Slack stand-in and fresh Workfront and Asana stand-ins per test. */

export const NOW = new Date('2026-11-23T15:00:00.000Z');
const clock = () => NOW;
export const OWNER = 'U0LOCALUSER';
export const LEGAL = 'U0LOCALLEAD';

/** Registers the hooks and gives the repositories, the stand-ins and the service builders. Call at the top of a test file. */
export function useProvisioningWorld() {
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

  return {
    get repos() {
      return repos;
    },
    get slackStandIn() {
      return slackStandIn;
    },
    get workfront() {
      return workfront;
    },
    get asana() {
      return asana;
    },
    /** A test that needs a differently configured Asana stand-in swaps it here (closed after the test). */
    set asana(value: AsanaStandIn) {
      asana = value;
    },
    seed,
    service,
    failOnNth,
    isTaskPost,
  };
}
