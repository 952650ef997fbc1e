import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Deployment environments, chosen with `-c env=dev|staging|prod` (README, "Deploy"). Everything that
 * differs between them is here; the stack itself has no `if (prod)`.
 *
 * Model ids are cross-Region inference profile ids (`us.` prefix) as Bedrock Agents call newer
 * Claude models through them; override with `-c agentModel=<id>` where your Region or account uses
 * another (a model id without a geographic prefix is treated as an on-demand foundation model).
 */
export interface EnvironmentSettings {
  name: 'dev' | 'staging' | 'prod';
  /** Supervisor and collaborators' foundation model (or inference profile). */
  agentModel: string;
  logRetention: RetentionDays;
  /** DynamoDB deletion protection, and tables/secret/log groups kept when the stack is deleted. */
  protectData: boolean;
  /** Alarm actions (SNS) on; the alarms and dashboard exist in every environment. */
  alarmsEnabled: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export const ENVIRONMENTS: Record<EnvironmentSettings['name'], EnvironmentSettings> = {
  dev: {
    name: 'dev',
    agentModel: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    logRetention: RetentionDays.ONE_WEEK,
    protectData: false,
    alarmsEnabled: false,
    logLevel: 'debug',
  },
  staging: {
    name: 'staging',
    agentModel: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    logRetention: RetentionDays.ONE_MONTH,
    protectData: false,
    alarmsEnabled: true,
    logLevel: 'info',
  },
  prod: {
    name: 'prod',
    agentModel: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    logRetention: RetentionDays.THREE_MONTHS,
    protectData: true,
    alarmsEnabled: true,
    logLevel: 'info',
  },
};

/** How the agent is provided: built by this stack, an existing one by id, or none (offline agent). */
type AgentMode =
  | { kind: 'stack'; knowledgeBaseId: string | undefined }
  | { kind: 'existing'; agentId: string; agentAliasId: string }
  | { kind: 'offline' };

/** Everything the stack is built from: the environment plus the deploy-time choices (CDK context). */
export interface DeploymentSettings extends EnvironmentSettings {
  agent: AgentMode;
  /** Where alarm notifications are e-mailed (optional; the topic can get other subscribers). */
  alarmEmail: string | undefined;
  /** Budgets over these (USD) need leadership / VP approval. */
  approvalThresholdUsd: number;
  vpThresholdUsd: number;
}

/** Reads one context value as a string (CDK context values may be strings, numbers or booleans). */
type ContextReader = (key: string) => unknown;

const AGENT_ID = /^[0-9a-zA-Z]{1,10}$/;

/**
 * The settings for the context the app was given. Fails with a message naming the bad context
 * value, never silently falling back (a typo in `env` must not deploy dev settings to prod).
 */
export function deploymentSettings(context: ContextReader): DeploymentSettings {
  const text = (key: string): string | undefined => {
    const value = context(key);
    if (value === undefined || value === null || value === '') return undefined;
    return String(value).trim();
  };
  const envName = text('env') ?? 'dev';
  if (!(envName in ENVIRONMENTS)) {
    throw new Error(`-c env=${envName}: must be one of ${Object.keys(ENVIRONMENTS).join(', ')}`);
  }
  const base = ENVIRONMENTS[envName as EnvironmentSettings['name']];
  const number = (key: string, fallback: number): number => {
    const raw = text(key);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`-c ${key}=${raw}: must be a positive number`);
    return parsed;
  };
  const agents = text('agents') ?? 'stack';
  let agent: AgentMode;
  if (agents === 'stack') agent = { kind: 'stack', knowledgeBaseId: text('knowledgeBaseId') };
  else if (agents === 'offline') agent = { kind: 'offline' };
  else if (agents === 'existing') {
    const agentId = text('agentId') ?? '';
    const agentAliasId = text('agentAliasId') ?? '';
    if (!AGENT_ID.test(agentId) || !AGENT_ID.test(agentAliasId))
      throw new Error(
        '-c agents=existing needs -c agentId=<id> and -c agentAliasId=<id> (1–10 letters/digits)',
      );
    agent = { kind: 'existing', agentId, agentAliasId };
  } else throw new Error(`-c agents=${agents}: must be stack, existing or offline`);
  const knowledgeBaseId = text('knowledgeBaseId');
  if (knowledgeBaseId !== undefined && !/^[0-9a-zA-Z]{10}$/.test(knowledgeBaseId))
    throw new Error(
      `-c knowledgeBaseId=${knowledgeBaseId}: must be a Bedrock knowledge base id (10 letters/digits)`,
    );
  const approvalThresholdUsd = number('approvalThresholdUsd', 10_000);
  const vpThresholdUsd = number('vpThresholdUsd', 100_000);
  if (vpThresholdUsd <= approvalThresholdUsd)
    throw new Error('-c vpThresholdUsd must be greater than -c approvalThresholdUsd');
  return {
    ...base,
    agentModel: text('agentModel') ?? base.agentModel,
    agent,
    alarmEmail: text('alarmEmail'),
    approvalThresholdUsd,
    vpThresholdUsd,
  };
}
