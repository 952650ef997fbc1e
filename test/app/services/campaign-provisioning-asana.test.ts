import { beforeEach, describe, expect, it } from 'vitest';
import { startAsanaStandIn } from '../../../dev/asana-standin';
import { useProvisioningWorld } from '../../helpers/provisioning-world';

const world = useProvisioningWorld();
const { seed, service, failOnNth } = world;
let repos: typeof world.repos;
let slackStandIn: typeof world.slackStandIn;
let workfront: typeof world.workfront;
let asana: typeof world.asana;
beforeEach(() => {
  ({ repos, slackStandIn, workfront, asana } = world);
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
    world.asana = asana;
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
