import { z } from 'zod';
import { ConfigError } from './errors';

const csv = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^[SUW][A-Z0-9]{2,}$/,
          'must be Slack user-group ids (S…) or user ids (U…/W…), comma-separated',
        ),
    ),
  );

const usd = (fallback: number) =>
  z.coerce
    .number()
    .positive()
    .default(fallback)
    .transform((dollars) => Math.round(dollars * 100));

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const optionalUrl = optionalText.pipe(z.url().optional());

/** Every environment variable the app reads. Names are a contract (DESIGN.md); keep them stable. */
export const configSchema = z
  .object({
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** CloudWatch namespace of the app's metrics (EMF log lines, `app/metrics.ts`); set by the CDK stack. */
    METRICS_NAMESPACE: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9._/#:-]{1,255}$/, 'must be a CloudWatch namespace (letters, digits, . _ / # : -)')
        .optional(),
    ),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    SLACK_SIGNING_SECRET: z.string().min(1, 'is required (Basic Information → Signing Secret)'),
    SLACK_BOT_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^xoxb-/, 'must be a bot token (xoxb-…)')
        .optional(),
    ),
    SLACK_APP_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^xapp-/, 'must be an app-level token (xapp-…)')
        .optional(),
    ),
    /** Base URL of the Slack Web API, ending in `/api/`. Locally this points at the stand-in. */
    SLACK_API_URL: optionalUrl,
    /** The bot's own ids; passing them spares Bolt an `auth.test` call at cold start. */
    SLACK_BOT_ID: optionalText,
    SLACK_BOT_USER_ID: optionalText,
    DYNAMODB_ENDPOINT: optionalUrl,
    TABLE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]*$/, 'may only hold letters, digits, _ . -')
      .default('mcc-'),
    BEDROCK_AGENT_ID: optionalText.pipe(
      z
        .string()
        .regex(/^[0-9a-zA-Z]{1,10}$/)
        .optional(),
    ),
    BEDROCK_AGENT_ALIAS_ID: optionalText.pipe(
      z
        .string()
        .regex(/^[0-9a-zA-Z]{1,10}$/)
        .optional(),
    ),
    WORKFRONT_BASE_URL: optionalUrl,
    WORKFRONT_API_KEY: optionalText,
    WORKFRONT_WEBHOOK_TOKEN: optionalText,
    /** Workfront user id our API key acts as (its `lastUpdatedByID` marks our own writes' echoes). */
    WORKFRONT_API_USER_ID: optionalText,
    /** Custom fields synced with a project: `launchDate=DE:MCC Launch Date,tier=DE:MCC Tier,…`. */
    WORKFRONT_CUSTOM_FIELDS: optionalText,
    /** Asana custom-field gids synced with a project: `budgetCents=1201…,launchDate=1202…,…`. */
    ASANA_CUSTOM_FIELDS: optionalText,
    /** The app's public base URL (API Gateway); Asana webhooks are registered at `<url>/webhooks/asana`. */
    PUBLIC_BASE_URL: optionalUrl,
    /** REST API version in `/attask/api/v<version>`. */
    WORKFRONT_API_VERSION: z
      .string()
      .regex(/^\d+\.\d+$/, 'must look like 15.0')
      .default('15.0'),
    /** How WORKFRONT_API_KEY is sent: `apiKey-param` (documented `apiKey` parameter) or `sessionid-header`. */
    WORKFRONT_AUTH_MODE: z.enum(['apiKey-param', 'sessionid-header']).default('apiKey-param'),
    ASANA_BASE_URL: optionalUrl,
    ASANA_ACCESS_TOKEN: optionalText,
    ASANA_WORKSPACE_GID: optionalText,
    /** Asana team for new projects (organisations require one). */
    ASANA_TEAM_GID: optionalText,
    APPROVERS_LEADERSHIP: csv,
    APPROVERS_VP: csv,
    APPROVALS_CHANNEL: optionalText,
    APPROVAL_THRESHOLD_USD: usd(10_000),
    VP_THRESHOLD_USD: usd(100_000),
    APPROVAL_REMINDER_HOURS: z.coerce.number().positive().default(24),
    APPROVAL_EXPIRY_DAYS: z.coerce.number().positive().default(5),
    /** Cloud wiring, set by the CDK stack. Absent locally. */
    WORKER_FUNCTION_NAME: optionalText,
    SCHEDULED_FUNCTION_ARN: optionalText,
    SCHEDULER_ROLE_ARN: optionalText,
    SCHEDULER_GROUP: optionalText,
    AWS_REGION: optionalText,
    /** Set by the Lambda runtime; tells the cloud from a local process. */
    AWS_LAMBDA_FUNCTION_NAME: optionalText,
  })
  .superRefine((value, ctx) => {
    // On Lambda nothing may run after the response is sent, so in-process jobs would be frozen and
    // left to the sweep: a deployment without the worker is a misconfiguration, not a fallback.
    if (value.AWS_LAMBDA_FUNCTION_NAME && !value.WORKER_FUNCTION_NAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKER_FUNCTION_NAME'],
        message: 'is required on Lambda (jobs cannot run in-process after the response)',
      });
    }
    if (value.VP_THRESHOLD_USD <= value.APPROVAL_THRESHOLD_USD) {
      ctx.addIssue({
        code: 'custom',
        path: ['VP_THRESHOLD_USD'],
        message: 'must be greater than APPROVAL_THRESHOLD_USD',
      });
    }
    if (Boolean(value.BEDROCK_AGENT_ID) !== Boolean(value.BEDROCK_AGENT_ALIAS_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: [value.BEDROCK_AGENT_ID ? 'BEDROCK_AGENT_ALIAS_ID' : 'BEDROCK_AGENT_ID'],
        message: 'BEDROCK_AGENT_ID and BEDROCK_AGENT_ALIAS_ID must be set together',
      });
    }
    for (const name of ['WORKFRONT_CUSTOM_FIELDS', 'ASANA_CUSTOM_FIELDS'] as const) {
      const raw = value[name];
      if (!raw) continue;
      const bad = raw
        .split(',')
        .find((pair) => !/^(launchDate|tier|audience|channels|budgetCents)=\S.*$/.test(pair.trim()));
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `"${bad.trim()}" must be <field>=<custom field>, field one of launchDate, tier, audience, channels, budgetCents`,
        });
      }
    }
    if (Boolean(value.WORKFRONT_BASE_URL) !== Boolean(value.WORKFRONT_API_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: [value.WORKFRONT_BASE_URL ? 'WORKFRONT_API_KEY' : 'WORKFRONT_BASE_URL'],
        message: 'WORKFRONT_BASE_URL and WORKFRONT_API_KEY must be set together',
      });
    }
  });

type RawConfig = z.infer<typeof configSchema>;

/** Validated configuration. Money is in integer cents so policy boundaries are exact. */
export interface Config {
  logLevel: RawConfig['LOG_LEVEL'];
  /** Where the app's metrics go; undefined = not written (local runs). */
  metricsNamespace: string | undefined;
  port: number;
  slack: {
    signingSecret: string;
    botToken: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    botId: string | undefined;
    botUserId: string | undefined;
  };
  dynamo: { endpoint: string | undefined; tablePrefix: string; region: string };
  bedrock: { agentId: string; agentAliasId: string } | undefined;
  workfront:
    | {
        baseUrl: string;
        apiKey: string;
        webhookToken: string | undefined;
        apiVersion: string;
        authMode: 'apiKey-param' | 'sessionid-header';
      }
    | undefined;
  asana:
    | { baseUrl: string; accessToken: string; workspaceGid: string | undefined; teamGid: string | undefined }
    | undefined;
  sync: {
    workfrontWebhookToken: string | undefined;
    workfrontApiUserId: string | undefined;
    publicBaseUrl: string | undefined;
    /** Raw custom-field maps (parsed by the sync service, which names the variable on error). */
    workfrontCustomFields: string | undefined;
    asanaCustomFields: string | undefined;
  };
  approvals: {
    leadership: string[];
    vp: string[];
    channel: string | undefined;
    thresholdCents: number;
    vpThresholdCents: number;
    reminderHours: number;
    expiryDays: number;
  };
  cloud: {
    workerFunctionName: string | undefined;
    scheduledFunctionArn: string | undefined;
    schedulerRoleArn: string | undefined;
    schedulerGroup: string | undefined;
  };
  /** The raw values of every secret, so the logger can scrub them wherever they appear. */
  secrets: string[];
}

/**
 * Reads and validates configuration once. Fails fast with a `ConfigError` that names every
 * missing or bad variable (never its value).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Parsed once per container, on the cold path: without `jitless`, zod 4 would first generate and
  // compile (`new Function`) a fast parser for this object, which only pays off over many parses
  // (measured: first parse ~3 ms with the compile vs ~0.4 ms without, on this machine under load).
  const parsed = configSchema.safeParse(env, { jitless: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(config)'} ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const v = parsed.data;
  const secrets = [
    v.SLACK_SIGNING_SECRET,
    v.SLACK_BOT_TOKEN,
    v.SLACK_APP_TOKEN,
    v.WORKFRONT_API_KEY,
    v.WORKFRONT_WEBHOOK_TOKEN,
    v.ASANA_ACCESS_TOKEN,
  ].filter((s): s is string => typeof s === 'string' && s.length >= 6);
  return {
    logLevel: v.LOG_LEVEL,
    metricsNamespace: v.METRICS_NAMESPACE,
    port: v.PORT,
    slack: {
      signingSecret: v.SLACK_SIGNING_SECRET,
      botToken: v.SLACK_BOT_TOKEN,
      appToken: v.SLACK_APP_TOKEN,
      apiUrl: v.SLACK_API_URL,
      botId: v.SLACK_BOT_ID,
      botUserId: v.SLACK_BOT_USER_ID,
    },
    dynamo: {
      endpoint: v.DYNAMODB_ENDPOINT,
      tablePrefix: v.TABLE_PREFIX,
      region: v.AWS_REGION ?? 'us-east-1',
    },
    bedrock:
      v.BEDROCK_AGENT_ID && v.BEDROCK_AGENT_ALIAS_ID
        ? { agentId: v.BEDROCK_AGENT_ID, agentAliasId: v.BEDROCK_AGENT_ALIAS_ID }
        : undefined,
    workfront:
      v.WORKFRONT_BASE_URL && v.WORKFRONT_API_KEY
        ? {
            baseUrl: v.WORKFRONT_BASE_URL,
            apiKey: v.WORKFRONT_API_KEY,
            webhookToken: v.WORKFRONT_WEBHOOK_TOKEN,
            apiVersion: v.WORKFRONT_API_VERSION,
            authMode: v.WORKFRONT_AUTH_MODE,
          }
        : undefined,
    asana: v.ASANA_ACCESS_TOKEN
      ? {
          baseUrl: v.ASANA_BASE_URL ?? 'https://app.asana.com/api/1.0',
          accessToken: v.ASANA_ACCESS_TOKEN,
          workspaceGid: v.ASANA_WORKSPACE_GID,
          teamGid: v.ASANA_TEAM_GID,
        }
      : undefined,
    sync: {
      workfrontWebhookToken: v.WORKFRONT_WEBHOOK_TOKEN,
      workfrontApiUserId: v.WORKFRONT_API_USER_ID,
      publicBaseUrl: v.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
      workfrontCustomFields: v.WORKFRONT_CUSTOM_FIELDS,
      asanaCustomFields: v.ASANA_CUSTOM_FIELDS,
    },
    approvals: {
      leadership: v.APPROVERS_LEADERSHIP,
      vp: v.APPROVERS_VP,
      channel: v.APPROVALS_CHANNEL,
      thresholdCents: v.APPROVAL_THRESHOLD_USD,
      vpThresholdCents: v.VP_THRESHOLD_USD,
      reminderHours: v.APPROVAL_REMINDER_HOURS,
      expiryDays: v.APPROVAL_EXPIRY_DAYS,
    },
    cloud: {
      workerFunctionName: v.WORKER_FUNCTION_NAME,
      scheduledFunctionArn: v.SCHEDULED_FUNCTION_ARN,
      schedulerRoleArn: v.SCHEDULER_ROLE_ARN,
      schedulerGroup: v.SCHEDULER_GROUP,
    },
    secrets,
  };
}

/** Whether the Web API is Slack's own or a stand-in (loopback or any non-slack.com host). */
export function slackMode(config: Config): 'real' | 'stand-in' {
  if (!config.slack.apiUrl) return 'real';
  const host = new URL(config.slack.apiUrl).hostname;
  return host === 'slack.com' || host.endsWith('.slack.com') ? 'real' : 'stand-in';
}
