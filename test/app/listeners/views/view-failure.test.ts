import { describe, expect, it } from 'vitest';
import { StoreError, UserFacingError } from '../../../../app/errors';
import { viewFailure } from '../../../../app/listeners/views/view-failure';

describe('viewFailure', () => {
  it('keeps the modal open with the message on the field: a UserFacingError as is, anything else with a reference', () => {
    // Prepare
    const logged: unknown[] = [];
    const logger = { error: (...args: unknown[]) => void logged.push(args) };
    const context = {
      view: 'budget_change',
      blockId: 'budget_amount',
      fallback: 'Something went wrong; the budget was not changed. Try again',
      requestId: 'req-0123456789abcdef',
    };
    // Act
    const shown = viewFailure(logger, new UserFacingError('Approvals are not configured yet.'), context);
    const hidden = viewFailure(logger, new StoreError('dynamo said no: secret-ish detail'), context);
    // Assess
    expect(shown).toEqual({
      response_action: 'errors',
      errors: { budget_amount: 'Approvals are not configured yet.' },
    });
    expect(hidden.errors.budget_amount).toBe(
      'Something went wrong; the budget was not changed. Try again (reference 89abcdef).',
    );
    expect(JSON.stringify(hidden)).not.toContain('dynamo');
    expect(logged).toHaveLength(2);
  });
});
