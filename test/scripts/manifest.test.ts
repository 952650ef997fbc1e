import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiBaseUrl, apiUrlFromOutputs, ManifestError, manifestFor, parseArgs } from '../../scripts/manifest';

const ROOT = join(__dirname, '..', '..');
const SOURCE = readFileSync(join(ROOT, 'manifest.yml'), 'utf8');
const API = 'https://abc123.execute-api.eu-west-1.amazonaws.com';

interface Manifest {
  features: { slash_commands: { command: string; url?: string }[]; shortcuts: unknown[] };
  oauth_config: unknown;
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const tmp = mkdtempSync(join(tmpdir(), 'mcc-manifest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run manifest', () => {
  it('--url: every request URL points at the deployed /slack/events, HTTP mode, everything else unchanged', () => {
    const written = parse(manifestFor(SOURCE, { kind: 'http', baseUrl: API })) as Manifest;
    const original = parse(SOURCE) as Manifest;
    const urls = [
      ...written.features.slash_commands.map((c) => c.url),
      written.settings.event_subscriptions.request_url,
      written.settings.interactivity.request_url,
    ];
    expect(new Set(urls)).toEqual(new Set([`${API}/slack/events`]));
    expect(written.settings.socket_mode_enabled).toBe(false);
    expect(written.oauth_config).toEqual(original.oauth_config);
    expect(written.settings.event_subscriptions.bot_events).toEqual(
      original.settings.event_subscriptions.bot_events,
    );
    expect(written.features.shortcuts).toEqual(original.features.shortcuts);
    expect(SOURCE).toContain('YOUR-API-HOST');
  });

  it('--socket-mode: Socket Mode on and no request URLs (for npm start against a real workspace)', () => {
    const written = parse(manifestFor(SOURCE, { kind: 'socket-mode' })) as Manifest;
    expect(written.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(written)).not.toContain('request_url');
    expect(written.features.slash_commands.every((c) => c.url === undefined)).toBe(true);
    expect(written.settings.interactivity.is_enabled).toBe(true);
  });

  it('accepts the base URL with or without /slack/events or a trailing slash, and refuses http:// or junk', () => {
    expect(apiBaseUrl(`${API}/`)).toBe(API);
    expect(apiBaseUrl(`${API}/slack/events`)).toBe(API);
    expect(apiBaseUrl(`${API}/prod/`)).toBe(`${API}/prod`);
    expect(() => apiBaseUrl('http://abc.example.com')).toThrow('https://');
    expect(() => apiBaseUrl('not a url')).toThrow(ManifestError);
    expect(() => apiBaseUrl(`${API}?x=1`)).toThrow('without ?');
  });

  it('--outputs: reads ApiUrl from `cdk deploy --outputs-file`, picking the stack when there are several', () => {
    const one = JSON.stringify({ 'CommandCenter-prod': { ApiUrl: API, SecretArn: 'arn:…' } });
    expect(apiUrlFromOutputs(one)).toBe(API);
    const two = JSON.stringify({
      'CommandCenter-dev': { ApiUrl: 'https://dev.example.com' },
      'CommandCenter-prod': { ApiUrl: API },
    });
    expect(() => apiUrlFromOutputs(two)).toThrow('--stack');
    expect(apiUrlFromOutputs(two, 'CommandCenter-prod')).toBe(API);
    expect(() => apiUrlFromOutputs('{"Other":{"Bucket":"x"}}')).toThrow('no ApiUrl');
    expect(() => apiUrlFromOutputs('nope')).toThrow('not a JSON file');
  });

  it('parses its arguments and refuses ambiguous ones', () => {
    expect(parseArgs(['--url', API])).toEqual({
      target: { kind: 'http', baseUrl: API },
      out: 'manifest.deployed.yml',
    });
    expect(parseArgs(['--socket-mode', '--out', 'x.yml'])).toEqual({
      target: { kind: 'socket-mode' },
      out: 'x.yml',
    });
    expect(parseArgs(['--outputs', 'o.json'], () => JSON.stringify({ S: { ApiUrl: API } })).target).toEqual({
      kind: 'http',
      baseUrl: API,
    });
    expect(() => parseArgs([])).toThrow('exactly one of');
    expect(() => parseArgs(['--url', API, '--socket-mode'])).toThrow('exactly one of');
    expect(() => parseArgs(['--url'])).toThrow('--url needs a value');
    expect(() => parseArgs(['--urll', API])).toThrow('unknown option --urll');
  });

  it('the CLI writes the copy from stack outputs and leaves manifest.yml alone', () => {
    const outputs = join(tmp, 'cdk-outputs.json');
    writeFileSync(outputs, JSON.stringify({ 'CommandCenter-prod': { ApiUrl: API } }));
    const out = join(tmp, 'deployed.yml');
    const result = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/manifest.ts', '--outputs', outputs, '--out', out],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${API}/slack/events`);
    const written = parse(readFileSync(out, 'utf8')) as Manifest;
    expect(written.settings.event_subscriptions.request_url).toBe(`${API}/slack/events`);
    expect(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')).toBe(SOURCE);
    const bad = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'scripts/manifest.ts', '--url', 'http://x'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Slack only calls https://');
  }, 30_000);
});
