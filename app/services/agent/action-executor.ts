import type { OnDecided } from '../../domain/approval';
import { weekRange } from '../../domain/calendar';
import { CAMPAIGN_ID_SHAPE, type Campaign, CampaignType, TaskStatus, type Team } from '../../domain/model';
import { escapeMrkdwn, formatUsd, userMention } from '../../domain/text';
import { asCodedError, isUserFacing, NotFoundError, PolicyError, ValidationError } from '../../errors';
import type { AppLogger } from '../../logger';
import type { Actor, NewCampaignInput } from '../campaign-inputs';
import { matchByName } from '../campaign-match';
import { evaluatePolicy, type PolicyThresholds } from '../policy';
import { LOCAL_ONLY_NOTE, type TaskService } from '../tasks';
import { externalWriteOf, money, parseList, parseUserId, pick } from './action-params';
import type { FunctionOutcomeData } from './conversation-store';
import type { AgentFunctionName } from './function-catalogue';
import { catalogueFunctionOf, normaliseFunctionName } from './function-names';
import type { AgentFunctionCall } from './stream';

/**
 * Runs the agent's return-of-control actions through the same domain services the slash commands
 * and modals use, after the one policy engine:
 * - allowed → executed, the result text goes back to the agent;
 * - needs approval → the campaign service files the approval with `onDecided` = an `agent.resume`
 *   job, and the outcome is `pending_approval` (the turn tells the user it waits);
 * - blocked → FAILURE with the policy's message (shown to the user too);
 * - bad or missing input → REPROMPT with what is wrong, so the agent can ask or correct itself.
 */
export interface CampaignCommandsPort {
  createCampaign(
    input: NewCampaignInput,
    actor: Actor,
    options?: { onDecided?: OnDecided },
  ): Promise<{
    outcome: 'created' | 'pending_approval';
    campaign: Campaign;
    approval?: { approvalId: string };
  }>;
  changeBudget(
    campaignId: string,
    budgetCents: number,
    actor: Actor,
    options?: { reason?: string; onDecided?: OnDecided },
  ): Promise<{
    outcome: 'updated' | 'pending_approval';
    campaign: Campaign;
    approval?: { approvalId: string };
  }>;
}

export interface ActionExecutorDeps {
  campaignCommands: CampaignCommandsPort | undefined;
  campaigns: {
    get(id: string): Promise<Campaign | undefined>;
    listAll(): Promise<Campaign[]>;
    update(next: Campaign, expectedVersion: number): Promise<Campaign>;
  };
  teams: { list(): Promise<Team[]> };
  tasks: TaskService;
  thresholds: PolicyThresholds;
  clock: () => Date;
  logger: AppLogger;
}

export interface ActionContext {
  actor: Actor;
  /** The user's calendar day (their time zone), for capacity windows. */
  today: string;
  /** What to enqueue when an approval this action asked for is decided. */
  onDecided: (callIndex: number) => OnDecided;
}

type FunctionHandler = (
  params: Record<string, string>,
  index: number,
  ctx: ActionContext,
) => Promise<FunctionOutcomeData>;

export class ActionExecutor {
  constructor(private readonly deps: ActionExecutorDeps) {}

  /** One handler per catalogue function (`function-catalogue.ts`): the compiler rejects a missing or extra one. */
  private readonly handlers: Record<AgentFunctionName, FunctionHandler> = {
    create_campaign: (params, index, ctx) => this.createCampaign(params, index, ctx),
    update_campaign: (params, index, ctx) => this.updateCampaign(params, index, ctx),
    create_task: (params, _index, ctx) => this.createTask(params, ctx),
    update_task_status: (params, _index, ctx) => this.updateTaskStatus(params, ctx),
    assign_resource: (params, _index, ctx) => this.assign(params, ctx),
    update_task_due_date: (params, _index, ctx) => this.reschedule(params, ctx),
    get_team_capacity: (params, _index, ctx) => this.capacity(params, ctx),
  };

  /** Runs one call; never throws for a user-facing problem (it becomes FAILURE/REPROMPT text). */
  async execute(call: AgentFunctionCall, index: number, ctx: ActionContext): Promise<FunctionOutcomeData> {
    const name = normaliseFunctionName(call.function);
    try {
      // Writes to other systems the agent might be wired to go through the same policy first
      // (Salesforce and Adobe Analytics are read-only; Workfront projects are never deleted by the bot).
      const external = externalWriteOf(name);
      if (external) {
        const decision = evaluatePolicy(external, this.deps.thresholds);
        if (decision.outcome === 'block') throw new PolicyError(decision.message);
      }
      const fn = catalogueFunctionOf(call.function);
      if (!fn) {
        return {
          state: 'failed',
          body: `Command Center has no action “${escapeMrkdwn(call.function)}” (action group ${escapeMrkdwn(call.actionGroup)}).`,
        };
      }
      return await this.handlers[fn](call.parameters, index, ctx);
    } catch (error) {
      if (error instanceof PolicyError) return { state: 'failed', body: error.message };
      if (isUserFacing(error)) return { state: 'reprompt', body: error.message };
      const coded = asCodedError(error);
      this.deps.logger.error({ code: coded.code, function: call.function }, coded, 'agent action failed');
      return {
        state: 'failed',
        body: 'The action failed because of an internal error; nothing was changed.',
      };
    }
  }

  private commands(): CampaignCommandsPort {
    if (!this.deps.campaignCommands) {
      throw new PolicyError('Campaign changes are not available in this deployment yet.');
    }
    return this.deps.campaignCommands;
  }

  private async createCampaign(
    params: Record<string, string>,
    index: number,
    ctx: ActionContext,
  ): Promise<FunctionOutcomeData> {
    const team = await this.team(pick(params, 'team', 'team_id', 'teamId', 'team_name'));
    const type = CampaignType.safeParse((pick(params, 'type', 'campaign_type') ?? 'standard').toLowerCase());
    if (!type.success)
      throw new ValidationError('The type must be standard, event or partner.', { type: 'invalid' });
    const tier = Number(pick(params, 'tier') ?? '2');
    if (tier !== 1 && tier !== 2 && tier !== 3)
      throw new ValidationError('The tier must be 1, 2 or 3.', { tier: 'invalid' });
    const input: NewCampaignInput = {
      name: pick(params, 'name', 'campaign_name') ?? '',
      type: type.data,
      tier,
      teamId: team.teamId,
      budgetCents: money(pick(params, 'budget', 'budget_usd', 'budgetUsd'), 'budget'),
      launchDate: pick(params, 'launch_date', 'launchDate') ?? '',
      endDate: pick(params, 'end_date', 'endDate'),
      audience: pick(params, 'audience'),
      channels: parseList(pick(params, 'channels')),
      description: pick(params, 'description'),
    };
    const result = await this.commands().createCampaign(input, ctx.actor, {
      onDecided: ctx.onDecided(index),
    });
    if (result.outcome === 'pending_approval') {
      return {
        state: 'pending_approval',
        body: `Campaign “${escapeMrkdwn(result.campaign.name)}” (${escapeMrkdwn(result.campaign.campaignId)}) was filed and is waiting for approval.`,
        ...(result.approval ? { approvalId: result.approval.approvalId } : {}),
      };
    }
    return {
      state: 'done',
      body: `Created campaign “${escapeMrkdwn(result.campaign.name)}” (${escapeMrkdwn(result.campaign.campaignId)}), status ${result.campaign.status}. Its project and tasks are being set up in ${result.campaign.type === 'event' ? 'Asana' : 'Workfront'}.`,
    };
  }

  private async updateCampaign(
    params: Record<string, string>,
    index: number,
    ctx: ActionContext,
  ): Promise<FunctionOutcomeData> {
    const campaign = await this.campaign(
      pick(params, 'campaign', 'campaign_id', 'campaignId', 'campaign_name'),
    );
    const budget = pick(params, 'budget', 'budget_usd', 'budgetUsd');
    const changes: Partial<Campaign> = {};
    const name = pick(params, 'name', 'new_name');
    if (name) changes.name = name;
    const launch = pick(params, 'launch_date', 'launchDate');
    if (launch) changes.launchDate = launch;
    const end = pick(params, 'end_date', 'endDate');
    if (end) changes.endDate = end;
    const audience = pick(params, 'audience');
    if (audience) changes.audience = audience;
    const description = pick(params, 'description');
    if (description) changes.description = description;
    const channels = pick(params, 'channels');
    if (channels) changes.channels = parseList(channels);
    const messages: string[] = [];
    const fields = Object.keys(changes);
    if (fields.length > 0) {
      const decision = evaluatePolicy({ kind: 'campaign.update', fields }, this.deps.thresholds);
      if (decision.outcome === 'block') throw new PolicyError(decision.message);
      if (decision.outcome === 'needs_approval') throw new PolicyError(decision.message);
      const updated = await this.deps.campaigns.update(
        { ...campaign, ...changes, updatedAt: this.deps.clock().toISOString() },
        campaign.version,
      );
      messages.push(`Updated ${fields.join(', ')} on “${escapeMrkdwn(updated.name)}”.`);
    }
    if (budget) {
      const result = await this.commands().changeBudget(
        campaign.campaignId,
        money(budget, 'budget'),
        ctx.actor,
        {
          onDecided: ctx.onDecided(index),
          reason: 'Requested through the Command Center agent',
        },
      );
      if (result.outcome === 'pending_approval') {
        return {
          state: 'pending_approval',
          body: [
            ...messages,
            `The budget change for “${escapeMrkdwn(campaign.name)}” is waiting for approval.`,
          ].join(' '),
          ...(result.approval ? { approvalId: result.approval.approvalId } : {}),
        };
      }
      messages.push(
        `Budget of “${escapeMrkdwn(campaign.name)}” is now ${formatUsd(result.campaign.budgetCents)}.`,
      );
    }
    if (messages.length === 0) {
      throw new ValidationError(
        'Tell me which field to change (name, budget, launch_date, end_date, audience, channels, description).',
        {
          fields: 'none given',
        },
      );
    }
    return { state: 'done', body: messages.join(' ') };
  }

  private async createTask(params: Record<string, string>, ctx: ActionContext): Promise<FunctionOutcomeData> {
    const campaign = await this.campaign(
      pick(params, 'campaign', 'campaign_id', 'campaignId', 'campaign_name'),
    );
    const ownerRaw = pick(params, 'owner', 'assignee', 'owner_id');
    const owner = parseUserId(ownerRaw, ctx.actor);
    if (ownerRaw && !owner)
      throw new ValidationError('Give the owner as a Slack user id (U…).', { owner: 'invalid' });
    const task = await this.deps.tasks.createTask(
      {
        campaignId: campaign.campaignId,
        name: pick(params, 'name', 'task_name', 'title') ?? '',
        ownerSlackId: owner,
        dueDate: pick(params, 'due_date', 'dueDate', 'due'),
        milestone: /^(true|yes|1)$/i.test(pick(params, 'milestone') ?? ''),
      },
      ctx.actor.slackUserId,
    );
    return {
      state: 'done',
      body: `Created task “${escapeMrkdwn(task.name)}” (${escapeMrkdwn(task.taskId)}) on “${escapeMrkdwn(campaign.name)}”${task.ownerSlackId ? `, owner ${userMention(task.ownerSlackId)}` : ''}${task.dueDate ? `, due ${task.dueDate}` : ''}. ${LOCAL_ONLY_NOTE}`,
    };
  }

  private async updateTaskStatus(
    params: Record<string, string>,
    ctx: ActionContext,
  ): Promise<FunctionOutcomeData> {
    const campaign = await this.campaign(
      pick(params, 'campaign', 'campaign_id', 'campaignId', 'campaign_name'),
    );
    const statusRaw = (pick(params, 'status', 'new_status') ?? '').toUpperCase().replace(/[\s-]+/g, '_');
    const status = TaskStatus.safeParse(
      statusRaw === 'COMPLETE' || statusRaw === 'COMPLETED' ? 'DONE' : statusRaw,
    );
    if (!status.success) {
      throw new ValidationError('The status must be NOT_STARTED, IN_PROGRESS, BLOCKED, DONE or CANCELLED.', {
        status: 'invalid',
      });
    }
    const taskRef = pick(params, 'task', 'task_id', 'taskId', 'task_name');
    if (!taskRef) throw new ValidationError('Which task? Give its name or id.', { task: 'is required' });
    const task = await this.deps.tasks.updateStatus(
      campaign.campaignId,
      taskRef,
      status.data,
      ctx.actor.slackUserId,
    );
    return {
      state: 'done',
      body: `Task “${escapeMrkdwn(task.name)}” is now ${task.status}. ${LOCAL_ONLY_NOTE}`,
    };
  }

  private async assign(params: Record<string, string>, ctx: ActionContext): Promise<FunctionOutcomeData> {
    const campaign = await this.campaign(
      pick(params, 'campaign', 'campaign_id', 'campaignId', 'campaign_name'),
    );
    const taskRef = pick(params, 'task', 'task_id', 'taskId', 'task_name');
    if (!taskRef) throw new ValidationError('Which task? Give its name or id.', { task: 'is required' });
    const owner = parseUserId(pick(params, 'assignee', 'owner', 'user', 'resource'), ctx.actor);
    if (!owner)
      throw new ValidationError('Give the assignee as a Slack user id (U…).', { assignee: 'invalid' });
    const task = await this.deps.tasks.assign(campaign.campaignId, taskRef, owner, ctx.actor.slackUserId);
    return {
      state: 'done',
      body: `Task “${escapeMrkdwn(task.name)}” is now assigned to ${userMention(owner)}. ${LOCAL_ONLY_NOTE}`,
    };
  }

  private async reschedule(params: Record<string, string>, ctx: ActionContext): Promise<FunctionOutcomeData> {
    const campaign = await this.campaign(
      pick(params, 'campaign', 'campaign_id', 'campaignId', 'campaign_name'),
    );
    const taskRef = pick(params, 'task', 'task_id', 'taskId', 'task_name');
    if (!taskRef) throw new ValidationError('Which task? Give its name or id.', { task: 'is required' });
    const dueDate = pick(params, 'due_date', 'dueDate', 'due');
    if (!dueDate)
      throw new ValidationError('Give the new due date as YYYY-MM-DD.', { due_date: 'is required' });
    const task = await this.deps.tasks.reschedule(
      campaign.campaignId,
      taskRef,
      dueDate,
      ctx.actor.slackUserId,
    );
    return {
      state: 'done',
      body: `Task “${escapeMrkdwn(task.name)}” is now due ${task.dueDate}. ${LOCAL_ONLY_NOTE}`,
    };
  }

  private async capacity(params: Record<string, string>, ctx: ActionContext): Promise<FunctionOutcomeData> {
    const team = await this.team(pick(params, 'team', 'team_id', 'teamId', 'team_name'));
    const week = weekRange(ctx.today);
    const capacity = await this.deps.tasks.teamCapacity(team, ctx.today, week.to);
    if (capacity.rows.length === 0 && capacity.unassigned === 0) {
      return { state: 'done', body: `${escapeMrkdwn(team.name)} has no open tasks on active campaigns.` };
    }
    const lines = capacity.rows.map(
      (row) =>
        `${userMention(row.slackUserId)}: ${row.openTasks} open, ${row.overdueTasks} overdue, ${row.dueThisWeek} due this week`,
    );
    if (capacity.unassigned > 0) lines.push(`Unassigned: ${capacity.unassigned} open tasks`);
    return {
      state: 'done',
      body: `Capacity of ${escapeMrkdwn(team.name)} (open tasks on active campaigns):\n${lines.join('\n')}`,
    };
  }

  private async campaign(ref: string | undefined): Promise<Campaign> {
    if (!ref) throw new ValidationError('Which campaign? Give its name or id.', { campaign: 'is required' });
    const byId = await this.deps.campaigns.get(ref);
    if (byId) return byId;
    const match = matchByName(ref, await this.deps.campaigns.listAll(), {
      name: (c) => c.name,
      id: (c) => c.campaignId,
      idShape: CAMPAIGN_ID_SHAPE,
    });
    if (match.kind === 'no_such_id')
      throw new NotFoundError(`No campaign with id “${escapeMrkdwn(match.id)}”.`);
    if (match.kind === 'one') return match.item;
    if (match.kind === 'several') {
      throw new ValidationError(
        `Several campaigns match “${escapeMrkdwn(ref)}”: ${match.items
          .slice(0, 5)
          .map((c) => `${escapeMrkdwn(c.name)} (${escapeMrkdwn(c.campaignId)})`)
          .join(', ')}. Which one?`,
        { campaign: 'ambiguous' },
      );
    }
    throw new NotFoundError(`I could not find a campaign called “${escapeMrkdwn(ref)}”.`);
  }

  private async team(ref: string | undefined): Promise<Team> {
    const teams = await this.deps.teams.list();
    if (!ref) {
      throw new ValidationError(`Which team? One of: ${teams.map((t) => escapeMrkdwn(t.name)).join(', ')}.`, {
        team: 'is required',
      });
    }
    const match = matchByName(ref, teams, { name: (t) => t.name, id: (t) => t.teamId });
    if (match.kind === 'one') return match.item;
    throw new ValidationError(`Which team? One of: ${teams.map((t) => escapeMrkdwn(t.name)).join(', ')}.`, {
      team: 'unknown',
    });
  }
}
