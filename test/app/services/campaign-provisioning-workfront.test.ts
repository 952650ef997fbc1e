import { beforeEach, describe, expect, it } from 'vitest';
import { DownstreamError } from '../../../app/errors';
import { ProvisionState, provisionStateKey } from '../../../app/services/campaign-provisioning';
import { LEGAL, NOW, OWNER, useProvisioningWorld } from '../../helpers/provisioning-world';

const world = useProvisioningWorld();
const { seed, service, failOnNth, isTaskPost } = world;
let repos: typeof world.repos;
let slackStandIn: typeof world.slackStandIn;
let workfront: typeof world.workfront;
beforeEach(() => {
  ({ repos, slackStandIn, workfront } = world);
});

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
