import { fromSlackText } from '../../domain/text';
import { ValidationError } from '../../errors';
import { type Actor, parseUsdToCents } from '../campaign-inputs';
import type { PolicyAction } from '../policy';

/* The agent's action parameters as it sends them (strings, aliases, lists), read into typed values. */

/** The external write a function name stands for, when it names one (for the policy engine). */
export function externalWriteOf(name: string): Extract<PolicyAction, { kind: 'external.write' }> | undefined {
  const operation = /delete|remove|archive/.test(name)
    ? 'delete'
    : /create|add|new/.test(name)
      ? 'create'
      : /update|set|change|write|edit/.test(name)
        ? 'update'
        : undefined;
  if (!operation) return undefined;
  if (name.includes('salesforce'))
    return { kind: 'external.write', system: 'salesforce', operation, objectType: 'record' };
  if (name.includes('analytics'))
    return { kind: 'external.write', system: 'adobe-analytics', operation, objectType: 'report' };
  if (name.includes('project') && operation === 'delete') {
    return { kind: 'external.write', system: 'workfront', operation, objectType: 'project' };
  }
  return undefined;
}

/**
 * The first of `names` the agent filled in (parameter names vary: aliases), as plain text: the model
 * reads our data escaped for Slack (`R&amp;D`, see session-attributes.ts and the action results), so
 * what it hands back is decoded once here, like text typed in Slack.
 */
export const pick = (params: Record<string, string>, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value = params[name];
    if (value !== undefined && value.trim() !== '') return fromSlackText(value.trim());
  }
  return undefined;
};

/** A list parameter: a JSON array or comma-separated text. */
export function parseList(value: string | undefined): string[] {
  if (!value) return [];
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed))
        return parsed
          .map(String)
          .map((s) => s.trim())
          .filter(Boolean);
    } catch {
      // Not JSON after all: fall through to comma splitting.
    }
  }
  return trimmed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A Slack user id from `me`, `U…`, `@U…` or `<@U…>`. */
export function parseUserId(value: string | undefined, actor: Actor): string | undefined {
  if (!value) return undefined;
  if (/^(me|myself|i)$/i.test(value)) return actor.slackUserId;
  const match = /^<?@?([UW][A-Z0-9]{2,})(\|[^>]*)?>?$/.exec(value.trim());
  return match?.[1];
}

/** An amount in cents; a clear `ValidationError` (REPROMPT) when missing or malformed. */
export function money(value: string | undefined, field: string): number {
  if (!value) throw new ValidationError(`The ${field} is required.`, { [field]: 'is required' });
  const parsed = parseUsdToCents(value);
  if (!parsed.ok) throw new ValidationError(parsed.message, { [field]: parsed.message });
  return parsed.cents;
}
