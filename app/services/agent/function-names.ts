import type { AgentFunctionCall } from './stream';

/*
 * Function names and their readable descriptions, apart from the `ActionExecutor` (which imports
 * the domain services): the Confirm/Cancel listener describes a pending call without running it.
 */

/** The functions we execute, by normalised name (`create_campaign`, `createCampaign` → `createcampaign`). */
const AGENT_FUNCTIONS = [
  'createcampaign',
  'updatecampaign',
  'createtask',
  'updatetaskstatus',
  'assignresource',
  'getteamcapacity',
] as const;

const ALIASES: Record<string, (typeof AGENT_FUNCTIONS)[number]> = {
  updatecampaignfields: 'updatecampaign',
  assigntask: 'assignresource',
  assign: 'assignresource',
  teamcapacity: 'getteamcapacity',
  updatetask: 'updatetaskstatus',
};

export function normaliseFunctionName(name: string): string {
  const plain = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return ALIASES[plain] ?? plain;
}

/** A readable title and parameter lines for the confirmation prompt. */
export function describeCall(call: AgentFunctionCall): { title: string; details: string[] } {
  const titles: Record<string, string> = {
    createcampaign: 'Create a campaign',
    updatecampaign: 'Update a campaign',
    createtask: 'Create a task',
    updatetaskstatus: 'Change a task’s status',
    assignresource: 'Assign a task',
    getteamcapacity: 'Read team capacity',
  };
  const name = normaliseFunctionName(call.function);
  return {
    title: titles[name] ?? `${call.actionGroup}: ${call.function}`,
    details: Object.entries(call.parameters)
      .slice(0, 12)
      .map(
        ([key, value]) =>
          `${key.replace(/_/g, ' ')}: ${value.length > 200 ? `${value.slice(0, 199)}…` : value}`,
      ),
  };
}
