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
import type {
  ResponsePost,
  ResponseTarget,
  StandInSnapshot,
  StoredEphemeral,
  StoredMessage,
  StoredView,
} from './state';
import { type Args, blockErrors, compareTs, nonEmpty, SlackApiError, str } from './support';
import { SLACK_LIMITS, validateBlocks } from './validate-blocks';

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

  nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}${this.idCounter.toString(36).toUpperCase().padStart(9, '0')}`;
  }

  /** The DM channel id for a user: `U0ALICE` → `D0ALICE` (stable, so tests can predict it). */
  dmChannelId(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  userForDm(channelId: string): StandInUser | undefined {
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

  channelMessages(channel: string): StoredMessage[] {
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
  messageContent(
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

  botMessage(channel: string, content: { text: string; blocks?: unknown[]; attachments?: unknown[] }) {
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

  publicMessage(message: StoredMessage, options: { metadata?: boolean } = {}): Record<string, unknown> {
    const { channel: _channel, metadata, ...rest } = message;
    // Slack returns a message's metadata from history only when asked (`include_all_metadata`).
    return options.metadata !== false && metadata !== undefined ? { ...rest, metadata } : rest;
  }

  userOrThrow(id: unknown): StandInUser {
    const key = nonEmpty(id);
    const user = key ? this.users.get(key) : undefined;
    if (!user) throw new SlackApiError('user_not_found');
    return user;
  }

  channelMemberIds(channelId: string): string[] {
    const dmUser = this.userForDm(channelId);
    if (dmUser) return [dmUser.id, STAND_IN_BOT_USER_ID];
    const channel = this.channels.get(channelId);
    if (!channel) throw new SlackApiError('channel_not_found');
    return channel.memberIds ?? [...this.users.keys()];
  }

  consumeTrigger(args: Args): void {
    const trigger = nonEmpty(args.trigger_id) ?? nonEmpty(args.interactivity_pointer);
    if (!trigger)
      throw new SlackApiError('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] },
      });
    if (this.usedTriggers.has(trigger)) throw new SlackApiError('exchanged_trigger_id');
    this.usedTriggers.add(trigger);
  }

  publicView(view: StoredView): Record<string, unknown> {
    const { user_id: _user, open: _open, ...rest } = view;
    return rest;
  }

  stackOf(viewId: string): string[] | undefined {
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

  removeMessage(message: StoredMessage): void {
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
}
