/**
 * Two-way sync end to end on loopback: the real HTTP app (harness), the Workfront and Asana
 * stand-ins delivering real webhooks to it (Workfront event subscriptions with the token; an Asana
 * webhook registered through the real handshake), and a campaign provisioned through the real
 * job, so its project and tasks exist on both sides and are tracked.
 */
import type { Campaign } from '../../app/domain/model';
import { createTaskService } from '../../app/services/agent/create-agent-service';
import type { TaskService } from '../../app/services/tasks';
import { type AsanaStandIn, startAsanaStandIn } from '../../dev/asana-standin';
import { startWorkfrontStandIn, type WorkfrontStandIn } from '../../dev/workfront-standin';
import { type Harness, type HarnessOptions, startHarness } from './harness';

/** The task service as the agent's actions use it (with the sync hook), over the harness's runtime. */
export function taskService(runtime: Harness['runtime']): TaskService {
  return createTaskService({
    config: runtime.config,
    clock: runtime.clock,
    repositories: runtime.repositories,
    sync: runtime.services.sync,
  });
}

export const WF_TOKEN = 'wf-webhook-token-for-tests';
export const ACTOR = { slackUserId: 'U0MAYA', timezone: 'America/Los_Angeles' };

export interface SyncWorld {
  harness: Harness;
  workfront: WorkfrontStandIn;
  asana: AsanaStandIn;
  /** Waits until webhook deliveries and the jobs they start have finished (bounded rounds). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function startSyncWorld(
  options: HarnessOptions & { env?: Record<string, string> } = {},
): Promise<SyncWorld> {
  const workfront = await startWorkfrontStandIn({ retryDelaysMs: [20, 50, 100] });
  const asana = await startAsanaStandIn({ retryDelaysMs: [20, 50, 100] });
  const harness = await startHarness({
    seed: true,
    ...options,
    env: {
      WORKFRONT_BASE_URL: workfront.baseUrl,
      WORKFRONT_API_KEY: workfront.apiKey,
      WORKFRONT_WEBHOOK_TOKEN: WF_TOKEN,
      WORKFRONT_API_USER_ID: workfront.apiUserId,
      ASANA_BASE_URL: asana.baseUrl,
      ASANA_ACCESS_TOKEN: asana.accessToken,
      ASANA_WORKSPACE_GID: asana.workspaceGid,
      ...options.env,
    },
  });
  // The app's public URL is known once it listens (Asana registrations are built from it).
  harness.runtime.config.sync.publicBaseUrl = harness.baseUrl;
  for (const objCode of ['PROJ', 'TASK', 'OPTASK', 'NOTE', 'DOCU']) {
    for (const eventType of ['CREATE', 'UPDATE', 'DELETE'] as const) {
      workfront.events.subscribe({
        objCode,
        eventType,
        url: `${harness.baseUrl}/webhooks/workfront`,
        authToken: WF_TOKEN,
      });
    }
  }
  const settle = async () => {
    for (let round = 0; round < 6; round++) {
      await workfront.events.settled();
      await asana.webhooks.settled();
      await harness.idle();
    }
  };
  return {
    harness,
    workfront,
    asana,
    settle,
    async close() {
      await harness.close();
      await workfront.close();
      await asana.close();
    },
  };
}

/** Creates a campaign under the approval threshold: provisioned, announced, tracked for sync. */
export async function provisionedCampaign(
  world: SyncWorld,
  input: { name: string; type?: 'standard' | 'event'; budgetCents?: number },
): Promise<Campaign> {
  const { campaignCommands } = world.harness.runtime.services;
  const { campaigns } = world.harness.runtime.repositories;
  const created = await campaignCommands.createCampaign(
    {
      name: input.name,
      type: input.type ?? 'standard',
      tier: 3,
      teamId: input.type === 'event' ? 'team-events' : 'team-growth',
      budgetCents: input.budgetCents ?? 500_000,
      launchDate: inDays(45),
      channels: ['email'],
    },
    ACTOR,
  );
  await world.settle();
  const campaign = await campaigns.get(created.campaign.campaignId);
  if (!campaign?.externalProjectId) throw new Error('campaign was not provisioned');
  return campaign;
}
