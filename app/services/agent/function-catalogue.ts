/**
 * The return-of-control functions Command Center executes for the Bedrock agent: the one
 * definition of their names, descriptions, parameters and confirmation. The CDK stack builds the
 * agents' action-group function schemas from it (`infra/constructs/agents.ts`), `function-names.ts`
 * matches calls against it, and `ActionExecutor` has one handler per entry (a `Record` keyed by
 * these names, so the compiler rejects a missing or extra one); `test/app/services/agent/
 * function-catalogue.test.ts` proves the executor reads exactly these parameters and requires
 * exactly the required ones. Import-light on purpose: the CDK app reads it.
 *
 * Limits (Bedrock CreateAgentActionGroup): names `([0-9a-zA-Z][_-]?){1,100}`, descriptions up to
 * 500 characters (checked by the test). Whether Bedrock caps the number of parameters per function
 * below the ten of `create_campaign` is UNCONFIRMED here; if it does, `cdk deploy` fails on the
 * action group with a message naming the quota (README, Troubleshooting).
 */

type AgentParameterType = 'string' | 'number' | 'integer' | 'boolean' | 'array';

interface AgentParameterDef {
  name: string;
  type: AgentParameterType;
  description: string;
  required: boolean;
}

/** The collaborators that carry action groups (the supervisor and Knowledge carry none). */
export type ActionCollaborator = 'strategy' | 'production' | 'analytics';

export interface AgentFunctionDef {
  /** As the agent calls it (matched ignoring case and `_`). */
  name: string;
  /** The collaborator whose action group holds it. */
  collaborator: ActionCollaborator;
  /** Shown on the Confirm / Cancel prompt. */
  title: string;
  description: string;
  parameters: readonly AgentParameterDef[];
  /** `requireConfirmation: ENABLED`: the user confirms in Slack before it runs. */
  requireConfirmation: boolean;
}

const campaignRef: AgentParameterDef = {
  name: 'campaign',
  type: 'string',
  description: 'The campaign, by its id (cmp_…) or its name (matched forgivingly).',
  required: true,
};

export const AGENT_FUNCTION_CATALOGUE = [
  {
    name: 'create_campaign',
    collaborator: 'strategy',
    title: 'Create a campaign',
    description:
      'Create a marketing campaign in Command Center. A budget over the approval threshold is filed for approval ' +
      '(leadership over $10,000, then a VP over $100,000) and the turn resumes when it is decided; otherwise the ' +
      'campaign is created at once and its project is set up in Workfront (event campaigns: Asana).',
    parameters: [
      { name: 'name', type: 'string', description: 'Campaign name.', required: true },
      {
        name: 'type',
        type: 'string',
        description: 'standard, event or partner (default standard). Event campaigns are planned in Asana.',
        required: false,
      },
      { name: 'tier', type: 'integer', description: 'Tier 1, 2 or 3 (default 2).', required: false },
      {
        name: 'team',
        type: 'string',
        description: 'The owning marketing team, by name or id.',
        required: true,
      },
      {
        name: 'budget',
        type: 'string',
        description: 'Budget in US dollars, e.g. 25000 or $25,000.',
        required: true,
      },
      { name: 'launch_date', type: 'string', description: 'Launch date, YYYY-MM-DD.', required: true },
      { name: 'end_date', type: 'string', description: 'End date, YYYY-MM-DD.', required: false },
      { name: 'audience', type: 'string', description: 'Target audience, in words.', required: false },
      {
        name: 'channels',
        type: 'string',
        description: 'Channels, comma-separated or a JSON array, e.g. email, paid social.',
        required: false,
      },
      { name: 'description', type: 'string', description: 'What the campaign is for.', required: false },
    ],
    requireConfirmation: true,
  },
  {
    name: 'update_campaign',
    collaborator: 'strategy',
    title: 'Update a campaign',
    description:
      'Change fields of an existing campaign. Give only the fields to change. A budget raise past the approved ' +
      'amount to over the threshold goes to approval and the budget stays as it is until decided.',
    parameters: [
      campaignRef,
      { name: 'name', type: 'string', description: 'A new name.', required: false },
      { name: 'budget', type: 'string', description: 'A new budget in US dollars.', required: false },
      { name: 'launch_date', type: 'string', description: 'A new launch date, YYYY-MM-DD.', required: false },
      { name: 'end_date', type: 'string', description: 'A new end date, YYYY-MM-DD.', required: false },
      { name: 'audience', type: 'string', description: 'A new target audience.', required: false },
      {
        name: 'channels',
        type: 'string',
        description: 'The new channel list, comma-separated or a JSON array.',
        required: false,
      },
      { name: 'description', type: 'string', description: 'A new description.', required: false },
    ],
    requireConfirmation: true,
  },
  {
    name: 'create_task',
    collaborator: 'production',
    title: 'Create a task',
    description:
      'Add a task to a campaign’s plan in Command Center (not yet pushed to Workfront/Asana; the outbound sync does that).',
    parameters: [
      campaignRef,
      { name: 'name', type: 'string', description: 'Task name.', required: true },
      {
        name: 'owner',
        type: 'string',
        description: 'Owner: a Slack user id (U…), a mention, or "me".',
        required: false,
      },
      { name: 'due_date', type: 'string', description: 'Due date, YYYY-MM-DD.', required: false },
      {
        name: 'milestone',
        type: 'boolean',
        description: 'true if the task is a milestone.',
        required: false,
      },
    ],
    requireConfirmation: false,
  },
  {
    name: 'update_task_status',
    collaborator: 'production',
    title: 'Change a task’s status',
    description: 'Move a campaign task to another status.',
    parameters: [
      campaignRef,
      { name: 'task', type: 'string', description: 'The task, by id or name.', required: true },
      {
        name: 'status',
        type: 'string',
        description: 'NOT_STARTED, IN_PROGRESS, BLOCKED, DONE or CANCELLED ("complete" means DONE).',
        required: true,
      },
    ],
    requireConfirmation: false,
  },
  {
    name: 'assign_resource',
    collaborator: 'production',
    title: 'Assign a task',
    description: 'Assign a campaign task to a person.',
    parameters: [
      campaignRef,
      { name: 'task', type: 'string', description: 'The task, by id or name.', required: true },
      {
        name: 'assignee',
        type: 'string',
        description: 'A Slack user id (U…), a mention, or "me".',
        required: true,
      },
    ],
    requireConfirmation: false,
  },
  {
    name: 'update_task_due_date',
    collaborator: 'production',
    title: 'Change a task’s due date',
    description:
      'Move a campaign task’s due date. The new date syncs to the task in Workfront/Asana when the campaign is linked there.',
    parameters: [
      campaignRef,
      { name: 'task', type: 'string', description: 'The task, by id or name.', required: true },
      { name: 'due_date', type: 'string', description: 'The new due date, YYYY-MM-DD.', required: true },
    ],
    requireConfirmation: false,
  },
  {
    name: 'get_team_capacity',
    collaborator: 'analytics',
    title: 'Read team capacity',
    description:
      'Per person in a marketing team: open, overdue and due-this-week tasks on active campaigns. Read-only.',
    parameters: [{ name: 'team', type: 'string', description: 'The team, by name or id.', required: true }],
    requireConfirmation: false,
  },
] as const satisfies readonly AgentFunctionDef[];

export type AgentFunctionName = (typeof AGENT_FUNCTION_CATALOGUE)[number]['name'];

/** The action group of a collaborator (one per collaborator that has functions). */
export function actionGroupName(collaborator: ActionCollaborator): string {
  return `${collaborator}_actions`;
}
