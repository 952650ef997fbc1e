import { afterEach, describe, expect, it } from 'vitest';
import { CAMPAIGN_PROVISION_JOB_KIND } from '../../../app/jobs/campaign-provision';
import { PROVISION_JOB_KIND } from '../../../app/services/approval-ports';
import { type AsanaStandIn, startAsanaStandIn } from '../../../dev/asana-standin';
import { startWorkfrontStandIn, type WorkfrontStandIn } from '../../../dev/workfront-standin';
import { type Harness, startHarness } from '../../helpers/harness';

/** The whole path: campaign command → job persisted and dispatched in-process → provisioning → Slack. */
let harness: Harness | undefined;
let workfront: WorkfrontStandIn | undefined;
let asana: AsanaStandIn | undefined;
afterEach(async () => {
  await harness?.close();
  await workfront?.close();
  await asana?.close();
  harness = undefined;
  workfront = undefined;
  asana = undefined;
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const actor = { slackUserId: 'U0MAYA', timezone: 'America/Los_Angeles' };

describe('campaign.provision job', () => {
  it('is the kind the campaign commands and approvals enqueue', () => {
    expect(CAMPAIGN_PROVISION_JOB_KIND).toBe(PROVISION_JOB_KIND);
  });

  it('provisions a campaign created under the threshold in Workfront and announces it', async () => {
    // Prepare
    workfront = await startWorkfrontStandIn();
    asana = await startAsanaStandIn();
    harness = await startHarness({
      seed: true,
      env: {
        WORKFRONT_BASE_URL: workfront.baseUrl,
        WORKFRONT_API_KEY: workfront.apiKey,
        ASANA_BASE_URL: asana.baseUrl,
        ASANA_ACCESS_TOKEN: asana.accessToken,
        ASANA_WORKSPACE_GID: asana.workspaceGid,
      },
    });
    const { campaignCommands } = harness.runtime.services;
    const { campaigns, teams } = harness.runtime.repositories;
    const team = await teams.get('team-growth');
    // Act
    const created = await campaignCommands.createCampaign(
      {
        name: 'Provisioning Path Test',
        type: 'standard',
        tier: 2,
        teamId: 'team-growth',
        budgetCents: 500_000,
        launchDate: inDays(60),
        channels: ['email'],
      },
      actor,
    );
    await harness.idle();
    // Assess
    expect(created.outcome).toBe('created');
    expect(workfront.projects().map((p) => p.name)).toEqual(['Provisioning Path Test']);
    expect(workfront.tasks()).toHaveLength(7);
    const stored = await campaigns.get(created.campaign.campaignId);
    expect(stored?.workSystem).toBe('workfront');
    expect(stored?.externalProjectId).toBe(workfront.projects()[0]?.ID);
    const announcement = harness.standin
      .messages(team?.slackChannelId ?? '')
      .find((m) => m.text.includes('Provisioning Path Test'));
    expect(announcement).toBeDefined();
    // The announcement carries the project the job just created and its task count.
    const shown = JSON.stringify(announcement?.blocks ?? []);
    expect(shown).toContain('Open in Workfront');
    expect(shown).toContain('7 in Workfront');
    expect(asana.calls()).toHaveLength(0);
  });

  it('provisions an event in Asana', async () => {
    // Prepare
    workfront = await startWorkfrontStandIn();
    asana = await startAsanaStandIn();
    harness = await startHarness({
      seed: true,
      env: {
        WORKFRONT_BASE_URL: workfront.baseUrl,
        WORKFRONT_API_KEY: workfront.apiKey,
        ASANA_BASE_URL: asana.baseUrl,
        ASANA_ACCESS_TOKEN: asana.accessToken,
        ASANA_WORKSPACE_GID: asana.workspaceGid,
      },
    });
    // Act
    const created = await harness.runtime.services.campaignCommands.createCampaign(
      {
        name: 'Provisioning Event Test',
        type: 'event',
        tier: 3,
        teamId: 'team-events',
        budgetCents: 200_000,
        launchDate: inDays(45),
        channels: ['events'],
      },
      actor,
    );
    await harness.idle();
    // Assess
    expect(asana.projects().map((p) => p.name)).toEqual(['Provisioning Event Test']);
    expect(asana.tasks()).toHaveLength(4);
    expect((await harness.runtime.repositories.campaigns.get(created.campaign.campaignId))?.workSystem).toBe(
      'asana',
    );
    expect(workfront.calls()).toHaveLength(0);
  });

  it('tells the owner by DM when Workfront is not configured', async () => {
    // Prepare
    harness = await startHarness({ seed: true });
    // Act
    const created = await harness.runtime.services.campaignCommands.createCampaign(
      {
        name: 'Unconfigured Workfront Test',
        type: 'standard',
        tier: 3,
        teamId: 'team-growth',
        budgetCents: 100_000,
        launchDate: inDays(30),
        channels: ['web'],
      },
      actor,
    );
    await harness.idle();
    // Assess
    const dm = harness.standin.messages(actor.slackUserId).map((m) => m.text);
    expect(
      dm.some((text) => text.includes("couldn't set up *Unconfigured Workfront Test* in Workfront")),
    ).toBe(true);
    expect(dm.some((text) => text.includes('WORKFRONT_BASE_URL'))).toBe(true);
    const stored = await harness.runtime.repositories.campaigns.get(created.campaign.campaignId);
    expect(stored?.externalProjectId).toBeUndefined();
  });
});
