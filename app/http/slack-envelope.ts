import { z } from 'zod';

/**
 * The shapes of what Slack sends to /slack/events, checked after the signature and before Bolt's
 * routing. Bolt 5 trusts a verified body: it reads `ssl_check` of `null` (an uncaught TypeError
 * that ends the process), `user.id` of a block action without `user`, `'action_id' in` an action
 * that is not an object (500), and waits 3 s then answers 404 for a body it cannot route. A
 * signed body is not a well-formed one, so each kind is checked for what Bolt (`getTypeAndConversation`,
 * `buildSource`, the built-in matchers) and the global dedupe middleware read, in Bolt's own order of
 * routing, so the schema that passes is the one for the route Bolt will take.
 *
 * Loose objects throughout: Slack adds fields, and listeners parse the parts they use themselves.
 */

const id = z.string().min(1);
/** An object with an `id` (Bolt reads `.id` of `team`, `channel`, `user`, `enterprise`). */
const withId = z.looseObject({ id });
const object = z.looseObject({});

/** `team` is null for org-wide installs; then Bolt falls back to `user.team_id`. */
const interactive = {
  user: z.looseObject({ id, team_id: z.string().optional() }),
  team: withId.nullable().optional(),
  enterprise: withId.nullable().optional(),
  // Bolt reads `channel.id` whenever `channel` is not undefined: null would throw.
  channel: withId.optional(),
  response_url: z.string().optional(),
  response_urls: z.array(z.looseObject({ response_url: z.string() })).optional(),
  trigger_id: z.string().optional(),
  function_data: object.optional(),
};

/** Events API `event_callback`. Bolt reads `user`, `channel`, `item`, `subteam` of the event with `in`. */
const EventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event_id: id,
  team_id: z.string().optional(),
  authorizations: z.array(z.looseObject({ team_id: z.string().nullable().optional() })).optional(),
  event: z.looseObject({
    type: id,
    user: z.union([z.string(), withId]).optional(),
    channel: z.union([z.string(), object]).optional(),
    channel_id: z.string().optional(),
    item: object.optional(),
    subteam: object.optional(),
  }),
});

/** A slash command: a flat form of strings (a repeated field would arrive as an array). */
const SlashCommand = z.looseObject({
  command: z.string().regex(/^\/\S+$/),
  text: z.string().optional(),
  user_id: id,
  team_id: id,
  channel_id: id,
  enterprise_id: z.string().optional(),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
  is_enterprise_install: z.enum(['true', 'false']).optional(),
});

/** `block_suggestion` (external select) and the legacy `dialog_suggestion`; Bolt routes any `name` here. */
const Options = z.looseObject({
  type: z.enum(['block_suggestion', 'dialog_suggestion']),
  ...interactive,
});

/** Every element an object: Bolt's matchers ask `'action_id' in action`. */
const Actions = z.union([
  z.looseObject({
    type: z.literal('block_actions'),
    actions: z.array(z.looseObject({ action_id: id, block_id: z.string().optional() })).min(1),
    ...interactive,
  }),
  z.looseObject({
    type: z.literal('interactive_message'),
    callback_id: z.string(),
    actions: z.array(object).min(1),
    ...interactive,
  }),
  z.looseObject({ type: z.literal('dialog_submission'), callback_id: z.string(), ...interactive }),
]);

const Shortcut = z.looseObject({
  type: z.enum(['shortcut', 'message_action']),
  callback_id: id,
  ...interactive,
});

/** Bolt reads `view.app_installed_team_id`, and the view matchers `view.callback_id`. */
const ViewAction = z.looseObject({
  type: z.enum(['view_submission', 'view_closed']),
  view: z.looseObject({
    id: z.string().optional(),
    callback_id: z.string(),
    app_installed_team_id: z.string().optional(),
  }),
  ...interactive,
});

const UrlVerification = z.looseObject({
  type: z.literal('url_verification'),
  challenge: z.string().max(500),
});

/** What to do with a verified, parsed body. */
export type EnvelopeVerdict =
  /** Hand it to Bolt: its shape is what Bolt's route for it reads. */
  | { action: 'route'; kind: EnvelopeKind }
  /** Answer at once, without Bolt (`body` JSON or empty). */
  | { action: 'answer'; kind: 'ssl_check' | 'url_verification' | 'app_rate_limited'; body?: unknown }
  /** Malformed: 400, with a short reason (never the input) for the log. */
  | { action: 'reject'; kind: EnvelopeKind | 'unknown'; reason: string };

type EnvelopeKind = 'event' | 'command' | 'options' | 'action' | 'shortcut' | 'view';

const SCHEMAS: Record<EnvelopeKind, z.ZodType> = {
  event: EventCallback,
  command: SlashCommand,
  options: Options,
  action: Actions,
  shortcut: Shortcut,
  view: ViewAction,
};

/**
 * Judges a parsed body. Bolt's routing order (`getTypeAndConversation`): `event`, then `command`,
 * then `name` or `block_suggestion`, then `actions` or `dialog_submission`, then shortcuts, then views.
 */
export function judgeEnvelope(body: unknown): EnvelopeVerdict {
  if (!isPlainRecord(body)) return { action: 'reject', kind: 'unknown', reason: 'not_an_object' };
  if (body.ssl_check === '1') return { action: 'answer', kind: 'ssl_check' };
  if (body.type === 'url_verification') {
    const parsed = UrlVerification.safeParse(body);
    return parsed.success
      ? { action: 'answer', kind: 'url_verification', body: { challenge: parsed.data.challenge } }
      : { action: 'reject', kind: 'unknown', reason: issueSummary(parsed.error) };
  }
  // Slack's notice that it stopped sending events for a minute: it expects a 200, nothing to route.
  if (body.type === 'app_rate_limited') return { action: 'answer', kind: 'app_rate_limited' };
  const kind = boltRoute(body);
  if (kind === undefined) return { action: 'reject', kind: 'unknown', reason: 'unknown_shape' };
  const parsed = SCHEMAS[kind].safeParse(body);
  return parsed.success
    ? { action: 'route', kind }
    : { action: 'reject', kind, reason: issueSummary(parsed.error) };
}

/** The route Bolt 5 would take for `body` (its `getTypeAndConversation`), or none. */
function boltRoute(body: Record<string, unknown>): EnvelopeKind | undefined {
  if (body.event !== undefined) return 'event';
  if (body.command !== undefined) return 'command';
  if (body.name !== undefined || body.type === 'block_suggestion') return 'options';
  if (body.actions !== undefined || body.type === 'dialog_submission') return 'action';
  if (body.type === 'shortcut' || body.type === 'message_action') return 'shortcut';
  if (body.type === 'view_submission' || body.type === 'view_closed') return 'view';
  return undefined;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The first problem as `path: code` (field names and zod codes only, never values), bounded. */
function issueSummary(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.').slice(0, 80);
  return `${path || '(body)'}: ${issue.code}`;
}
