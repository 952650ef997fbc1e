import { fromSlackText } from '../../domain/text';
import { AGENT_FUNCTION_CATALOGUE, type AgentFunctionName } from './function-catalogue';
import type { AgentFunctionCall } from './stream';

/*
 * Function names and their readable descriptions, apart from the `ActionExecutor` (which imports
 * the domain services): the Confirm/Cancel listener describes a pending call without running it.
 * The functions themselves are defined once, in `function-catalogue.ts`.
 */

const plain = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Catalogue names by normalised name (`create_campaign`, `createCampaign` → `createcampaign`). */
const BY_PLAIN_NAME = new Map<string, AgentFunctionName>(
  AGENT_FUNCTION_CATALOGUE.map((fn) => [plain(fn.name), fn.name]),
);

/** Other names agents have been seen to use for the same functions. */
const ALIASES: Record<string, AgentFunctionName> = {
  updatecampaignfields: 'update_campaign',
  assigntask: 'assign_resource',
  assign: 'assign_resource',
  teamcapacity: 'get_team_capacity',
  updatetask: 'update_task_status',
  rescheduletask: 'update_task_due_date',
};

/** A function name lower-cased without separators, aliases resolved to their catalogue name's form. */
export function normaliseFunctionName(name: string): string {
  const key = plain(name);
  const alias = ALIASES[key];
  return alias ? plain(alias) : key;
}

/** The catalogue function `name` stands for (ignoring case, `_` and `-`, and known aliases), if any. */
export function catalogueFunctionOf(name: string): AgentFunctionName | undefined {
  return BY_PLAIN_NAME.get(normaliseFunctionName(name));
}

/** A parameter as the user should read it: decoded like `pick` does, at most 200 characters. */
function plainValue(raw: string): string {
  const value = fromSlackText(raw);
  return value.length > 200 ? `${value.slice(0, 199)}…` : value;
}

/** A readable title and parameter lines (plain text: the renderer escapes them) for the confirmation prompt. */
export function describeCall(call: AgentFunctionCall): { title: string; details: string[] } {
  const fn = catalogueFunctionOf(call.function);
  const title = fn ? AGENT_FUNCTION_CATALOGUE.find((entry) => entry.name === fn)?.title : undefined;
  return {
    title: title ?? `${call.actionGroup}: ${call.function}`,
    details: Object.entries(call.parameters)
      .slice(0, 12)
      .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${plainValue(value)}`),
  };
}
