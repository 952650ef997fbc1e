import type { Approval, OnDecided } from '../domain/approval';
import { todayIn } from '../domain/calendar';
import { CAMPAIGN_TYPES, type Campaign } from '../domain/model';
import { escapeMrkdwn, plainText, stripBidi } from '../domain/text';
import { ConflictError, NotFoundError, PolicyError, ValidationError } from '../errors';
import { PROVISION_JOB_KIND } from './approval-ports';
import {
  BUDGET_CHANGED_EVENT,
  type CampaignCommandsDeps,
  type ChangeBudgetResult,
  type CreateCampaignResult,
  type ExistingApprovalResult,
  NAME_CLAIM_SECONDS,
  teamActivityStream,
} from './campaign-command-ports';
import {
  type Actor,
  isCalendarDate,
  MAX_BUDGET_CENTS,
  type NewCampaignInput,
  notifyTargetFor,
} from './campaign-inputs';
import { normalizeName } from './campaign-match';
import { evaluatePolicy } from './policy';

/**
 * The claim keys that hold a new campaign's name while it is created (`NAME_CLAIM_SECONDS`).
 *
 * The key is the name's `normalizeName` form. Versions before the single `normalizeName` keyed
 * claims by another form (case, accents and spacing folded, punctuation kept: `q4 push!` where
 * `normalizeName` gives `q4 push`), and during a deploy containers of both versions run side by
 * side. So while the two forms differ both are claimed, and either one already held refuses the
 * name: a claim written by an old container blocks a new one, and the new one's legacy-form claim
 * blocks an old one. Nothing is migrated: a claim lives 60 s and no other record stores a
 * normalized name (uniqueness itself is checked against the stored names, normalized on read).
 * The legacy form costs one more conditional write, only for names where the forms differ.
 */
function nameClaimKeys(teamId: string, name: string): string[] {
  const key = (form: string) => `campaign-name:${teamId}:${form}`.slice(0, 1024);
  return [...new Set([key(normalizeName(name)), key(legacyNameForm(name))])];
}

/** The name claims' normalized form before `normalizeName` was the only one (see `nameClaimKeys`). */
function legacyNameForm(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('en-US').replace(/\s+/g, ' ').trim();
}

/** Statuses that free a campaign's name and take no more changes. */
const CLOSED_STATUSES = new Set<Campaign['status']>(['REJECTED', 'CANCELLED']);
const NO_BUDGET_CHANGE_STATUSES = new Set<Campaign['status']>(['REJECTED', 'CANCELLED', 'COMPLETED']);

/**
 * Creating campaigns and changing budgets, for every entry point (modal, slash command, agent).
 * Validation → policy (services/policy.ts) → store → either the provisioning job at once or an
 * approval request (services/approvals.ts).
 */
export class CampaignCommands {
  constructor(private readonly deps: CampaignCommandsDeps) {}

  /**
   * Checks a new campaign. Throws `ValidationError` whose `fields` are keyed by `NewCampaignInput`
   * keys, so a modal can show each message on its own field.
   */
  async validateNew(input: NewCampaignInput, actor: Actor): Promise<NewCampaignInput> {
    const fields: Record<string, string> = {};
    // Bidi controls go before anything else: a stored name that displays reversed (or reorders the
    // text around it) would spoof another name here, in Workfront/Asana and in every message.
    const name = stripBidi(input.name ?? '')
      .trim()
      .replace(/\s+/g, ' ');
    if (!name) fields.name = 'Give the campaign a name.';
    else if (name.length > 150) fields.name = 'Keep the name to 150 characters or fewer.';
    if (!CAMPAIGN_TYPES.includes(input.type)) fields.type = 'Choose standard, event or partner.';
    if (![1, 2, 3].includes(input.tier)) fields.tier = 'Choose tier 1, 2 or 3.';
    if (!Number.isSafeInteger(input.budgetCents) || input.budgetCents <= 0) {
      fields.budgetCents = 'The budget must be a positive amount with at most 2 decimals.';
    } else if (input.budgetCents > MAX_BUDGET_CENTS) {
      fields.budgetCents = 'That budget is too large.';
    }
    if (!input.launchDate) fields.launchDate = 'Pick a launch date.';
    else if (!isCalendarDate(input.launchDate)) fields.launchDate = 'Pick a valid launch date.';
    else {
      const today = todayIn(actor.timezone ?? 'UTC', this.deps.clock());
      if (input.launchDate < today)
        fields.launchDate = `The launch date can't be in the past (today is ${today}).`;
    }
    if (input.endDate) {
      if (!isCalendarDate(input.endDate)) fields.endDate = 'Pick a valid end date.';
      else if (input.launchDate && input.endDate < input.launchDate) {
        fields.endDate = 'The end date must be on or after the launch date.';
      }
    }
    if ((input.audience ?? '').length > 500)
      fields.audience = 'Keep the audience to 500 characters or fewer.';
    if ((input.description ?? '').length > 3000)
      fields.description = 'Keep the description to 3000 characters or fewer.';
    if (!input.teamId) fields.teamId = 'Choose a team.';
    else if (!(await this.deps.teams.get(input.teamId))) fields.teamId = 'That team does not exist.';
    else if (name && !fields.name) {
      const clash = await this.findByName(input.teamId, name);
      if (clash) fields.name = `The team already has a campaign called “${plainText(clash.name)}”.`;
    }
    if (Object.keys(fields).length > 0) {
      // Field messages are plain text (modal errors); the message is mrkdwn (replies, agent notes).
      throw new ValidationError(`Please fix: ${escapeMrkdwn(Object.values(fields).join(' '))}`, fields);
    }
    return {
      ...input,
      name,
      audience: input.audience?.trim() || undefined,
      description: input.description?.trim() || undefined,
      channels: [...new Set(input.channels.map((c) => c.trim()).filter(Boolean))],
    };
  }

  /** A live campaign (not rejected or cancelled) of `teamId` with the same name, ignoring case and accents. */
  async findByName(teamId: string, name: string): Promise<Campaign | undefined> {
    const wanted = normalizeName(name);
    let cursor: string | undefined;
    do {
      const page = await this.deps.campaigns.listByTeam(teamId, cursor ? { cursor } : {});
      const hit = page.items.find((c) => !CLOSED_STATUSES.has(c.status) && normalizeName(c.name) === wanted);
      if (hit) return hit;
      cursor = page.cursor;
    } while (cursor);
    return undefined;
  }

  /**
   * Validates, applies the policy and stores the campaign: under the threshold it is PLANNED and the
   * `campaign.provision` job is enqueued; over it, it is PENDING_APPROVAL with an approval request.
   * Two DynamoDB writes and a job enqueue: fits in a 3-second ack.
   */
  async createCampaign(
    raw: NewCampaignInput,
    actor: Actor,
    options: { onDecided?: OnDecided } = {},
  ): Promise<CreateCampaignResult> {
    const input = await this.validateNew(raw, actor);
    const decision = evaluatePolicy(
      { kind: 'campaign.create', budgetCents: input.budgetCents },
      this.deps.thresholds,
    );
    if (decision.outcome === 'block') throw new PolicyError(decision.message);
    if (decision.outcome === 'needs_approval') this.deps.approvals.assertConfigured(decision.level);
    for (const nameKey of nameClaimKeys(input.teamId, input.name)) {
      if (this.deps.nameGuard && !(await this.deps.nameGuard.claim(nameKey, NAME_CLAIM_SECONDS))) {
        throw new ValidationError('That name is being used by a campaign created just now.', {
          name: 'A campaign with this name was created for this team a moment ago.',
        });
      }
    }
    const now = this.deps.clock().toISOString();
    const needsApproval = decision.outcome === 'needs_approval';
    const campaign: Campaign = {
      campaignId: `cmp_${this.deps.newId()}`,
      name: input.name,
      type: input.type,
      tier: input.tier,
      status: needsApproval ? 'PENDING_APPROVAL' : 'PLANNED',
      ownerSlackId: actor.slackUserId,
      teamId: input.teamId,
      budgetCents: input.budgetCents,
      launchDate: input.launchDate,
      ...(input.endDate ? { endDate: input.endDate } : {}),
      ...(input.audience ? { audience: input.audience } : {}),
      channels: input.channels,
      ...(input.description ? { description: input.description } : {}),
      createdBy: actor.slackUserId,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const stored = await this.deps.campaigns.create(campaign);
    if (decision.outcome === 'needs_approval') {
      try {
        const approval = await this.deps.approvals.request({
          campaign: stored,
          kind: 'campaign_creation',
          decision,
          requesterId: actor.slackUserId,
          budgetCents: stored.budgetCents,
          notify: notifyTargetFor(actor),
          ...(options.onDecided ? { onDecided: options.onDecided } : {}),
        });
        return { outcome: 'pending_approval', campaign: stored, approval };
      } catch (error) {
        // No request means nobody could ever approve it: cancel the campaign so its name is free again.
        await this.deps.campaigns
          .update({ ...stored, status: 'CANCELLED', updatedAt: now }, stored.version)
          .catch(() => undefined);
        throw error;
      }
    }
    await this.deps.jobs.enqueue({
      kind: PROVISION_JOB_KIND,
      payload: { campaignId: stored.campaignId },
      idempotencyKey: `${PROVISION_JOB_KIND}:${stored.campaignId}`,
    });
    return { outcome: 'created', campaign: stored };
  }

  /**
   * Asks for the creation approval of a campaign that is already stored as PENDING_APPROVAL but has
   * no request (imported or seeded data): the same policy decision and the same
   * `approvals.request` a submitted modal makes, so the request is stored with its history and
   * `approval.publish` posts it and creates its schedules. Idempotent: a campaign that already has
   * a creation request (pending, or decided and about to be applied) gets no second one.
   * Throws NotFoundError, ValidationError (not PENDING_APPROVAL, or its budget needs no approval),
   * PolicyError, or ConflictError when another call is requesting it at this very moment.
   */
  async requestApprovalForExisting(campaignId: string, actor: Actor): Promise<ExistingApprovalResult> {
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign) throw new NotFoundError('I could not find that campaign.');
    if (campaign.status !== 'PENDING_APPROVAL') {
      throw new ValidationError(`“${escapeMrkdwn(campaign.name)}” is not waiting for approval.`, {
        campaignId: `This campaign is ${campaign.status.toLowerCase()}.`,
      });
    }
    const existing = await this.existingCreationRequest(campaignId);
    if (existing) return { outcome: 'already_requested', campaign, approval: existing };
    const decision = evaluatePolicy(
      { kind: 'campaign.create', budgetCents: campaign.budgetCents },
      this.deps.thresholds,
    );
    if (decision.outcome === 'block') throw new PolicyError(decision.message);
    if (decision.outcome !== 'needs_approval') {
      throw new ValidationError(`“${escapeMrkdwn(campaign.name)}” needs no approval at its budget.`, {
        budgetCents: 'This budget needs no approval.',
      });
    }
    this.deps.approvals.assertConfigured(decision.level);
    // Approval ids are random, so two simultaneous calls would both pass the check above: one
    // conditional claim lets a single caller write the request.
    const claimKey = `approval-request:${campaignId}`;
    if (this.deps.nameGuard && !(await this.deps.nameGuard.claim(claimKey, NAME_CLAIM_SECONDS))) {
      const raced = await this.existingCreationRequest(campaignId);
      if (raced) return { outcome: 'already_requested', campaign, approval: raced };
      throw new ConflictError(`an approval for ${campaignId} is being requested right now`);
    }
    const approval = await this.deps.approvals.request({
      campaign,
      kind: 'campaign_creation',
      decision,
      requesterId: actor.slackUserId,
      budgetCents: campaign.budgetCents,
      notify: notifyTargetFor(actor),
    });
    return { outcome: 'requested', campaign, approval };
  }

  /** A creation request of the campaign that is pending, or decided but not yet applied to it. */
  private async existingCreationRequest(campaignId: string): Promise<Approval | undefined> {
    const all = await this.deps.approvals.history(campaignId);
    const creation = all.filter((approval) => approval.kind === 'campaign_creation');
    // A decided one counts too: its `approval.finalize` moves the campaign out of PENDING_APPROVAL
    // (planned, rejected or cancelled), so asking again would duplicate the decision.
    return creation.find((approval) => approval.status === 'PENDING') ?? creation.at(-1);
  }

  /**
   * Changes a campaign's budget through the same policy: a cut, or a raise within the approved amount
   * (or under the threshold), applies at once (conditional write on the version); a raise past it
   * asks for approval again and leaves the campaign as it is until approved.
   */
  async changeBudget(
    campaignId: string,
    budgetCents: number,
    actor: Actor,
    options: { reason?: string; onDecided?: OnDecided } = {},
  ): Promise<ChangeBudgetResult> {
    if (!Number.isSafeInteger(budgetCents) || budgetCents <= 0 || budgetCents > MAX_BUDGET_CENTS) {
      throw new ValidationError('The budget must be a positive amount with at most 2 decimals.', {
        budgetCents: 'The budget must be a positive amount with at most 2 decimals.',
      });
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const campaign = await this.deps.campaigns.get(campaignId);
      if (!campaign) throw new NotFoundError('I could not find that campaign.');
      if (campaign.status === 'PENDING_APPROVAL') {
        throw new ValidationError(
          `“${escapeMrkdwn(campaign.name)}” is still waiting for its creation approval.`,
          {
            budgetCents: 'This campaign is still waiting for approval; change the budget once it is decided.',
          },
        );
      }
      if (NO_BUDGET_CHANGE_STATUSES.has(campaign.status)) {
        throw new ValidationError(`“${escapeMrkdwn(campaign.name)}” is ${campaign.status.toLowerCase()}.`, {
          budgetCents: `This campaign is ${campaign.status.toLowerCase()}; its budget can't change.`,
        });
      }
      if (budgetCents === campaign.budgetCents) return { outcome: 'updated', campaign };
      const approvedBudgetCents = campaign.approvedBudgetCents ?? campaign.budgetCents;
      const decision = evaluatePolicy(
        { kind: 'campaign.budget_change', budgetCents, approvedBudgetCents },
        this.deps.thresholds,
      );
      if (decision.outcome === 'block') throw new PolicyError(decision.message);
      if (decision.outcome === 'needs_approval') {
        this.deps.approvals.assertConfigured(decision.level);
        const earlier = await this.deps.approvals.history(campaignId);
        const pending = earlier.find((approval) => approval.status === 'PENDING');
        if (pending) {
          throw new ValidationError(
            `A budget change for “${escapeMrkdwn(campaign.name)}” is already waiting for approval.${pending.permalink ? ` ${pending.permalink}` : ''}`,
            { budgetCents: 'A budget change is already waiting for approval.' },
          );
        }
        // Two raises submitted at the same moment both pass the check above (approval ids are
        // random, the campaign index is eventually consistent): one conditional claim per campaign
        // and request count lets a single one through.
        const claimKey = `budget-approval:${campaignId}:${earlier.length}`;
        if (this.deps.nameGuard && !(await this.deps.nameGuard.claim(claimKey, NAME_CLAIM_SECONDS))) {
          throw new ValidationError(
            `A budget change for “${escapeMrkdwn(campaign.name)}” is being sent for approval right now.`,
            { budgetCents: 'Another budget change for this campaign was just sent for approval.' },
          );
        }
        const approval = await this.deps.approvals.request({
          campaign,
          kind: 'budget_change',
          decision,
          requesterId: actor.slackUserId,
          budgetCents,
          previousBudgetCents: campaign.budgetCents,
          previousApprovedBudgetCents: approvedBudgetCents,
          notify: notifyTargetFor(actor),
          ...(options.reason ? { reasonForChange: options.reason.slice(0, 500) } : {}),
          ...(options.onDecided ? { onDecided: options.onDecided } : {}),
        });
        return { outcome: 'pending_approval', campaign, approval };
      }
      try {
        const updated = await this.deps.campaigns.update(
          { ...campaign, budgetCents, updatedAt: this.deps.clock().toISOString() },
          campaign.version,
        );
        await this.recordBudgetChange(campaign, updated, actor);
        await this.deps.sync?.campaignChanged(updated, { by: actor.slackUserId, before: campaign });
        return { outcome: 'updated', campaign: updated };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new ConflictError(`campaign ${campaignId} kept changing; try again`);
  }

  /**
   * Records an applied budget change in the team's activity stream. The change itself is stored
   * already, so a failure here must not undo or hide it from the user: it costs the digest one line
   * and is logged as a warning (`budget_change_not_recorded`).
   */
  private async recordBudgetChange(before: Campaign, after: Campaign, actor: Actor): Promise<boolean> {
    if (!this.deps.activity) return false;
    try {
      await this.deps.activity.append({
        stream: teamActivityStream(after.teamId),
        type: BUDGET_CHANGED_EVENT,
        actor: actor.slackUserId,
        data: {
          campaignId: after.campaignId,
          campaignName: after.name,
          fromCents: before.budgetCents,
          toCents: after.budgetCents,
        },
      });
      return true;
    } catch (error) {
      this.deps.logger?.warn(
        { event: 'budget_change_not_recorded', campaignId: after.campaignId, error: String(error) },
        'budget change applied but not recorded for the digest',
      );
      return false;
    }
  }
}
