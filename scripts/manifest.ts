import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Ajv from 'ajv';
import { parseDocument } from 'yaml';
import { SLACK_EVENTS_PATH } from '../app/http/receiver';

/**
 * `npm run manifest`: a copy of `manifest.yml` ready to paste into the Slack app's settings
 * (api.slack.com/apps → your app → App Manifest), checked against Slack's manifest schema first.
 *
 *   npm run manifest -- --url https://abc123.execute-api.us-east-1.amazonaws.com
 *   npm run manifest -- --outputs cdk-outputs.json [--stack CommandCenter-prod]
 *        every request URL (slash command, events, interactivity) → <url>/slack/events, HTTP mode
 *        (Socket Mode off); writes manifest.deployed.yml
 *   npm run manifest -- --socket-mode
 *        Socket Mode on and no request URLs, for `npm start` against a real workspace;
 *        writes manifest.socket-mode.yml
 *   --out FILE writes elsewhere. `manifest.yml` itself is never changed.
 */

const ROOT = resolve(__dirname, '..');
const SCHEMA = join(ROOT, 'test', 'fixtures', 'slack-manifest-schema', 'manifest.schema.2.0.0.json');

export type ManifestTarget = { kind: 'http'; baseUrl: string } | { kind: 'socket-mode' };

/** A clear error for a bad argument or input (the CLI prints its message and exits 1). */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

/**
 * The base URL of the deployed API from `url` (`https://host[/stage]`, with or without the
 * `/slack/events` path). Slack only calls HTTPS request URLs.
 */
export function apiBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new ManifestError(`--url ${url}: not a URL`);
  }
  if (parsed.protocol !== 'https:')
    throw new ManifestError(`--url ${url}: Slack only calls https:// request URLs`);
  if (parsed.search || parsed.hash)
    throw new ManifestError(`--url ${url}: give the base URL, without ? or #`);
  const path = parsed.pathname.replace(/\/+$/, '');
  const base = path.endsWith(SLACK_EVENTS_PATH) ? path.slice(0, -SLACK_EVENTS_PATH.length) : path;
  return `${parsed.origin}${base}`;
}

/**
 * The API's base URL from `cdk deploy --outputs-file` JSON (`{ "<stack>": { "ApiUrl": … } }`). With
 * several Command Center stacks in the file, `stack` picks one.
 */
export function apiUrlFromOutputs(outputsJson: string, stack?: string): string {
  let outputs: unknown;
  try {
    outputs = JSON.parse(outputsJson);
  } catch {
    throw new ManifestError('--outputs: not a JSON file (expected `cdk deploy --outputs-file` output)');
  }
  if (outputs === null || typeof outputs !== 'object')
    throw new ManifestError('--outputs: expected a JSON object');
  const candidates = Object.entries(outputs as Record<string, unknown>).flatMap(([name, values]) => {
    const apiUrl =
      values && typeof values === 'object' ? (values as Record<string, unknown>).ApiUrl : undefined;
    return typeof apiUrl === 'string' && (!stack || name === stack) ? [{ name, apiUrl }] : [];
  });
  if (candidates.length === 0)
    throw new ManifestError(
      `--outputs: no ${stack ? `stack ${stack} with an ` : ''}ApiUrl output in the file`,
    );
  if (candidates.length > 1)
    throw new ManifestError(
      `--outputs: several stacks (${candidates.map((c) => c.name).join(', ')}); pick one with --stack`,
    );
  return candidates[0]?.apiUrl ?? '';
}

/** Validates a manifest object against Slack's v2 manifest schema; throws naming every problem. */
function assertValidManifest(manifest: unknown): void {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  if (!validate(manifest)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    throw new ManifestError(`the manifest does not match Slack's schema: ${problems.join('; ')}`);
  }
}

/** `manifest.yml`'s text rewritten for `target` (comments kept), validated against Slack's schema. */
export function manifestFor(source: string, target: ManifestTarget): string {
  const doc = parseDocument(source);
  const commands = doc.getIn(['features', 'slash_commands']) as { items?: unknown[] } | undefined;
  const commandCount = commands?.items?.length ?? 0;
  if (target.kind === 'http') {
    const requestUrl = `${target.baseUrl}${SLACK_EVENTS_PATH}`;
    for (let i = 0; i < commandCount; i += 1) doc.setIn(['features', 'slash_commands', i, 'url'], requestUrl);
    doc.setIn(['settings', 'event_subscriptions', 'request_url'], requestUrl);
    doc.setIn(['settings', 'interactivity', 'request_url'], requestUrl);
    doc.setIn(['settings', 'socket_mode_enabled'], false);
  } else {
    // Over Socket Mode Slack sends everything down the app's WebSocket: no request URL is used.
    for (let i = 0; i < commandCount; i += 1) doc.deleteIn(['features', 'slash_commands', i, 'url']);
    doc.deleteIn(['settings', 'event_subscriptions', 'request_url']);
    doc.deleteIn(['settings', 'interactivity', 'request_url']);
    doc.setIn(['settings', 'socket_mode_enabled'], true);
  }
  assertValidManifest(doc.toJS());
  const note =
    target.kind === 'http'
      ? `# Generated by \`npm run manifest\` from manifest.yml for ${target.baseUrl} (HTTP mode).\n`
      : '# Generated by `npm run manifest -- --socket-mode` from manifest.yml (Socket Mode, for npm start).\n';
  return `${note}${doc.toString()}`;
}

/** Parses the CLI arguments into what to write where. */
export function parseArgs(
  args: string[],
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): { target: ManifestTarget; out: string } {
  const value = (flag: string): string | undefined => {
    const index = args.indexOf(flag);
    if (index < 0) return undefined;
    const next = args[index + 1];
    if (!next || next.startsWith('--')) throw new ManifestError(`${flag} needs a value`);
    return next;
  };
  const known = new Set(['--url', '--outputs', '--stack', '--out', '--socket-mode']);
  const unknown = args.filter((arg) => arg.startsWith('--') && !known.has(arg));
  if (unknown.length > 0) throw new ManifestError(`unknown option ${unknown.join(', ')}`);
  const url = value('--url');
  const outputs = value('--outputs');
  const socketMode = args.includes('--socket-mode');
  if ([url, outputs, socketMode || undefined].filter(Boolean).length !== 1)
    throw new ManifestError(
      'give exactly one of --url <https://…>, --outputs <cdk-outputs.json> or --socket-mode',
    );
  const target: ManifestTarget = socketMode
    ? { kind: 'socket-mode' }
    : {
        kind: 'http',
        baseUrl: apiBaseUrl(url ?? apiUrlFromOutputs(readFile(outputs ?? ''), value('--stack'))),
      };
  const out = value('--out') ?? (socketMode ? 'manifest.socket-mode.yml' : 'manifest.deployed.yml');
  return { target, out };
}

function main(): void {
  const { target, out } = parseArgs(process.argv.slice(2));
  const written = manifestFor(readFileSync(join(ROOT, 'manifest.yml'), 'utf8'), target);
  const path = resolve(process.cwd(), out);
  writeFileSync(path, written);
  console.log(
    `wrote ${relative(process.cwd(), path)}: paste it into api.slack.com/apps → your app → App Manifest` +
      (target.kind === 'http' ? ` (request URL ${target.baseUrl}${SLACK_EVENTS_PATH})` : ' (Socket Mode on)'),
  );
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`manifest: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
