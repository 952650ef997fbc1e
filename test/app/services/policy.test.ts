import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config';
import { evaluatePolicy, POLICY_IDS, type PolicyThresholds } from '../../../app/services/policy';

const defaults: PolicyThresholds = { approvalThresholdCents: 1_000_000, vpThresholdCents: 10_000_000 };

describe('evaluatePolicy — campaign budgets at the boundaries (integer cents)', () => {
  it.each([
    [1, 'allow', undefined],
    [1_000_000, 'allow', undefined], // $10,000.00
    [1_000_001, 'needs_approval', 'leadership'], // $10,000.01
    [10_000_000, 'needs_approval', 'leadership'], // $100,000.00
    [10_000_001, 'needs_approval', 'vp'], // $100,000.01
    [99_999_999_999, 'needs_approval', 'vp'],
  ])('%i cents → %s %s', (budgetCents, outcome, level) => {
    // Act
    const decision = evaluatePolicy({ kind: 'campaign.create', budgetCents }, defaults);
    // Assess
    expect(decision.outcome).toBe(outcome);
    if (decision.outcome === 'needs_approval') {
      expect(decision.level).toBe(level);
      expect(decision.policyId).toBe(level === 'vp' ? 'vp-budget-approval' : 'leadership-budget-approval');
      expect(decision.message).toContain(level === 'vp' ? 'over $100,000 need' : 'over $10,000 need');
    }
  });

  it('takes the thresholds from configuration (APPROVAL_THRESHOLD_USD, VP_THRESHOLD_USD), exactly in cents', () => {
    // Prepare
    const config = loadConfig({
      SLACK_SIGNING_SECRET: 'x-secret-1',
      APPROVAL_THRESHOLD_USD: '5000.50',
      VP_THRESHOLD_USD: '20000',
    });
    const thresholds = {
      approvalThresholdCents: config.approvals.thresholdCents,
      vpThresholdCents: config.approvals.vpThresholdCents,
    };
    // Act / Assess
    expect(thresholds).toEqual({ approvalThresholdCents: 500_050, vpThresholdCents: 2_000_000 });
    expect(evaluatePolicy({ kind: 'campaign.create', budgetCents: 500_050 }, thresholds).outcome).toBe(
      'allow',
    );
    expect(evaluatePolicy({ kind: 'campaign.create', budgetCents: 500_051 }, thresholds)).toMatchObject({
      level: 'leadership',
    });
    expect(evaluatePolicy({ kind: 'campaign.create', budgetCents: 2_000_001 }, thresholds)).toMatchObject({
      level: 'vp',
    });
  });
});

describe('evaluatePolicy — budget changes', () => {
  it('a cut never needs approval, even far over the thresholds', () => {
    const decision = evaluatePolicy(
      { kind: 'campaign.budget_change', budgetCents: 50_000_000, approvedBudgetCents: 90_000_000 },
      defaults,
    );
    expect(decision).toEqual({ outcome: 'allow' });
  });

  it('a raise within the approved amount applies at once', () => {
    const decision = evaluatePolicy(
      { kind: 'campaign.budget_change', budgetCents: 5_000_000, approvedBudgetCents: 5_000_000 },
      defaults,
    );
    expect(decision.outcome).toBe('allow');
  });

  it('a raise past the approved amount is judged on the new budget, at the same boundaries', () => {
    const change = (budgetCents: number) =>
      evaluatePolicy({ kind: 'campaign.budget_change', budgetCents, approvedBudgetCents: 500_000 }, defaults);
    expect(change(1_000_000).outcome).toBe('allow');
    expect(change(1_000_001)).toMatchObject({ outcome: 'needs_approval', level: 'leadership' });
    expect(change(10_000_000)).toMatchObject({ outcome: 'needs_approval', level: 'leadership' });
    expect(change(10_000_001)).toMatchObject({ outcome: 'needs_approval', level: 'vp' });
  });
});

describe('evaluatePolicy — blocks', () => {
  it('Salesforce and Adobe Analytics are read-only; Workfront projects are never deleted', () => {
    expect(
      evaluatePolicy(
        { kind: 'external.write', system: 'salesforce', operation: 'update', objectType: 'lead' },
        defaults,
      ),
    ).toMatchObject({ outcome: 'block', policyId: 'read-only-systems' });
    expect(
      evaluatePolicy(
        { kind: 'external.write', system: 'adobe-analytics', operation: 'create', objectType: 'x' },
        defaults,
      ),
    ).toMatchObject({ outcome: 'block', message: 'Adobe Analytics is read-only for Command Center.' });
    expect(
      evaluatePolicy(
        { kind: 'external.write', system: 'workfront', operation: 'delete', objectType: 'project' },
        defaults,
      ),
    ).toEqual({
      outcome: 'block',
      policyId: 'no-workfront-project-deletion',
      message: 'Project deletion must be done manually in Workfront.',
    });
    expect(
      evaluatePolicy(
        { kind: 'external.write', system: 'workfront', operation: 'delete', objectType: 'task' },
        defaults,
      ),
    ).toEqual({ outcome: 'allow' });
    expect(evaluatePolicy({ kind: 'read' }, defaults)).toEqual({ outcome: 'allow' });
    expect(POLICY_IDS).toEqual([
      'read-only-systems',
      'no-workfront-project-deletion',
      'vp-budget-approval',
      'leadership-budget-approval',
    ]);
  });
});
