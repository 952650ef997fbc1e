import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionContext, ActionExecutor } from '../../../../app/services/agent/action-executor';
import { createTaskService } from '../../../../app/services/agent/create-agent-service';
import {
  AGENT_FUNCTION_CATALOGUE,
  type AgentFunctionName,
} from '../../../../app/services/agent/function-catalogue';
import { catalogueFunctionOf, describeCall } from '../../../../app/services/agent/function-names';
import type { AgentFunctionCall } from '../../../../app/services/agent/stream';
import { type Harness, startHarness } from '../../../helpers/harness';

/**
 * "One definition, no drift": the Bedrock function schemas are generated from the catalogue, so the
 * executor must accept exactly the catalogue's functions and parameters. Each function is run
 * through the real executor (real services on dynalite) with parameters that record which names
 * the executor reads.
 */
describe('the agent function catalogue and the ActionExecutor', () => {
  let h: Harness;
  let executor: ActionExecutor;
  let campaignId: string;
  let counter = 0;
  const unique = (label: string) => {
    counter += 1;
    return `${label} ${counter}`;
  };
  const ctx: ActionContext = {
    actor: { slackUserId: 'U0DIEGO', timezone: 'UTC', channelId: 'C0GENERAL', threadTs: '1.2' },
    today: '2026-11-22',
    onDecided: (index) => ({
      jobKind: 'agent.resume',
      payload: { conversationKey: 'k', invocationId: 'inv', callIndex: index },
    }),
  };

  /** A valid value for every catalogue parameter, per function (a new parameter needs one here). */
  const validValues = async (fn: AgentFunctionName): Promise<Record<string, string>> => {
    switch (fn) {
      case 'create_campaign':
        return {
          name: unique('Catalogue campaign'),
          type: 'standard',
          tier: '2',
          team: 'Growth Marketing',
          budget: '5000',
          launch_date: '2030-03-02',
          end_date: '2030-04-01',
          audience: 'Developers',
          channels: 'email, paid social',
          description: 'Made by the catalogue test',
        };
      case 'update_campaign':
        return {
          campaign: campaignId,
          name: unique('Renamed campaign'),
          budget: '4000',
          launch_date: '2030-05-01',
          end_date: '2030-06-01',
          audience: 'Designers',
          channels: '["email"]',
          description: 'Changed by the catalogue test',
        };
      case 'create_task':
        return {
          campaign: campaignId,
          name: unique('Catalogue task'),
          owner: 'me',
          due_date: '2030-02-01',
          milestone: 'true',
        };
      case 'update_task_status':
        return { campaign: campaignId, task: await aTask(), status: 'IN_PROGRESS' };
      case 'assign_resource':
        return { campaign: campaignId, task: await aTask(), assignee: 'U0KENJI' };
      case 'update_task_due_date':
        return { campaign: campaignId, task: await aTask(), due_date: '2030-02-15' };
      case 'get_team_capacity':
        return { team: 'Growth Marketing' };
    }
  };

  async function aTask(): Promise<string> {
    const name = unique('Task to change');
    const created = await executor.execute(call('create_task', { campaign: campaignId, name }), 0, ctx);
    expect(created.state).toBe('done');
    return name;
  }

  function call(fn: string, parameters: Record<string, string>): AgentFunctionCall {
    return {
      actionGroup: 'catalogue',
      function: fn,
      parameters,
      needsConfirmation: false,
      agentId: undefined,
      collaboratorName: undefined,
    };
  }

  /** Runs `fn` with `values`, returning its outcome and every parameter name the executor read. */
  async function run(fn: string, values: Record<string, string>) {
    const read = new Set<string>();
    const parameters = new Proxy(values, {
      get(target, key, receiver) {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key, receiver);
      },
    });
    const outcome = await executor.execute(call(fn, parameters), 0, ctx);
    return { outcome, read };
  }

  beforeAll(async () => {
    h = await startHarness({ seed: true });
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
    const summer = (await repositories.campaigns.listAll()).find((c) => c.name === 'Summer Sale');
    campaignId = summer?.campaignId ?? '';
    expect(campaignId).not.toBe('');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('fits Bedrock’s function schema rules', () => {
    const names = AGENT_FUNCTION_CATALOGUE.map((fn) => fn.name);
    expect(new Set(names).size).toBe(names.length);
    for (const fn of AGENT_FUNCTION_CATALOGUE) {
      expect(fn.name).toMatch(/^([0-9a-zA-Z][_-]?){1,100}$/);
      expect(fn.description.length).toBeGreaterThan(0);
      expect(fn.description.length).toBeLessThanOrEqual(500);
      const params = fn.parameters.map((p) => p.name);
      expect(new Set(params).size, fn.name).toBe(params.length);
      for (const p of fn.parameters) {
        expect(p.name).toMatch(/^([0-9a-zA-Z][_-]?){1,100}$/);
        expect(p.description.length).toBeLessThanOrEqual(500);
      }
    }
  });

  it.each(AGENT_FUNCTION_CATALOGUE.map((fn) => [fn.name]))(
    '%s: runs with exactly the catalogue’s parameters, reading every one and no other',
    async (name) => {
      const fn = name as AgentFunctionName;
      const values = await validValues(fn);
      const declared = AGENT_FUNCTION_CATALOGUE.find((entry) => entry.name === fn)?.parameters ?? [];
      expect(Object.keys(values).sort()).toEqual(declared.map((p) => p.name).sort());
      const { outcome, read } = await run(fn, values);
      expect(['done', 'pending_approval'], outcome.body).toContain(outcome.state);
      // Catalogue → executor: every declared parameter is used. Executor → catalogue: a parameter the
      // executor reads that the catalogue does not declare would show up here (it reads it even when absent).
      expect([...read].sort()).toEqual(declared.map((p) => p.name).sort());
    },
  );

  it.each(
    AGENT_FUNCTION_CATALOGUE.flatMap((fn) =>
      fn.parameters.map((p) => [fn.name, p.name, p.required] as const),
    ),
  )('%s without %s: required=%s is what the executor enforces', async (name, param, required) => {
    const values = await validValues(name);
    delete values[param];
    const { outcome } = await run(name, values);
    if (required) expect(outcome.state, outcome.body).toBe('reprompt');
    else expect(['done', 'pending_approval'], outcome.body).toContain(outcome.state);
  });

  it('matches calls to catalogue functions ignoring case, separators and known aliases, and nothing else', () => {
    expect(catalogueFunctionOf('createCampaign')).toBe('create_campaign');
    expect(catalogueFunctionOf('UPDATE-TASK-STATUS')).toBe('update_task_status');
    expect(catalogueFunctionOf('assign_task')).toBe('assign_resource');
    expect(catalogueFunctionOf('delete_project')).toBeUndefined();
  });

  it('titles the confirmation prompt from the catalogue', () => {
    for (const fn of AGENT_FUNCTION_CATALOGUE) expect(describeCall(call(fn.name, {})).title).toBe(fn.title);
    expect(describeCall(call('launch_rocket', {})).title).toBe('catalogue: launch_rocket');
  });

  it('a function outside the catalogue is not executed', async () => {
    const { outcome, read } = await run('launch_rocket', { when: 'now' });
    expect(outcome).toEqual({
      state: 'failed',
      body: 'Command Center has no action “launch_rocket” (action group catalogue).',
    });
    expect(read.size).toBe(0);
  });
});
