import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../../../app/domain/calendar';
import { type ActionContext, ActionExecutor } from '../../../../app/services/agent/action-executor';
import { createTaskService } from '../../../../app/services/agent/create-agent-service';
import type { AgentFunctionCall } from '../../../../app/services/agent/stream';
import { type Harness, startHarness } from '../../../helpers/harness';
import { hostileName, scanSlackText } from '../../../helpers/slack-text-scan';

// The test's clock (the wall clock at the start of this file, fixed): the demo data is seeded and
// `today` derived from it, so both agree on any date.
const NOW = new Date();
const clock = () => NOW;
const today = todayIn('UTC', NOW);

/** The return-of-control executor against the real services on dynalite (seeded demo data). */
describe('ActionExecutor', () => {
  let h: Harness;
  let executor: ActionExecutor;
  const ctx: ActionContext = {
    actor: { slackUserId: 'U0DIEGO', timezone: 'UTC', channelId: 'C0GENERAL', threadTs: '1.2' },
    today,
    onDecided: (index) => ({
      jobKind: 'agent.resume',
      payload: { conversationKey: 'k', invocationId: 'inv', callIndex: index },
    }),
  };
  const call = (fn: string, parameters: Record<string, string>): AgentFunctionCall => ({
    actionGroup: 'actions',
    function: fn,
    parameters,
    needsConfirmation: false,
    agentId: undefined,
    collaboratorName: undefined,
  });

  beforeAll(async () => {
    h = await startHarness({ seed: true, clock });
    const { services, repositories } = h.runtime;
    executor = new ActionExecutor({
      campaignCommands: services.campaignCommands,
      campaigns: repositories.campaigns,
      teams: repositories.teams,
      tasks: createTaskService(h.runtime),
      thresholds: {
        approvalThresholdCents: h.runtime.config.approvals.thresholdCents,
        vpThresholdCents: h.runtime.config.approvals.vpThresholdCents,
      },
      clock: h.runtime.clock,
      logger: h.runtime.logger,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates, moves and assigns a task, recording locally and saying sync is separate', async () => {
    const created = await executor.execute(
      call('create_task', { campaign: 'Spring Launch', name: 'Agent task', due_date: addDays(today, 60) }),
      0,
      ctx,
    );
    expect(created.state).toBe('done');
    expect(created.body).toContain('Workfront/Asana get the change in the background');
    const moved = await executor.execute(
      call('update_task_status', { campaign: 'Spring Launch', task: 'agent task', status: 'complete' }),
      0,
      ctx,
    );
    expect(moved).toMatchObject({ state: 'done', body: expect.stringContaining('DONE') });
    const assigned = await executor.execute(
      call('assign_resource', { campaign: 'Spring Launch', task: 'Agent task', assignee: '<@U0KENJI>' }),
      0,
      ctx,
    );
    expect(assigned.body).toContain('<@U0KENJI>');
    const spring = (await h.runtime.repositories.campaigns.listAll()).find((c) => c.name === 'Spring Launch');
    const task = (await h.runtime.repositories.tasks.listByCampaign(spring?.campaignId ?? '')).find(
      (t) => t.name === 'Agent task',
    );
    expect(task).toMatchObject({ status: 'DONE', ownerSlackId: 'U0KENJI', version: 3 });
    expect(task?.completedAt).toBeDefined();
    const audit = await h.runtime.repositories.eventsLog.list(`campaign#${spring?.campaignId}`);
    expect(audit.items.map((e) => e.type)).toEqual(
      expect.arrayContaining(['task.created', 'task.status_changed', 'task.assigned']),
    );
  });

  it('quotes a hostile task name as text in every task result (create, move, reschedule, assign)', async () => {
    const name = hostileName('Hostile task');
    const results = [
      await executor.execute(
        call('create_task', { campaign: 'Spring Launch', name, due_date: addDays(today, 30) }),
        0,
        ctx,
      ),
    ];
    const ref = 'hostile task';
    results.push(
      await executor.execute(
        call('update_task_status', { campaign: 'Spring Launch', task: ref, status: 'in progress' }),
        0,
        ctx,
      ),
      await executor.execute(
        call('update_task_due_date', { campaign: 'Spring Launch', task: ref, due_date: addDays(today, 40) }),
        0,
        ctx,
      ),
      await executor.execute(
        call('assign_resource', { campaign: 'Spring Launch', task: ref, assignee: '<@U0KENJI>' }),
        0,
        ctx,
      ),
    );
    for (const result of results) {
      expect(result.state).toBe('done');
      expect(result.body).toContain('Hostile task &lt;!channel&gt;');
      expect(scanSlackText({ type: 'mrkdwn', text: result.body }, { users: ['U0KENJI'] })).toEqual([]);
    }
  });

  it('asks the agent to fix bad input (REPROMPT) instead of failing', async () => {
    const badDate = await executor.execute(
      call('create_task', { campaign: 'Spring Launch', name: 'x', due_date: 'soon' }),
      0,
      ctx,
    );
    expect(badDate).toMatchObject({ state: 'reprompt', body: expect.stringContaining('YYYY-MM-DD') });
    const ambiguous = await executor.execute(call('create_task', { campaign: 'spring', name: 'x' }), 0, ctx);
    expect(ambiguous).toMatchObject({
      state: 'reprompt',
      body: expect.stringContaining('Several campaigns match'),
    });
    const badStatus = await executor.execute(
      call('update_task_status', { campaign: 'Spring Launch', task: 'x', status: 'paused' }),
      0,
      ctx,
    );
    expect(badStatus.state).toBe('reprompt');
    const unknownId = await executor.execute(call('create_task', { campaign: 'cmp-999', name: 'x' }), 0, ctx);
    expect(unknownId).toEqual({ state: 'reprompt', body: 'No campaign with id “cmp-999”.' });
  });

  it('reads a team’s capacity', async () => {
    const result = await executor.execute(call('get_team_capacity', { team: 'growth marketing' }), 0, ctx);
    expect(result.state).toBe('done');
    expect(result.body).toMatch(/Growth Marketing/);
  });

  it('updates campaign fields directly and sends a budget raise past the threshold for approval', async () => {
    const fields = await executor.execute(
      call('update_campaign', { campaign: 'Summer Sale', audience: 'Returning shoppers' }),
      0,
      ctx,
    );
    expect(fields).toMatchObject({ state: 'done', body: expect.stringContaining('audience') });
    const summer = (await h.runtime.repositories.campaigns.listAll()).find((c) => c.name === 'Summer Sale');
    expect(summer?.audience).toBe('Returning shoppers');
    const raise = await executor.execute(
      call('update_campaign', { campaign: 'Summer Sale', budget: '$95,000' }),
      3,
      ctx,
    );
    expect(raise.state).toBe('pending_approval');
    expect(raise.approvalId).toBeDefined();
    const approval = await h.runtime.services.approvals.get(raise.approvalId ?? '');
    expect(approval?.onDecided).toEqual({
      jobKind: 'agent.resume',
      payload: { conversationKey: 'k', invocationId: 'inv', callIndex: 3 },
    });
  });

  it('says an applied budget in the one dollar format (cents kept, never one decimal)', async () => {
    const cut = await executor.execute(
      call('update_campaign', { campaign: 'Spring Launch', budget: '12345.5' }),
      0,
      ctx,
    );
    expect(cut).toMatchObject({ state: 'done', body: expect.stringContaining('is now $12,345.50.') });
  });

  it('blocks writes the policy forbids and names functions it does not know', async () => {
    const salesforce = await executor.execute(call('update_salesforce_opportunity', { id: '1' }), 0, ctx);
    expect(salesforce).toEqual({ state: 'failed', body: 'Salesforce is read-only for Command Center.' });
    const unknown = await executor.execute(call('launch_rocket', {}), 0, ctx);
    expect(unknown.state).toBe('failed');
    expect(unknown.body).toContain('no action “launch_rocket”');
  });
});
