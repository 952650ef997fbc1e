import type { ApprovalLevel } from '../domain/model';
import { formatUsd } from '../domain/text';

/**
 * The one policy engine (DESIGN.md "Policies"), used by slash commands, modals, webhooks and agent
 * actions alike. Data-driven: each rule is a record in `rules`, evaluated in order; thresholds come
 * from configuration. Pure: no I/O.
 */
export type PolicyAction =
  | { kind: 'campaign.create'; budgetCents: number }
  | {
      kind: 'campaign.budget_change';
      budgetCents: number;
      /** The budget last approved (or the current one when it never needed approval). */
      approvedBudgetCents: number;
    }
  | { kind: 'campaign.update'; fields: readonly string[] }
  | { kind: 'task.create' | 'task.update' | 'task.assign' | 'read' }
  | {
      kind: 'external.write';
      system: ExternalSystem;
      operation: 'create' | 'update' | 'delete';
      objectType: string;
    };

type ExternalSystem = 'workfront' | 'asana' | 'salesforce' | 'adobe-analytics';

export type PolicyDecision =
  | { outcome: 'allow' }
  | { outcome: 'needs_approval'; level: ApprovalLevel; policyId: string; message: string }
  | { outcome: 'block'; policyId: string; message: string };

export interface PolicyThresholds {
  /** Over this (strictly), marketing leadership approves. Integer cents. */
  approvalThresholdCents: number;
  /** Over this (strictly), a VP approves. Integer cents. */
  vpThresholdCents: number;
}

interface Rule {
  id: string;
  applies(action: PolicyAction, t: PolicyThresholds): PolicyDecision | undefined;
}

function budgetOf(action: PolicyAction): number | undefined {
  if (action.kind === 'campaign.create') return action.budgetCents;
  // A budget change needs approval only when it rises past what was approved.
  if (action.kind === 'campaign.budget_change') {
    return action.budgetCents > action.approvedBudgetCents ? action.budgetCents : undefined;
  }
  return undefined;
}

const rules: Rule[] = [
  {
    id: 'read-only-systems',
    applies: (action) =>
      action.kind === 'external.write' &&
      (action.system === 'salesforce' || action.system === 'adobe-analytics')
        ? {
            outcome: 'block',
            policyId: 'read-only-systems',
            message: `${action.system === 'salesforce' ? 'Salesforce' : 'Adobe Analytics'} is read-only for Command Center.`,
          }
        : undefined,
  },
  {
    id: 'no-workfront-project-deletion',
    applies: (action) =>
      action.kind === 'external.write' &&
      action.system === 'workfront' &&
      action.operation === 'delete' &&
      action.objectType === 'project'
        ? {
            outcome: 'block',
            policyId: 'no-workfront-project-deletion',
            message: 'Project deletion must be done manually in Workfront.',
          }
        : undefined,
  },
  {
    id: 'vp-budget-approval',
    applies: (action, t) => {
      const budget = budgetOf(action);
      return budget !== undefined && budget > t.vpThresholdCents
        ? {
            outcome: 'needs_approval',
            level: 'vp',
            policyId: 'vp-budget-approval',
            message: `Budgets over ${formatUsd(t.vpThresholdCents)} need VP approval.`,
          }
        : undefined;
    },
  },
  {
    id: 'leadership-budget-approval',
    applies: (action, t) => {
      const budget = budgetOf(action);
      return budget !== undefined && budget > t.approvalThresholdCents
        ? {
            outcome: 'needs_approval',
            level: 'leadership',
            policyId: 'leadership-budget-approval',
            message: `Budgets over ${formatUsd(t.approvalThresholdCents)} need marketing leadership approval.`,
          }
        : undefined;
    },
  },
];

/** Evaluates `action` against every rule; the first rule that speaks decides. */
export function evaluatePolicy(action: PolicyAction, thresholds: PolicyThresholds): PolicyDecision {
  for (const rule of rules) {
    const decision = rule.applies(action, thresholds);
    if (decision) return decision;
  }
  return { outcome: 'allow' };
}

/** The rule ids, for documentation and tests. */
export const POLICY_IDS = rules.map((rule) => rule.id);
