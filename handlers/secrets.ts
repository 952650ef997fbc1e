import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../app/errors';

/**
 * On Lambda every secret lives in one Secrets Manager JSON secret (named by `APP_SECRET_ID`) whose
 * keys are the environment variable names (SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, …). It is read
 * once per container and merged under the plain environment (an explicit variable wins).
 * Locally there is no such secret and the environment is used as is.
 */
export async function environmentWithSecrets(
  env: Record<string, string | undefined>,
  client?: Pick<SecretsManagerClient, 'send'>,
): Promise<Record<string, string | undefined>> {
  const secretId = env.APP_SECRET_ID;
  if (!secretId) return env;
  // Built only when there is a secret to read (once per container, at init), never otherwise.
  const secrets = client ?? new SecretsManagerClient({});
  const result = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.SecretString ?? '');
  } catch (error) {
    throw new ConfigError('APP_SECRET_ID must name a JSON secret of variable names to values', {
      cause: error,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('APP_SECRET_ID must name a JSON object secret');
  }
  const fromSecret: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') fromSecret[key] = value;
  return {
    ...fromSecret,
    ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  };
}
