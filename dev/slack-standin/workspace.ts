/**
 * The state and the Web API methods of the Slack stand-in, without HTTP: each method takes the
 * parsed arguments and returns Slack's JSON answer, or throws `SlackApiError` for `{ ok: false }`.
 */
import { randomBytes } from 'node:crypto';
import { FileStore } from './files';
import {
  BOT_USER,
  STAND_IN_APP_ID,
  STAND_IN_BOT_ID,
  STAND_IN_BOT_NAME,
  STAND_IN_BOT_USER_ID,
  STAND_IN_TEAM_DOMAIN,
  STAND_IN_TEAM_ID,
  type StandInChannel,
  type StandInUser,
  type StandInUserGroup,
} from './fixtures';
import type { ResponsePost, StandInSnapshot, StoredEphemeral, StoredMessage, StoredView } from './state';
import { type BlockIssue, formatIssue, SLACK_LIMITS, validateBlocks, validateView } from './validate-blocks';

/** An `{ ok: false, error }` answer (HTTP 200), with optional extra fields (`errors`, `response_metadata`). */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
    this.name = 'SlackApiError';
  }
}

export type Args = Record<string, unknown>;
type MethodHandler = (args: Args) => Record<string, unknown>;

/** Slack allows five posts to one response_url within thirty minutes (platform-facts §1). */
export const RESPONSE_URL_MAX_POSTS = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
/** A modal stack holds the root view and at most two pushed views (platform-facts §1, §3). */
export const VIEW_STACK_MAX = 3;

interface ResponseTarget {
  id: string;
  createdAt: Date;
  channel?: string;
  user?: string;
  messageTs?: string;
  posts: number;
}

export interface ResponseUrlOptions {
  /** The channel the command or action came from (in_channel responses post there). */
  channel?: string;
  /** Who sees ephemeral responses. */
  user?: string;
  /** The message a block action came from (replace_original / delete_original act on it). */
  messageTs?: string;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function nonEmpty(value: unknown): string | undefined {
  const s = str(value);
  return s !== undefined && s.length > 0 ? s : undefined;
}

function blockErrors(issues: BlockIssue[]): Record<string, unknown> {
  const errors = issues.map(formatIssue);
  return { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } };
}

/** `America/New_York` at `at` → offset in seconds (e.g. -18000) and label (e.g. `Eastern Standard Time`). */
export function timeZoneInfo(tz: string, at: Date): { offset: number; label: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    timeZoneName: 'long',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const offset = Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000) * 60;
  const label = parts.find((p) => p.type === 'timeZoneName')?.value ?? tz;
  return { offset, label };
}

export class Workspace {
  users = new Map<string, StandInUser>();
  userGroups = new Map<string, StandInUserGroup>();
  channels = new Map<string, StandInChannel>();

  /** Messages per channel id, in ts order (thread replies included, with `thread_ts`). */
  readonly messagesByChannel = new Map<string, StoredMessage[]>();
  readonly ephemerals: StoredEphemeral[] = [];
  readonly views = new Map<string, StoredView>();
  /** Modal stacks: each an array of view ids, root first. */
  readonly stacks: string[][] = [];
  readonly homeViews = new Map<string, StoredView>();
  readonly usedTriggers = new Set<string>();
  readonly openedDms = new Set<string>();
  readonly responseTargets = new Map<string, ResponseTarget>();
  readonly responsePosts: ResponsePost[] = [];
  /** Uploaded files (files.getUploadURLExternal / upload URL / files.completeUploadExternal). */
  readonly fileStore = new FileStore();
  /** The stand-in's own base URL (upload URLs point at it); set once the server listens. */
  baseUrl = '';
  private lastTsMicros = 0;
  private idCounter = 0;

  constructor(
    readonly clock: () => Date,
    fixtures: { users: StandInUser[]; userGroups: StandInUserGroup[]; channels: StandInChannel[] },
  ) {
    this.setUsers(fixtures.users);
    this.setUserGroups(fixtures.userGroups);
    this.setChannels(fixtures.channels);
  }

  setUsers(users: readonly StandInUser[]): void {
    this.users = new Map([[BOT_USER.id, BOT_USER], ...users.map((u): [string, StandInUser] => [u.id, u])]);
  }

  setUserGroups(groups: readonly StandInUserGroup[]): void {
    this.userGroups = new Map(groups.map((g) => [g.id, g]));
  }

  setChannels(channels: readonly StandInChannel[]): void {
    this.channels = new Map(channels.map((c) => [c.id, c]));
  }

  /** Clears everything but the fixtures. */
  clearState(): void {
    this.messagesByChannel.clear();
    this.ephemerals.length = 0;
    this.views.clear();
    this.stacks.length = 0;
    this.homeViews.clear();
    this.usedTriggers.clear();
    this.openedDms.clear();
    this.responseTargets.clear();
    this.responsePosts.length = 0;
    this.fileStore.clear();
  }

  /** A message `ts`: seconds from the clock and six digits that only ever increase. */
  nextTs(): string {
    const nowMicros = Math.floor(this.clock().getTime()) * 1000;
    this.lastTsMicros = Math.max(nowMicros, this.lastTsMicros + 100);
    const seconds = Math.floor(this.lastTsMicros / 1_000_000);
    const micros = this.lastTsMicros % 1_000_000;
    return `${seconds}.${String(micros).padStart(6, '0')}`;
  }

  private nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}${this.idCounter.toString(36).toUpperCase().padStart(9, '0')}`;
  }

  /** The DM channel id for a user: `U0ALICE` → `D0ALICE` (stable, so tests can predict it). */
  dmChannelId(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  private userForDm(channelId: string): StandInUser | undefined {
    if (!channelId.startsWith('D')) return undefined;
    for (const user of this.users.values()) if (this.dmChannelId(user.id) === channelId) return user;
    return undefined;
  }

  /**
   * Resolves a `channel` argument: a channel id, a DM id, a user id (Slack opens the DM) or a
   * `#name`. Returns the channel id or throws `channel_not_found`.
   */
  resolveChannel(value: unknown, options: { posting?: boolean } = {}): string {
    const raw = nonEmpty(value);
    if (!raw) throw new SlackApiError('channel_not_found');
    if (this.channels.has(raw)) {
      const channel = this.channels.get(raw);
      if (options.posting && channel?.isMember === false) throw new SlackApiError('not_in_channel');
      return raw;
    }
    const dmUser = this.userForDm(raw);
    if (dmUser) return raw;
    const user = this.users.get(raw);
    if (user && (raw.startsWith('U') || raw.startsWith('W'))) return this.dmChannelId(user.id);
    const name = raw.replace(/^#/, '');
    for (const channel of this.channels.values()) if (channel.name === name) return channel.id;
    throw new SlackApiError('channel_not_found');
  }

  private channelMessages(channel: string): StoredMessage[] {
    let list = this.messagesByChannel.get(channel);
    if (!list) {
      list = [];
      this.messagesByChannel.set(channel, list);
    }
    return list;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messagesByChannel.get(channel)?.find((m) => m.ts === ts);
  }

  /** Checks `text`/`blocks`/`attachments` as chat.postMessage does; returns the parsed content. */
  private messageContent(
    args: Args,
    options: { requireContent: boolean },
  ): { text: string; blocks?: unknown[]; attachments?: unknown[] } {
    const text = str(args.text) ?? '';
    const blocks = args.blocks;
    const attachments = args.attachments;
    if (blocks !== undefined && !Array.isArray(blocks)) throw new SlackApiError('invalid_blocks_format');
    if (attachments !== undefined && !Array.isArray(attachments))
      throw new SlackApiError('invalid_attachments');
    const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
    const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
    if (options.requireContent && text.length === 0 && !hasBlocks && !hasAttachments)
      throw new SlackApiError('no_text');
    if (text.length > SLACK_LIMITS.messageText) throw new SlackApiError('msg_too_long');
    if (Array.isArray(blocks)) {
      const issues = validateBlocks(blocks, 'message');
      if (issues.length > 0) throw new SlackApiError('invalid_blocks', blockErrors(issues));
    }
    return {
      text,
      ...(Array.isArray(blocks) ? { blocks } : {}),
      ...(Array.isArray(attachments) ? { attachments } : {}),
    };
  }

  private botMessage(
    channel: string,
    content: { text: string; blocks?: unknown[]; attachments?: unknown[] },
  ) {
    const message: StoredMessage = {
      type: 'message',
      ts: this.nextTs(),
      channel,
      text: content.text,
      user: STAND_IN_BOT_USER_ID,
      team: STAND_IN_TEAM_ID,
      bot_id: STAND_IN_BOT_ID,
      app_id: STAND_IN_APP_ID,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
      bot_profile: {
        id: STAND_IN_BOT_ID,
        app_id: STAND_IN_APP_ID,
        name: STAND_IN_BOT_NAME,
        deleted: false,
        team_id: STAND_IN_TEAM_ID,
      },
    };
    return message;
  }

  /** Adds a message to a channel (and bumps its thread parent), returning it. */
  addMessage(message: StoredMessage): StoredMessage {
    const list = this.channelMessages(message.channel);
    list.push(message);
    list.sort((a, b) => compareTs(a.ts, b.ts));
    if (message.thread_ts && message.thread_ts !== message.ts) {
      const parent = list.find((m) => m.ts === message.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.reply_users = [...new Set([...(parent.reply_users ?? []), message.user])];
        parent.latest_reply = message.ts;
      }
    }
    return message;
  }

  /** A message written by a person (for tests: something the bot did not post). */
  addUserMessage(
    channel: string,
    input: { user: string; text: string; thread_ts?: string; blocks?: unknown[] },
  ) {
    return this.addMessage({
      type: 'message',
      ts: this.nextTs(),
      channel: this.resolveChannel(channel),
      text: input.text,
      user: input.user,
      team: STAND_IN_TEAM_ID,
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
      ...(input.blocks ? { blocks: input.blocks } : {}),
    });
  }

  private publicMessage(
    message: StoredMessage,
    options: { metadata?: boolean } = {},
  ): Record<string, unknown> {
    const { channel: _channel, metadata, ...rest } = message;
    // Slack returns a message's metadata from history only when asked (`include_all_metadata`).
    return options.metadata !== false && metadata !== undefined ? { ...rest, metadata } : rest;
  }

  private userOrThrow(id: unknown): StandInUser {
    const key = nonEmpty(id);
    const user = key ? this.users.get(key) : undefined;
    if (!user) throw new SlackApiError('user_not_found');
    return user;
  }

  userObject(user: StandInUser, includeLocale: boolean): Record<string, unknown> {
    const { offset, label } = timeZoneInfo(user.tz, this.clock());
    const displayName = user.displayName ?? user.realName;
    return {
      id: user.id,
      team_id: STAND_IN_TEAM_ID,
      name: user.name,
      deleted: user.deleted ?? false,
      color: '9f69e7',
      real_name: user.realName,
      tz: user.tz,
      tz_label: label,
      tz_offset: offset,
      profile: {
        title: '',
        phone: '',
        skype: '',
        real_name: user.realName,
        real_name_normalized: user.realName,
        display_name: displayName,
        display_name_normalized: displayName,
        ...(user.email ? { email: user.email } : {}),
        status_text: '',
        status_emoji: '',
        avatar_hash: 'g000000000',
        image_24: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=24`,
        image_48: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=48`,
        image_72: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=72`,
        team: STAND_IN_TEAM_ID,
        ...(user.isBot ? { bot_id: STAND_IN_BOT_ID, api_app_id: STAND_IN_APP_ID, always_active: true } : {}),
      },
      is_admin: user.isAdmin ?? false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.isBot ?? false,
      is_app_user: false,
      updated: Math.floor(this.clock().getTime() / 1000),
      is_email_confirmed: !user.isBot,
      who_can_share_contact_card: 'EVERYONE',
      ...(includeLocale ? { locale: user.locale ?? 'en-US' } : {}),
    };
  }

  private channelObject(channelId: string): Record<string, unknown> {
    const created = 1_700_000_000;
    const dmUser = this.userForDm(channelId);
    if (dmUser) {
      return {
        id: channelId,
        created,
        is_archived: false,
        is_im: true,
        is_org_shared: false,
        context_team_id: STAND_IN_TEAM_ID,
        updated: created * 1000,
        user: dmUser.id,
        is_user_deleted: dmUser.deleted ?? false,
        priority: 0,
      };
    }
    const channel = this.channels.get(channelId);
    if (!channel) throw new SlackApiError('channel_not_found');
    const isPrivate = channel.isPrivate ?? false;
    return {
      id: channel.id,
      name: channel.name,
      is_channel: !isPrivate,
      is_group: isPrivate,
      is_im: false,
      is_mpim: false,
      is_private: isPrivate,
      created,
      is_archived: false,
      is_general: channel.name === 'general',
      unlinked: 0,
      name_normalized: channel.name,
      is_shared: false,
      is_org_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: STAND_IN_TEAM_ID,
      updated: created * 1000,
      creator: STAND_IN_BOT_USER_ID,
      is_ext_shared: false,
      shared_team_ids: [STAND_IN_TEAM_ID],
      is_member: channel.isMember ?? true,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      previous_names: [],
    };
  }

  private channelMemberIds(channelId: string): string[] {
    const dmUser = this.userForDm(channelId);
    if (dmUser) return [dmUser.id, STAND_IN_BOT_USER_ID];
    const channel = this.channels.get(channelId);
    if (!channel) throw new SlackApiError('channel_not_found');
    return channel.memberIds ?? [...this.users.keys()];
  }

  private consumeTrigger(args: Args): void {
    const trigger = nonEmpty(args.trigger_id) ?? nonEmpty(args.interactivity_pointer);
    if (!trigger)
      throw new SlackApiError('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] },
      });
    if (this.usedTriggers.has(trigger)) throw new SlackApiError('exchanged_trigger_id');
    this.usedTriggers.add(trigger);
  }

  private checkView(view: unknown, expectedType: 'modal' | 'home'): Record<string, unknown> {
    if (view === undefined || view === null || typeof view !== 'object' || Array.isArray(view))
      throw new SlackApiError('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: view'] },
      });
    const issues = validateView(view);
    const record = view as Record<string, unknown>;
    if (issues.length === 0 && record.type !== expectedType)
      issues.push({ pointer: '/view/type', message: `must be ${expectedType}` });
    if (issues.length > 0)
      throw new SlackApiError('invalid_arguments', {
        response_metadata: { messages: issues.map((i) => `[ERROR] ${formatIssue(i)}`) },
      });
    return record;
  }

  private newHash(): string {
    return `${Math.floor(this.clock().getTime() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  private buildView(
    input: Record<string, unknown>,
    base: { id?: string; root?: string | null; previous?: string | null; userId?: string },
  ): StoredView {
    const id = base.id ?? this.nextId('V');
    const type = input.type === 'home' ? 'home' : 'modal';
    return {
      id,
      team_id: STAND_IN_TEAM_ID,
      type,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(type === 'modal' ? { submit: input.submit ?? null, close: input.close ?? null } : {}),
      blocks: Array.isArray(input.blocks) ? input.blocks : [],
      private_metadata: str(input.private_metadata) ?? '',
      callback_id: str(input.callback_id) ?? '',
      external_id: str(input.external_id) ?? '',
      state: { values: {} },
      hash: this.newHash(),
      clear_on_close: bool(input.clear_on_close),
      notify_on_close: bool(input.notify_on_close),
      root_view_id: base.root === undefined ? id : base.root,
      previous_view_id: base.previous ?? null,
      app_id: STAND_IN_APP_ID,
      app_installed_team_id: STAND_IN_TEAM_ID,
      bot_id: STAND_IN_BOT_ID,
      ...(base.userId ? { user_id: base.userId } : {}),
      ...(type === 'modal' ? { open: true } : {}),
    };
  }

  private checkExternalIdFree(externalId: unknown, exceptViewId?: string): void {
    const ext = nonEmpty(externalId);
    if (!ext) return;
    for (const view of this.views.values())
      if (view.external_id === ext && view.id !== exceptViewId)
        throw new SlackApiError('duplicate_external_id');
  }

  publicView(view: StoredView): Record<string, unknown> {
    const { user_id: _user, open: _open, ...rest } = view;
    return rest;
  }

  private stackOf(viewId: string): string[] | undefined {
    return this.stacks.find((stack) => stack.includes(viewId));
  }

  /** Marks a modal closed and drops it (and anything above it) from its stack. */
  closeView(viewId: string, options: { all?: boolean } = {}): void {
    const stack = this.stackOf(viewId);
    if (!stack) return;
    const from = options.all ? 0 : stack.indexOf(viewId);
    for (const id of stack.splice(from)) {
      const view = this.views.get(id);
      if (view) view.open = false;
    }
    if (stack.length === 0) this.stacks.splice(this.stacks.indexOf(stack), 1);
  }

  // ---- response_url ----

  createResponseTarget(options: ResponseUrlOptions): string {
    const id = randomBytes(9).toString('hex');
    this.responseTargets.set(id, { id, createdAt: this.clock(), posts: 0, ...options });
    return id;
  }

  /** A POST to a response_url: Slack's limits first, then the effect on the channel. */
  postResponse(id: string, body: Record<string, unknown>): { status: number; body: Record<string, unknown> } {
    const target = this.responseTargets.get(id);
    const at = this.clock();
    const record = (status: number, answer: Record<string, unknown>) => {
      this.responsePosts.push({ id, at, status, body });
      return { status, body: answer };
    };
    if (!target) return record(404, { ok: false, error: 'expired_url' });
    if (
      target.posts >= RESPONSE_URL_MAX_POSTS ||
      at.getTime() - target.createdAt.getTime() > RESPONSE_URL_TTL_MS
    )
      return record(404, { ok: false, error: 'expired_url' });
    let content: { text: string; blocks?: unknown[]; attachments?: unknown[] };
    const wantsDelete = bool(body.delete_original);
    try {
      content = this.messageContent(body, { requireContent: !wantsDelete });
    } catch (error) {
      if (error instanceof SlackApiError)
        return record(400, { ok: false, error: error.error, ...error.extra });
      throw error;
    }
    target.posts += 1;
    const original =
      target.channel && target.messageTs ? this.findMessage(target.channel, target.messageTs) : undefined;
    if (wantsDelete) {
      if (original) this.removeMessage(original);
    } else if (bool(body.replace_original) && original) {
      original.text = content.text;
      if (content.blocks) original.blocks = content.blocks;
      else delete original.blocks;
      original.edited = { user: STAND_IN_BOT_USER_ID, ts: this.nextTs() };
    } else if (target.channel) {
      const threadTs = str(body.thread_ts);
      if (body.response_type === 'in_channel') {
        const message = this.botMessage(target.channel, content);
        if (threadTs) message.thread_ts = threadTs;
        this.addMessage(message);
      } else if (target.user) {
        this.ephemerals.push({
          channel: target.channel,
          user: target.user,
          ts: this.nextTs(),
          ...content,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          via: 'response_url',
        });
      }
    }
    return record(200, { ok: true });
  }

  private removeMessage(message: StoredMessage): void {
    const list = this.channelMessages(message.channel);
    const index = list.indexOf(message);
    if (index >= 0) list.splice(index, 1);
  }

  snapshot(): StandInSnapshot {
    const channelIds = new Set([
      ...this.channels.keys(),
      ...this.messagesByChannel.keys(),
      ...this.openedDms,
    ]);
    return {
      team: { id: STAND_IN_TEAM_ID, domain: STAND_IN_TEAM_DOMAIN },
      bot: { userId: STAND_IN_BOT_USER_ID, botId: STAND_IN_BOT_ID, appId: STAND_IN_APP_ID },
      users: [...this.users.values()].map((u) => ({
        id: u.id,
        name: u.name,
        realName: u.realName,
        tz: u.tz,
      })),
      channels: [...channelIds].map((id) => {
        const channel = this.channels.get(id);
        const dmUser = this.userForDm(id);
        return {
          id,
          name: channel?.name ?? (dmUser ? `@${dmUser.name}` : id),
          isPrivate: channel?.isPrivate ?? Boolean(dmUser),
          isIm: Boolean(dmUser) && !channel,
          ...(dmUser && !channel ? { user: dmUser.id } : {}),
          messages: [...(this.messagesByChannel.get(id) ?? [])],
        };
      }),
      ephemerals: [...this.ephemerals],
      views: [...this.views.values()],
      homeViews: [...this.homeViews.values()],
      responses: [...this.responsePosts],
    };
  }

  // ---- Web API methods ----

  readonly methods: Record<string, MethodHandler> = {
    'api.test': (args) => ({ ok: true, args }),

    'auth.test': () => ({
      ok: true,
      url: `https://${STAND_IN_TEAM_DOMAIN}.slack.com/`,
      team: 'Command Center (local)',
      user: STAND_IN_BOT_NAME,
      team_id: STAND_IN_TEAM_ID,
      user_id: STAND_IN_BOT_USER_ID,
      bot_id: STAND_IN_BOT_ID,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const channel = this.resolveChannel(args.channel, { posting: true });
      const content = this.messageContent(args, { requireContent: true });
      const message = this.botMessage(channel, content);
      const threadTs = nonEmpty(args.thread_ts);
      if (threadTs) message.thread_ts = threadTs;
      if (args.metadata !== undefined) message.metadata = args.metadata;
      this.addMessage(message);
      if (channel.startsWith('D')) this.openedDms.add(channel);
      return { ok: true, channel, ts: message.ts, message: this.publicMessage(message) };
    },

    'chat.update': (args) => {
      const channel = this.resolveChannel(args.channel);
      const ts = nonEmpty(args.ts);
      const message = ts ? this.findMessage(channel, ts) : undefined;
      if (!message) throw new SlackApiError('message_not_found');
      if (message.user !== STAND_IN_BOT_USER_ID) throw new SlackApiError('cant_update_message');
      const content = this.messageContent(args, { requireContent: true });
      message.text = content.text;
      if (args.blocks !== undefined) message.blocks = content.blocks ?? [];
      if (args.attachments !== undefined) message.attachments = content.attachments ?? [];
      if (args.metadata !== undefined) message.metadata = args.metadata;
      message.edited = { user: STAND_IN_BOT_USER_ID, ts: this.nextTs() };
      return { ok: true, channel, ts: message.ts, text: message.text, message: this.publicMessage(message) };
    },

    'chat.delete': (args) => {
      const channel = this.resolveChannel(args.channel);
      const ts = nonEmpty(args.ts);
      const message = ts ? this.findMessage(channel, ts) : undefined;
      if (!message) throw new SlackApiError('message_not_found');
      if (message.user !== STAND_IN_BOT_USER_ID) throw new SlackApiError('cant_delete_message');
      this.removeMessage(message);
      return { ok: true, channel, ts: message.ts };
    },

    'chat.postEphemeral': (args) => {
      const channel = this.resolveChannel(args.channel, { posting: true });
      const user = this.userOrThrow(args.user);
      if (!this.channelMemberIds(channel).includes(user.id)) throw new SlackApiError('user_not_in_channel');
      const content = this.messageContent(args, { requireContent: true });
      const threadTs = nonEmpty(args.thread_ts);
      const ephemeral: StoredEphemeral = {
        channel,
        user: user.id,
        ts: this.nextTs(),
        ...content,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        via: 'chat.postEphemeral',
      };
      this.ephemerals.push(ephemeral);
      return { ok: true, message_ts: ephemeral.ts };
    },

    'chat.getPermalink': (args) => {
      const channel = this.resolveChannel(args.channel);
      const ts = nonEmpty(args.message_ts);
      const message = ts ? this.findMessage(channel, ts) : undefined;
      if (!message) throw new SlackApiError('message_not_found');
      const p = message.ts.replace('.', '');
      const thread =
        message.thread_ts && message.thread_ts !== message.ts
          ? `?thread_ts=${message.thread_ts}&cid=${channel}`
          : '';
      return {
        ok: true,
        channel,
        permalink: `https://${STAND_IN_TEAM_DOMAIN}.slack.com/archives/${channel}/p${p}${thread}`,
      };
    },

    'conversations.history': (args) => {
      const channel = this.resolveChannel(args.channel);
      const limit = Math.min(Number(str(args.limit) ?? 100) || 100, 999);
      const top = (this.messagesByChannel.get(channel) ?? []).filter(
        (m) => !m.thread_ts || m.thread_ts === m.ts,
      );
      const latest = str(args.latest);
      const oldest = str(args.oldest);
      const inRange = top.filter(
        (m) => (!latest || compareTs(m.ts, latest) < 0) && (!oldest || compareTs(m.ts, oldest) > 0),
      );
      const newestFirst = [...inRange].reverse();
      const metadata = bool(args.include_all_metadata);
      return {
        ok: true,
        messages: newestFirst.slice(0, limit).map((m) => this.publicMessage(m, { metadata })),
        has_more: newestFirst.length > limit,
        pin_count: 0,
        response_metadata: { next_cursor: '' },
      };
    },

    'conversations.replies': (args) => {
      const channel = this.resolveChannel(args.channel);
      const ts = nonEmpty(args.ts);
      const list = this.messagesByChannel.get(channel) ?? [];
      const parent = ts ? list.find((m) => m.ts === ts) : undefined;
      if (!parent) throw new SlackApiError('thread_not_found');
      const root = parent.thread_ts ?? parent.ts;
      const thread = list.filter((m) => m.ts === root || m.thread_ts === root);
      return {
        ok: true,
        messages: thread.map((m) => this.publicMessage(m)),
        has_more: false,
        response_metadata: { next_cursor: '' },
      };
    },

    'conversations.info': (args) => {
      const channel = this.resolveChannel(args.channel);
      return { ok: true, channel: this.channelObject(channel) };
    },

    'conversations.members': (args) => {
      const channel = this.resolveChannel(args.channel);
      return { ok: true, members: this.channelMemberIds(channel), response_metadata: { next_cursor: '' } };
    },

    'conversations.open': (args) => {
      const ids = (str(args.users) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ids.length === 0) {
        const channel = nonEmpty(args.channel);
        if (!channel) throw new SlackApiError('users_list_not_supplied');
        return { ok: true, no_op: true, already_open: true, channel: { id: this.resolveChannel(channel) } };
      }
      if (ids.length > 8) throw new SlackApiError('too_many_users');
      const users = ids.map((id) => this.userOrThrow(id));
      if (users.length > 1) throw new SlackApiError('method_not_supported_for_channel_type');
      const user = users[0] as StandInUser;
      if (user.id === STAND_IN_BOT_USER_ID) throw new SlackApiError('cannot_dm_bot');
      const id = this.dmChannelId(user.id);
      const alreadyOpen = this.openedDms.has(id);
      this.openedDms.add(id);
      const channel = bool(args.return_im) ? this.channelObject(id) : { id };
      return { ok: true, ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel };
    },

    'users.info': (args) => {
      const user = this.userOrThrow(args.user);
      return { ok: true, user: this.userObject(user, bool(args.include_locale)) };
    },

    'users.list': (args) => ({
      ok: true,
      members: [...this.users.values()].map((u) => this.userObject(u, bool(args.include_locale))),
      cache_ts: Math.floor(this.clock().getTime() / 1000),
      response_metadata: { next_cursor: '' },
    }),

    'users.lookupByEmail': (args) => {
      const email = (str(args.email) ?? '').toLowerCase();
      const user = [...this.users.values()].find((u) => u.email.toLowerCase() === email && email !== '');
      if (!user) throw new SlackApiError('users_not_found');
      return { ok: true, user: this.userObject(user, false) };
    },

    'usergroups.users.list': (args) => {
      const id = nonEmpty(args.usergroup);
      const group = id ? this.userGroups.get(id) : undefined;
      if (!group) throw new SlackApiError('no_such_subteam');
      return { ok: true, users: [...group.userIds] };
    },

    'usergroups.list': (args) => ({
      ok: true,
      usergroups: [...this.userGroups.values()].map((g) => ({
        id: g.id,
        team_id: STAND_IN_TEAM_ID,
        is_usergroup: true,
        name: g.name,
        handle: g.handle,
        is_external: false,
        date_delete: 0,
        user_count: g.userIds.length,
        ...(bool(args.include_users) ? { users: [...g.userIds] } : {}),
      })),
    }),

    'reactions.add': (args) => {
      const channel = this.resolveChannel(args.channel);
      const ts = nonEmpty(args.timestamp);
      const name = nonEmpty(args.name);
      if (!name) throw new SlackApiError('no_reaction');
      const message = ts ? this.findMessage(channel, ts) : undefined;
      if (!message) throw new SlackApiError('message_not_found');
      const reactions = message.reactions ?? [];
      const existing = reactions.find((r) => r.name === name);
      if (existing?.users.includes(STAND_IN_BOT_USER_ID)) throw new SlackApiError('already_reacted');
      if (existing) {
        existing.users.push(STAND_IN_BOT_USER_ID);
        existing.count += 1;
      } else reactions.push({ name, users: [STAND_IN_BOT_USER_ID], count: 1 });
      message.reactions = reactions;
      return { ok: true };
    },

    'files.getUploadURLExternal': (args) => this.fileStore.getUploadUrl(args, this.baseUrl),

    'files.completeUploadExternal': (args) => {
      const files = this.fileStore.uploaded(this.fileStore.completions(args));
      const channelArg = nonEmpty(args.channel_id);
      const created = Math.floor(this.clock().getTime() / 1000);
      if (channelArg) {
        const channel = this.resolveChannel(channelArg, { posting: true });
        const threadTs = nonEmpty(args.thread_ts);
        for (const file of files) {
          file.channel = channel;
          if (threadTs) file.threadTs = threadTs;
        }
        const comment = str(args.initial_comment) ?? '';
        const message = this.botMessage(channel, { text: comment });
        message.files = files.map((file) => this.fileStore.fileObject(file, created));
        message.upload = true;
        if (threadTs) message.thread_ts = threadTs;
        this.addMessage(message);
      }
      for (const file of files) file.completed = true;
      return { ok: true, files: files.map((file) => this.fileStore.fileObject(file, created)) };
    },

    'views.open': (args) => {
      const input = this.checkView(args.view, 'modal');
      this.consumeTrigger(args);
      this.checkExternalIdFree(input.external_id);
      const view = this.buildView(input, {});
      this.views.set(view.id, view);
      this.stacks.push([view.id]);
      return { ok: true, view: this.publicView(view) };
    },

    'views.push': (args) => {
      const input = this.checkView(args.view, 'modal');
      this.consumeTrigger(args);
      const stack = this.stacks[this.stacks.length - 1];
      if (!stack || stack.length === 0) throw new SlackApiError('not_found');
      if (stack.length >= VIEW_STACK_MAX) throw new SlackApiError('push_limit_reached');
      this.checkExternalIdFree(input.external_id);
      const view = this.buildView(input, {
        root: stack[0] ?? null,
        previous: stack[stack.length - 1] ?? null,
      });
      this.views.set(view.id, view);
      stack.push(view.id);
      return { ok: true, view: this.publicView(view) };
    },

    'views.update': (args) => {
      const viewId = nonEmpty(args.view_id);
      const externalId = nonEmpty(args.external_id);
      if (!viewId && !externalId)
        throw new SlackApiError('invalid_arguments', {
          response_metadata: { messages: ['[ERROR] either view_id or external_id is required'] },
        });
      const existing = viewId
        ? (this.views.get(viewId) ?? [...this.homeViews.values()].find((v) => v.id === viewId))
        : [...this.views.values()].find((v) => v.external_id === externalId);
      if (!existing) throw new SlackApiError('not_found');
      const input = this.checkView(args.view, existing.type);
      const hash = nonEmpty(args.hash);
      if (hash && hash !== existing.hash) throw new SlackApiError('hash_conflict');
      this.checkExternalIdFree(input.external_id, existing.id);
      const next = this.buildView(input, {
        id: existing.id,
        root: existing.root_view_id,
        previous: existing.previous_view_id,
        ...(existing.user_id ? { userId: existing.user_id } : {}),
      });
      // An update that leaves out external_id keeps the view addressable by it.
      if (input.external_id === undefined) next.external_id = existing.external_id;
      if (existing.open === false) next.open = false;
      if (existing.type === 'home' && existing.user_id) this.homeViews.set(existing.user_id, next);
      else this.views.set(existing.id, next);
      return { ok: true, view: this.publicView(next) };
    },

    'views.publish': (args) => {
      const user = this.userOrThrow(args.user_id);
      const input = this.checkView(args.view, 'home');
      const existing = this.homeViews.get(user.id);
      const hash = nonEmpty(args.hash);
      if (hash && existing && hash !== existing.hash) throw new SlackApiError('hash_conflict');
      const view = this.buildView(input, { ...(existing ? { id: existing.id } : {}), userId: user.id });
      this.homeViews.set(user.id, view);
      return { ok: true, view: this.publicView(view) };
    },
  };
}

/** Orders Slack timestamps (`seconds.micros`) numerically. */
export function compareTs(a: string, b: string): number {
  const [as = '0', am = '0'] = a.split('.');
  const [bs = '0', bm = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(am.padEnd(6, '0')) - Number(bm.padEnd(6, '0'));
}
