/**
 * Where each configuration variable the app reads (`app/config.ts`) comes from on Lambda. Every name
 * is in exactly one of these lists (`test/infra/environment.test.ts`), so a variable added to the
 * code fails the test until the stack provides it or says why it does not.
 */

/**
 * The keys of the one Secrets Manager secret (`APP_SECRET_ID`): secrets and workspace-specific
 * settings, so an admin fills one secret (README, "Deploy"). A key added later goes here (and in
 * the README), never into the placeholder below.
 */
export const SECRET_KEYS = [
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_BOT_ID',
  'SLACK_BOT_USER_ID',
  'APPROVERS_LEADERSHIP',
  'APPROVERS_VP',
  'APPROVALS_CHANNEL',
  'WORKFRONT_BASE_URL',
  'WORKFRONT_API_KEY',
  'WORKFRONT_WEBHOOK_TOKEN',
  'ASANA_ACCESS_TOKEN',
  'ASANA_WORKSPACE_GID',
  'ASANA_TEAM_GID',
  // Two-way sync (issue 8): the API's URL (the `ApiUrl` output) and optional workspace settings.
  'PUBLIC_BASE_URL',
  'WORKFRONT_API_USER_ID',
  'WORKFRONT_CUSTOM_FIELDS',
  'ASANA_CUSTOM_FIELDS',
] as const;

/**
 * The keys the secret is created with, all empty. FROZEN: CloudFormation rewrites a secret's value
 * whenever this template value changes, so changing it would wipe every deployed secret the admins
 * filled. An empty SLACK_SIGNING_SECRET stops the functions with "SLACK_SIGNING_SECRET is required"
 * until it is filled. `test/infra/environment.test.ts` pins the exact text.
 */
const PLACEHOLDER_KEYS: readonly string[] = SECRET_KEYS.slice(0, 13);

/** The secret's initial JSON: the frozen keys, empty. */
export function secretPlaceholder(): string {
  return JSON.stringify(Object.fromEntries(PLACEHOLDER_KEYS.map((key) => [key, ''])), null, 2);
}

/** Set by the stack as plain environment variables (see `CommandCenterStack`). */
export const STACK_ENV_KEYS = [
  'LOG_LEVEL',
  'METRICS_NAMESPACE',
  'TABLE_PREFIX',
  'APP_SECRET_ID',
  'WORKER_FUNCTION_NAME',
  'SCHEDULED_FUNCTION_ARN',
  'SCHEDULER_ROLE_ARN',
  'SCHEDULER_GROUP',
  'APPROVAL_THRESHOLD_USD',
  'VP_THRESHOLD_USD',
  'APPROVAL_REMINDER_HOURS',
  'APPROVAL_EXPIRY_DAYS',
  'WORKFRONT_API_VERSION',
  'WORKFRONT_AUTH_MODE',
] as const;

/** Set only when the deployment has an agent (`-c agents=stack|existing`); without them the offline agent answers. */
export const AGENT_ENV_KEYS = ['BEDROCK_AGENT_ID', 'BEDROCK_AGENT_ALIAS_ID'] as const;

/** Set by the Lambda runtime itself. */
export const LAMBDA_RUNTIME_ENV_KEYS = ['AWS_REGION', 'AWS_LAMBDA_FUNCTION_NAME'] as const;

/** Read by the code but not set on Lambda, and why. */
export const NOT_SET_ON_LAMBDA: Record<string, string> = {
  PORT: 'local HTTP port (npm start); API Gateway fronts the functions',
  SLACK_APP_TOKEN: 'Socket Mode, for a local run against a real workspace; the deployed app uses HTTP',
  SLACK_API_URL: 'points at the local Slack stand-in; the default is Slack',
  DYNAMODB_ENDPOINT: 'points at the local engine; the default is DynamoDB in the function’s Region',
  ASANA_BASE_URL: 'points at the local Asana stand-in; the default is Asana',
};
