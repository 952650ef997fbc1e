/**
 * fast-check arbitraries for what an attacker who holds the signing secret (or a buggy proxy) could
 * send to /slack/events: every content type (form, JSON, text, none, nonsense charsets) with
 * garbage bodies, and real Slack payloads (each of the app's commands, buttons, modals, shortcuts
 * and events) with one to three fields deleted, nulled or replaced by a wrong type. The request is
 * signed by the target (`signSlackRequest`), so every body passes Bolt's signature check.
 */
import fc from 'fast-check';
import { ActionIds, CallbackIds } from '../../app/ids';
import {
  appMentionEvent,
  blockActionsPayload,
  directMessageEvent,
  eventCallback,
  PAYLOAD_DEFAULTS,
  slashCommand,
  viewSubmissionPayload,
} from './payloads';

/** One request body as bytes, with the content type it is sent with (none when undefined). */
export interface FuzzRequest {
  kind: 'garbage' | 'mutated';
  contentType: string | undefined;
  body: Buffer;
  /** Short, for a failing case's report. */
  label: string;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

const contentTypes = fc.constantFrom<string | undefined>(
  FORM,
  `${FORM}; charset=utf-8`,
  `${FORM}; charset=koi8-r`,
  `${FORM};;charset=`,
  JSON_TYPE,
  `${JSON_TYPE}; charset=utf-16le`,
  'text/plain',
  'text/plain; charset=x-nonsense',
  'multipart/form-data; boundary=zz',
  'application/octet-stream',
  'garbage',
  undefined,
);

const SLACK_KEYS = [
  'payload',
  'command',
  'ssl_check',
  'type',
  'event',
  'event_id',
  'actions',
  'user',
  'team',
  'channel',
  'view',
  'name',
  'callback_id',
  'challenge',
  'text',
  'user_id',
  'team_id',
  'channel_id',
  'response_url',
  'response_urls',
  'trigger_id',
  'authorizations',
  'enterprise',
  'function_data',
] as const;

const SLACK_TYPES = [
  'event_callback',
  'url_verification',
  'app_rate_limited',
  'block_actions',
  'block_suggestion',
  'interactive_message',
  'dialog_submission',
  'dialog_suggestion',
  'shortcut',
  'message_action',
  'view_submission',
  'view_closed',
  'app_mention',
  'message',
] as const;

/** Values of the wrong kind, the shapes that have crashed Bolt (null, `[{}]`, `{}`) among them. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.constant([]),
  fc.constant([{}]),
  fc.constant([null]),
  fc.constant({}),
  fc.constant({ id: null }),
  fc.constantFrom(...SLACK_TYPES),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Objects made of Slack's own keys holding junk: closest to what Bolt routes. */
const slackish = fc.dictionary(fc.constantFrom(...SLACK_KEYS), junk, { maxKeys: 6 });

const garbageText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null'),
  slackish.map((value) => JSON.stringify(value)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => form({ payload: JSON.stringify(value) ?? 'null' })),
  slackish.map((value) => form({ payload: JSON.stringify(value) })),
  fc
    .dictionary(
      fc.oneof(fc.constantFrom(...SLACK_KEYS), fc.string({ maxLength: 8 })),
      fc.string({ maxLength: 20 }),
      {
        maxKeys: 6,
      },
    )
    .map((fields) => form(fields)),
  fc.constantFrom('null', 'payload=null', 'payload=', '[]', '""', '0', 'ssl_check=1&ssl_check=1', '=&=&'),
);

const garbage: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    contentTypes,
    fc.oneof(
      garbageText.map((text) => Buffer.from(text)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    ),
  )
  .map(([contentType, body]) => ({
    kind: 'garbage' as const,
    contentType,
    body,
    label: `garbage ${contentType ?? '(no type)'} ${body.toString('utf8').slice(0, 120)}`,
  }));

type Path = (string | number)[];

/** Every path to a value inside `value` (not the root), depth-first. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

const DELETE = Symbol('delete');

/** A copy of `root` with `path` deleted or replaced by `replacement`. */
function mutate(root: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = parent[key];
    if (next === null || typeof next !== 'object') return copy;
    parent = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  if (replacement === DELETE) {
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete parent[last];
  } else {
    parent[last] = replacement;
  }
  return copy;
}

const replacement: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(DELETE) },
  { weight: 3, arbitrary: junk },
  { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(5_000), '<!channel>', '../../etc', '\u0000') },
);

/** Real payloads of every surface the app listens to, with `responseUrl` where Slack puts one. */
function basePayloads(
  responseUrl: string,
): { encoding: 'command' | 'interaction' | 'event'; value: unknown }[] {
  const actions = Object.values(ActionIds).map((actionId) =>
    blockActionsPayload({
      response_url: responseUrl,
      action: { action_id: actionId, block_id: 'b1', value: 'apr_01ABC:1' },
    }),
  );
  const views = [...Object.values(CallbackIds), 'modal'].flatMap((callbackId) => [
    viewSubmissionPayload({ callbackId, privateMetadata: '{"campaignId":"cmp-001"}' }),
    { ...viewSubmissionPayload({ callbackId }), type: 'view_closed' },
  ]);
  const shortcut = {
    type: 'shortcut',
    callback_id: CallbackIds.newCampaignShortcut,
    trigger_id: '1.2.3',
    action_ts: '1.2',
    team: { id: PAYLOAD_DEFAULTS.teamId, domain: PAYLOAD_DEFAULTS.teamDomain },
    user: {
      id: PAYLOAD_DEFAULTS.userId,
      username: PAYLOAD_DEFAULTS.userName,
      team_id: PAYLOAD_DEFAULTS.teamId,
    },
    is_enterprise_install: false,
    enterprise: null,
    token: PAYLOAD_DEFAULTS.verificationToken,
  };
  const commands = [
    'help',
    'status spring',
    'campaigns next week',
    'ask what launches?',
    'approvals',
    'budget spring',
    'new',
    'nope',
  ].map((text) => slashCommand({ text, response_url: responseUrl }));
  return [
    ...commands.map((value) => ({ encoding: 'command' as const, value })),
    ...[...actions, ...views, shortcut].map((value) => ({ encoding: 'interaction' as const, value })),
    ...[
      eventCallback(appMentionEvent({ text: `<@${PAYLOAD_DEFAULTS.botUserId}> status spring` })),
      eventCallback(directMessageEvent({ text: 'what launches this week?' })),
    ].map((value) => ({ encoding: 'event' as const, value })),
  ];
}

/** Form fields; an array value is sent as the same field repeated (as a form may carry it). */
function form(fields: Record<string, unknown>): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const item of value) out.append(key, String(item));
    else if (value !== undefined) out.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out.toString();
}

function mutated(responseUrl: string): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...basePayloads(responseUrl)).chain((base) =>
    fc
      .array(fc.tuple(fc.constantFrom(...pathsOf(base.value)), replacement), { minLength: 1, maxLength: 3 })
      .map((changes) => {
        const value = changes.reduce<unknown>((acc, [path, next]) => mutate(acc, path, next), base.value);
        const text =
          base.encoding === 'event'
            ? JSON.stringify(value)
            : base.encoding === 'interaction'
              ? form({ payload: JSON.stringify(value) })
              : form(value as Record<string, unknown>);
        const paths = changes.map(
          ([path, next]) => `${path.join('.')}=${next === DELETE ? '∅' : JSON.stringify(next)?.slice(0, 30)}`,
        );
        return {
          kind: 'mutated' as const,
          contentType: base.encoding === 'event' ? JSON_TYPE : FORM,
          body: Buffer.from(text),
          label: `mutated ${base.encoding} ${paths.join(' ')}`,
        };
      }),
  );
}

/** Garbage and mutated real payloads, about half each. `responseUrl` receives any `respond()`. */
export function signedFuzzRequests(responseUrl: string): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(garbage, mutated(responseUrl));
}
