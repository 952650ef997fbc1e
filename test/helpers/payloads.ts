/**
 * Factories for what Slack sends to `/slack/events`, in Slack's real shapes, with overrides:
 * slash commands (form fields), block_actions and view_submission (form `payload=` JSON) and
 * Events API envelopes (JSON). Ids default to the stand-in workspace.
 */
import { randomBytes } from 'node:crypto';
import type {
  BlockAction,
  BlockElementAction,
  EnvelopedEvent,
  SlashCommand,
  ViewOutput,
  ViewSubmitAction,
} from '@slack/bolt';
import type { AppMentionEvent, GenericMessageEvent } from '@slack/types';
import {
  DEFAULT_CHANNELS,
  DEFAULT_USERS,
  STAND_IN_APP_ID,
  STAND_IN_BOT_ID,
  STAND_IN_BOT_USER_ID,
  STAND_IN_TEAM_DOMAIN,
  STAND_IN_TEAM_ID,
} from '../../dev/slack-standin/fixtures';

/** Who and where, unless a test says otherwise. */
export const PAYLOAD_DEFAULTS = {
  teamId: STAND_IN_TEAM_ID,
  teamDomain: STAND_IN_TEAM_DOMAIN,
  appId: STAND_IN_APP_ID,
  botUserId: STAND_IN_BOT_USER_ID,
  botId: STAND_IN_BOT_ID,
  userId: DEFAULT_USERS[0]?.id ?? 'U0LOCALUSER',
  userName: DEFAULT_USERS[0]?.name ?? 'dana',
  channelId: DEFAULT_CHANNELS[0]?.id ?? 'C0GENERAL',
  channelName: DEFAULT_CHANNELS[0]?.name ?? 'general',
  /** The deprecated verification token Slack still sends; Bolt ignores it. */
  verificationToken: 'legacy-verification-token',
  responseUrl: 'https://hooks.slack.com/commands/T0LOCAL/1/placeholder',
} as const;

let sequence = 0;

/** A Slack-looking trigger id (`<digits>.<digits>.<hex>`), unique per call. */
export function newTriggerId(): string {
  sequence += 1;
  return `${Date.now()}${sequence}.${Date.now() % 1_000_000_000}.${randomBytes(16).toString('hex')}`;
}

/** A `ts`-shaped string (`seconds.micros`) that only increases within this process. */
function newTs(): string {
  sequence += 1;
  const micros = Date.now() * 1000 + (sequence % 1000);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** An Events API `event_id` (`Ev` + 10 characters), unique per call. */
function newEventId(): string {
  return `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** The fields of a slash command request. */
export function slashCommand(overrides: Partial<SlashCommand> = {}): SlashCommand {
  return {
    token: PAYLOAD_DEFAULTS.verificationToken,
    team_id: PAYLOAD_DEFAULTS.teamId,
    team_domain: PAYLOAD_DEFAULTS.teamDomain,
    channel_id: PAYLOAD_DEFAULTS.channelId,
    channel_name: PAYLOAD_DEFAULTS.channelName,
    user_id: PAYLOAD_DEFAULTS.userId,
    user_name: PAYLOAD_DEFAULTS.userName,
    command: '/mcc',
    text: '',
    api_app_id: PAYLOAD_DEFAULTS.appId,
    is_enterprise_install: 'false',
    response_url: PAYLOAD_DEFAULTS.responseUrl,
    trigger_id: newTriggerId(),
    ...overrides,
  };
}

/** A slash command as the form body Slack POSTs (`command=%2Fmcc&text=…&…`). */
export function slashCommandBody(overrides: Partial<SlashCommand> = {}): string {
  const fields = slashCommand(overrides);
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined && value !== null) form.set(key, String(value));
  return form.toString();
}

/** Interactivity requests are a form with one `payload` field holding JSON. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** One element action; defaults to a button. Extra fields (`selected_option`, …) pass through. */
type ActionOverrides = Partial<BlockElementAction> & Record<string, unknown>;

export interface BlockActionsOverrides extends Partial<Omit<BlockAction, 'actions'>> {
  /** The whole `actions` array (wins over `action`). */
  actions?: BlockElementAction[];
  /** Merged into the default button action. */
  action?: ActionOverrides;
}

/** The message a default block action comes from: a bot message in the default channel. */
function defaultSourceMessage(ts: string): NonNullable<BlockAction['message']> {
  return {
    type: 'message',
    subtype: 'bot_message',
    user: STAND_IN_BOT_USER_ID,
    bot_id: STAND_IN_BOT_ID,
    app_id: STAND_IN_APP_ID,
    ts,
    text: 'A message with a button',
    team: STAND_IN_TEAM_ID,
    blocks: [],
  };
}

/**
 * A `block_actions` payload from a message button. Pass `message` (e.g. one the stand-in stored)
 * and `channel` to act on a real message; `container` follows `message` and `channel`.
 */
export function blockActionsPayload(overrides: BlockActionsOverrides = {}): BlockAction {
  const { action, actions, ...rest } = overrides;
  const message = rest.message ?? (rest.view ? undefined : defaultSourceMessage(newTs()));
  const channel =
    rest.channel ??
    (rest.view ? undefined : { id: PAYLOAD_DEFAULTS.channelId, name: PAYLOAD_DEFAULTS.channelName });
  const defaultAction = {
    type: 'button',
    block_id: 'actions',
    action_id: 'button',
    text: { type: 'plain_text', text: 'Click', emoji: true },
    value: 'value',
    action_ts: newTs(),
    ...action,
  } as BlockElementAction;
  const container: Record<string, unknown> = rest.view
    ? { type: 'view', view_id: rest.view.id }
    : {
        type: 'message',
        message_ts: message?.ts,
        channel_id: channel?.id,
        is_ephemeral: false,
      };
  return {
    type: 'block_actions',
    user: {
      id: PAYLOAD_DEFAULTS.userId,
      username: PAYLOAD_DEFAULTS.userName,
      name: PAYLOAD_DEFAULTS.userName,
      team_id: PAYLOAD_DEFAULTS.teamId,
    },
    api_app_id: PAYLOAD_DEFAULTS.appId,
    token: PAYLOAD_DEFAULTS.verificationToken,
    container,
    trigger_id: newTriggerId(),
    team: { id: PAYLOAD_DEFAULTS.teamId, domain: PAYLOAD_DEFAULTS.teamDomain },
    is_enterprise_install: false,
    ...(channel ? { channel } : {}),
    ...(message ? { message } : {}),
    state: { values: {} },
    response_url: PAYLOAD_DEFAULTS.responseUrl,
    actions: actions ?? [defaultAction],
    ...rest,
  };
}

export interface ViewSubmissionOverrides extends Partial<Omit<ViewSubmitAction, 'view'>> {
  /** Merged into the default view. */
  view?: Partial<ViewOutput>;
  /** Shorthand for `view.state.values`. */
  values?: ViewOutput['state']['values'];
  /** Shorthand for `view.callback_id`. */
  callbackId?: string;
  /** Shorthand for `view.private_metadata`. */
  privateMetadata?: string;
}

/** A `view_submission` payload. Pass a view the stand-in stored as `view` to submit that modal. */
export function viewSubmissionPayload(overrides: ViewSubmissionOverrides = {}): ViewSubmitAction {
  const { view, values, callbackId, privateMetadata, ...rest } = overrides;
  const id = view?.id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  const fullView: ViewOutput = {
    id,
    team_id: PAYLOAD_DEFAULTS.teamId,
    type: 'modal',
    blocks: [],
    private_metadata: '',
    callback_id: 'modal',
    state: { values: {} },
    hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    title: { type: 'plain_text', text: 'Modal', emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: { type: 'plain_text', text: 'Cancel', emoji: true },
    submit: { type: 'plain_text', text: 'Submit', emoji: true },
    previous_view_id: null,
    root_view_id: id,
    app_id: PAYLOAD_DEFAULTS.appId,
    external_id: '',
    app_installed_team_id: PAYLOAD_DEFAULTS.teamId,
    bot_id: PAYLOAD_DEFAULTS.botId,
    ...view,
  };
  if (values) fullView.state = { values };
  if (callbackId !== undefined) fullView.callback_id = callbackId;
  if (privateMetadata !== undefined) fullView.private_metadata = privateMetadata;
  return {
    type: 'view_submission',
    team: { id: PAYLOAD_DEFAULTS.teamId, domain: PAYLOAD_DEFAULTS.teamDomain },
    user: {
      id: PAYLOAD_DEFAULTS.userId,
      name: PAYLOAD_DEFAULTS.userName,
      team_id: PAYLOAD_DEFAULTS.teamId,
    },
    api_app_id: PAYLOAD_DEFAULTS.appId,
    token: PAYLOAD_DEFAULTS.verificationToken,
    trigger_id: newTriggerId(),
    view: fullView,
    response_urls: [],
    is_enterprise_install: false,
    ...rest,
  };
}

/** An `app_mention` event (the inner `event` of an envelope). */
export function appMentionEvent(overrides: Partial<AppMentionEvent> = {}): AppMentionEvent {
  const ts = overrides.ts ?? newTs();
  return {
    type: 'app_mention',
    user: PAYLOAD_DEFAULTS.userId,
    text: `<@${PAYLOAD_DEFAULTS.botUserId}> hello`,
    ts,
    channel: PAYLOAD_DEFAULTS.channelId,
    event_ts: ts,
    client_msg_id: randomUuid(),
    team: PAYLOAD_DEFAULTS.teamId,
    blocks: [],
    ...overrides,
  };
}

/** A direct message to the bot (`message.im`: `channel_type: 'im'`). */
export function directMessageEvent(overrides: Partial<GenericMessageEvent> = {}): GenericMessageEvent {
  const ts = overrides.ts ?? newTs();
  return {
    type: 'message',
    subtype: undefined,
    user: PAYLOAD_DEFAULTS.userId,
    text: 'hello',
    ts,
    channel: `D${PAYLOAD_DEFAULTS.userId.slice(1)}`,
    channel_type: 'im',
    event_ts: ts,
    client_msg_id: randomUuid(),
    team: PAYLOAD_DEFAULTS.teamId,
    blocks: [],
    ...overrides,
  };
}

/** An Events API `event_callback` envelope around `event`. */
export function eventCallback<E extends { type: string }>(
  event: E,
  overrides: Partial<EnvelopedEvent<E>> = {},
): EnvelopedEvent<E> {
  return {
    token: PAYLOAD_DEFAULTS.verificationToken,
    team_id: PAYLOAD_DEFAULTS.teamId,
    api_app_id: PAYLOAD_DEFAULTS.appId,
    event,
    type: 'event_callback',
    event_id: newEventId(),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: PAYLOAD_DEFAULTS.teamId,
        user_id: PAYLOAD_DEFAULTS.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('base64url')}`,
    ...overrides,
  };
}

function randomUuid(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
