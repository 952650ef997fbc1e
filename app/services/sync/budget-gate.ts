import type { CampaignRepository } from '../../adapters/dynamo/campaign-repo';
import type { WorkSystem } from '../../domain/model';
import type { AppLogger } from '../../logger';
import type { ApprovalService } from '../approvals';
import { evaluatePolicy, type PolicyThresholds } from '../policy';
import type { PeoplePort } from './codecs';
import type { BudgetGate } from './ports';

/** A short-lived conditional claim (the dedupe table's `claim`). */
interface Claims {
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

/**
 * DESIGN.md: "A budget raised in Workfront/Asana past what was approved asks for approval again."
 * The same policy as `/mcc budget` (`campaign.budget_change` against the approved amount) decides;
 * a raise that needs approval becomes a budget request in the existing Approvals flow
 * (`ApprovalService.request`), and Command Center's budget stays as it is until it is decided.
 * One budget request waits per campaign at a time: a second raise meanwhile joins the pending one.
 */
export class PolicyBudgetGate implements BudgetGate {
  constructor(
    private readonly deps: {
      campaigns: Pick<CampaignRepository, 'get'>;
      approvals: Pick<ApprovalService, 'request' | 'pendingFor' | 'get' | 'assertConfigured'>;
      thresholds: PolicyThresholds;
      people: PeoplePort;
      claims: Claims;
      logger: AppLogger;
    },
  ) {}

  async evaluate(campaignId: string, budgetCents: number): Promise<'allow' | 'needs_approval'> {
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign) return 'allow';
    const decision = evaluatePolicy(
      {
        kind: 'campaign.budget_change',
        budgetCents,
        approvedBudgetCents: campaign.approvedBudgetCents ?? campaign.budgetCents,
      },
      this.deps.thresholds,
    );
    return decision.outcome === 'allow' ? 'allow' : 'needs_approval';
  }

  async requestApproval(input: {
    campaignId: string;
    budgetCents: number;
    system: WorkSystem;
    externalUser: string | undefined;
  }): Promise<string | undefined> {
    const pending = await this.deps.approvals.pendingFor(input.campaignId);
    if (pending) return pending.approvalId;
    const campaign = await this.deps.campaigns.get(input.campaignId);
    if (!campaign) return undefined;
    const approvedBudgetCents = campaign.approvedBudgetCents ?? campaign.budgetCents;
    const decision = evaluatePolicy(
      { kind: 'campaign.budget_change', budgetCents: input.budgetCents, approvedBudgetCents },
      this.deps.thresholds,
    );
    if (decision.outcome !== 'needs_approval') return undefined;
    // Retried jobs and duplicate deliveries must not file a second request.
    const claimKey = `sync-budget-approval:${input.campaignId}:${input.budgetCents}`;
    if (!(await this.deps.claims.claim(claimKey, 600))) {
      return (await this.deps.approvals.pendingFor(input.campaignId))?.approvalId;
    }
    this.deps.approvals.assertConfigured(decision.level);
    const person = input.externalUser
      ? await this.deps.people.slackUserFor(input.system, input.externalUser)
      : undefined;
    const where = input.system === 'asana' ? 'Asana' : 'Workfront';
    const approval = await this.deps.approvals.request({
      campaign,
      kind: 'budget_change',
      decision,
      // The person who raised it, when we know them in Slack; otherwise the campaign's owner asks.
      requesterId: person ?? campaign.ownerSlackId,
      budgetCents: input.budgetCents,
      previousBudgetCents: campaign.budgetCents,
      previousApprovedBudgetCents: approvedBudgetCents,
      notify: { channelId: campaign.ownerSlackId },
      reasonForChange: `Raised in ${where}${input.externalUser ? ` by ${where} user ${input.externalUser}` : ''}; the budget stays as approved until this is decided.`,
    });
    this.deps.logger.info(
      { campaignId: input.campaignId, approvalId: approval.approvalId, budgetCents: input.budgetCents },
      'sync: external budget raise sent for approval',
    );
    return approval.approvalId;
  }

  async status(approvalId: string) {
    return (await this.deps.approvals.get(approvalId))?.status;
  }
}
