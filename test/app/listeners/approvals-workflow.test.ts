import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../../../app/ids';
import { type AsanaStandIn, startAsanaStandIn } from '../../../dev/asana-standin';
import { startWorkfrontStandIn, type WorkfrontStandIn } from '../../../dev/workfront-standin';
import {
  approvalsFor,
  clickDecision,
  createThroughModal,
  hasActions,
  PEOPLE,
  requestMessage,
  startApprovalsHarness,
} from '../../helpers/approvals/flow';
import { APPROVALS_CHANNEL_ID } from '../../helpers/approvals/records';
import type { Harness } from '../../helpers/harness';

/**
 * The campaign workflow after an approval, end to end: the modal, the request in the approvers'
 * channel, refused clicks, the approving click, then the `campaign.provision` job against the
 * Workfront and Asana stand-ins and the announcement in the team's channel. Its own harness, so the
 * outbound rate limits are spent on this campaign alone.
 */
const { diego: DIEGO, sam: SAM, aisha: AISHA } = PEOPLE;
const CHANNEL = APPROVALS_CHANNEL_ID;

const now = new Date(Date.now() + 60_000);
let harness: Harness;
let workfront: WorkfrontStandIn;
let asana: AsanaStandIn;

beforeAll(async () => {
  workfront = await startWorkfrontStandIn();
  asana = await startAsanaStandIn();
  harness = await startApprovalsHarness(() => now, {
    WORKFRONT_BASE_URL: workfront.baseUrl,
    WORKFRONT_API_KEY: workfront.apiKey,
    ASANA_BASE_URL: asana.baseUrl,
    ASANA_ACCESS_TOKEN: asana.accessToken,
    ASANA_WORKSPACE_GID: asana.workspaceGid,
  });
});
afterAll(async () => {
  await harness?.close();
  await workfront?.close();
  await asana?.close();
});

describe('after approval the campaign workflow runs', () => {
  it('over the threshold → request → refused clicks → approved → message updated → project and tasks in Workfront → announced in the team channel', async () => {
    // Prepare: Diego asks for $42,000 through the modal.
    const ack = await createThroughModal(harness, now, DIEGO, {
      name: 'Workflow Launch',
      budgetCents: '42000',
      type: 'standard',
      tier: '1',
    });
    expect(ack?.response_action).toBe('update');
    await harness.idle();
    const [approval] = await approvalsFor(harness, 'Workflow Launch');
    if (!approval) throw new Error('no approval stored');
    // Nothing is provisioned while the request waits.
    expect(workfront.projects()).toEqual([]);

    // Act: an outsider and the requester are refused; a leader approves.
    expect(await clickDecision(harness, CHANNEL, SAM, ActionIds.approvalApprove, approval)).toContain(
      'Only marketing leadership',
    );
    expect(await clickDecision(harness, CHANNEL, DIEGO, ActionIds.approvalApprove, approval)).toContain(
      'someone else',
    );
    expect(workfront.projects()).toEqual([]);
    expect(await clickDecision(harness, CHANNEL, AISHA, ActionIds.approvalApprove, approval)).toContain(
      'You approved',
    );
    await harness.idle();

    // Assess: the request message is updated in place, with no buttons left.
    const message = requestMessage(harness, CHANNEL, approval);
    expect(hasActions(message)).toBe(false);
    expect(JSON.stringify(message.blocks)).toContain(`Approved* by <@${AISHA}>`);
    // The project and its tasks are in Workfront (standard → Workfront, not Asana), ids stored.
    const projects = workfront.projects();
    expect(projects.map((p) => p.name)).toEqual(['Workflow Launch']);
    const project = projects[0];
    expect(workfront.tasks().filter((t) => t.projectID === project?.ID).length).toBeGreaterThan(0);
    expect(asana.projects()).toEqual([]);
    const campaign = await harness.runtime.repositories.campaigns.get(approval.campaignId);
    expect(campaign).toMatchObject({
      status: 'PLANNED',
      approvedBudgetCents: 4_200_000,
      workSystem: 'workfront',
      externalProjectId: project?.ID,
    });
    // Announced once in the team's channel; the requester was told it was approved.
    const team = await harness.runtime.repositories.teams.get('team-growth');
    const announcements = harness.standin
      .messages(team?.slackChannelId ?? 'no-team-channel')
      .filter((m) => m.text.includes('Workflow Launch'));
    expect(announcements).toHaveLength(1);
    const dm = harness.standin.messages(harness.standin.dmChannelId(DIEGO)).map((m) => m.text);
    expect(dm.some((t) => t.includes(`was approved by <@${AISHA}>`))).toBe(true);
  });
});
