import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from '@slack/bolt';
import Ajv from 'ajv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { buildHttpApp, buildRuntime } from '../handlers/runtime';

const root = join(__dirname, '..');
const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as {
  features: {
    app_home: {
      home_tab_enabled: boolean;
      messages_tab_enabled: boolean;
      messages_tab_read_only_enabled: boolean;
    };
    slash_commands?: { command: string; url?: string }[];
    shortcuts?: { callback_id: string; type: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
};

/** What the app registers, read by spying on Bolt's registration methods while the real app is built. */
function registeredListeners() {
  const commands = vi.spyOn(App.prototype, 'command');
  const events = vi.spyOn(App.prototype, 'event');
  const messages = vi.spyOn(App.prototype, 'message');
  const shortcuts = vi.spyOn(App.prototype, 'shortcut');
  const runtime = buildRuntime({
    env: {
      SLACK_SIGNING_SECRET: 'manifest-test-secret',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      LOG_LEVEL: 'error',
    },
    sink: () => undefined,
  });
  buildHttpApp(runtime);
  const names = (calls: unknown[][]) =>
    calls.map(([first]) => {
      if (typeof first === 'string') return first;
      if (first && typeof first === 'object' && 'callback_id' in first) return String(first.callback_id);
      throw new Error(
        `a listener is registered with a constraint the manifest test cannot read: ${String(first)}`,
      );
    });
  return {
    commands: new Set(names(commands.mock.calls)),
    events: new Set(names(events.mock.calls)),
    messageListeners: messages.mock.calls.length,
    shortcuts: new Set(names(shortcuts.mock.calls)),
  };
}

describe('manifest.yml', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is valid against Slack’s manifest schema (v2)', () => {
    const schema = JSON.parse(
      readFileSync(join(__dirname, 'fixtures/slack-manifest-schema/manifest.schema.2.0.0.json'), 'utf8'),
    ) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('declares exactly the slash commands the app registers', () => {
    const declared = new Set((manifest.features.slash_commands ?? []).map((c) => c.command));
    expect(declared).toEqual(registeredListeners().commands);
  });

  it('declares exactly the shortcuts the app registers', () => {
    const declared = new Set((manifest.features.shortcuts ?? []).map((s) => s.callback_id));
    expect(declared).toEqual(registeredListeners().shortcuts);
  });

  it('subscribes to exactly the events the app listens to', () => {
    const registered = registeredListeners();
    // Bolt's app.message() and app.event('message') both consume `message.*` subscriptions.
    const expected = new Set(
      [...registered.events].map((event) => (event === 'message' ? 'message.im' : event)),
    );
    if (registered.messageListeners > 0) expected.add('message.im');
    expect(new Set(manifest.settings.event_subscriptions.bot_events)).toEqual(expected);
  });

  it('sends commands, events and interactivity to the one Slack route', () => {
    const urls = [
      ...(manifest.features.slash_commands ?? []).map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(new URL(String(url)).pathname).toBe('/slack/events');
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('App Home: the Messages tab is on and writable (the app answers DMs), the Home tab off (no app_home_opened listener)', () => {
    const registered = registeredListeners();
    const answersDms = registered.messageListeners > 0 || registered.events.has('message');
    expect(manifest.features.app_home.messages_tab_enabled).toBe(answersDms);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
    expect(manifest.features.app_home.home_tab_enabled).toBe(registered.events.has('app_home_opened'));
  });

  it('is the deployed (HTTP) app: Socket Mode off here, on only in the copy `npm run manifest -- --socket-mode` writes (README)', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('npm run manifest -- --socket-mode');
    expect(readme).toContain('npm run manifest -- --outputs cdk-outputs.json');
  });

  it('asks for the scopes the Web API methods we call need, and no more', () => {
    expect(new Set(manifest.oauth_config.scopes.bot)).toEqual(
      new Set([
        'app_mentions:read', // app_mention events
        'channels:read', // conversations.info (public)
        'groups:read', // conversations.info (private)
        'channels:history', // conversations.history: find a digest an interrupted run posted (public)
        'groups:history', // … in private channels
        'files:write', // files.getUploadURLExternal / completeUploadExternal: the digest's timeline picture
        'chat:write', // chat.postMessage / update / postEphemeral / delete
        'chat:write.public', // announcements in team channels the bot has not joined
        'commands', // /mcc and the global shortcut
        'im:history', // message.im events (DMs to the bot)
        'im:read', // conversations.info on DMs
        'im:write', // conversations.open to DM requesters and task owners
        'usergroups:read', // usergroups.users.list for approver groups
        'users:read', // users.info for time zones and names
      ]),
    );
  });
});
