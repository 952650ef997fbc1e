import { STAND_IN_BOT_USER_ID, STAND_IN_TEAM_ID, type StandInUser } from './fixtures';
import { bool, compareTs, type MethodHandler, nonEmpty, SlackApiError, str } from './support';
import type { Workspace } from './workspace';

/** A channel (or DM) as `conversations.info` returns it. */
function channelObject(ws: Workspace, channelId: string): Record<string, unknown> {
  const created = 1_700_000_000;
  const dmUser = ws.userForDm(channelId);
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
  const channel = ws.channels.get(channelId);
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

/** `conversations.*`. */
export function conversationMethods(ws: Workspace): Record<string, MethodHandler> {
  return {
    'conversations.history': (args) => {
      const channel = ws.resolveChannel(args.channel);
      const limit = Math.min(Number(str(args.limit) ?? 100) || 100, 999);
      const top = (ws.messagesByChannel.get(channel) ?? []).filter(
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
        messages: newestFirst.slice(0, limit).map((m) => ws.publicMessage(m, { metadata })),
        has_more: newestFirst.length > limit,
        pin_count: 0,
        response_metadata: { next_cursor: '' },
      };
    },

    'conversations.replies': (args) => {
      const channel = ws.resolveChannel(args.channel);
      const ts = nonEmpty(args.ts);
      const list = ws.messagesByChannel.get(channel) ?? [];
      const parent = ts ? list.find((m) => m.ts === ts) : undefined;
      if (!parent) throw new SlackApiError('thread_not_found');
      const root = parent.thread_ts ?? parent.ts;
      const latest = str(args.latest);
      const oldest = str(args.oldest);
      // The parent comes first whatever the range; replies are filtered by `oldest`/`latest` as history is.
      const thread = list.filter(
        (m) =>
          m.ts === root ||
          (m.thread_ts === root &&
            (!latest || compareTs(m.ts, latest) < 0) &&
            (!oldest || compareTs(m.ts, oldest) > 0)),
      );
      const metadata = bool(args.include_all_metadata);
      return {
        ok: true,
        messages: thread.map((m) => ws.publicMessage(m, { metadata })),
        has_more: false,
        response_metadata: { next_cursor: '' },
      };
    },

    'conversations.info': (args) => {
      const channel = ws.resolveChannel(args.channel);
      return { ok: true, channel: channelObject(ws, channel) };
    },

    'conversations.members': (args) => {
      const channel = ws.resolveChannel(args.channel);
      return { ok: true, members: ws.channelMemberIds(channel), response_metadata: { next_cursor: '' } };
    },

    'conversations.open': (args) => {
      const ids = (str(args.users) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ids.length === 0) {
        const channel = nonEmpty(args.channel);
        if (!channel) throw new SlackApiError('users_list_not_supplied');
        return { ok: true, no_op: true, already_open: true, channel: { id: ws.resolveChannel(channel) } };
      }
      if (ids.length > 8) throw new SlackApiError('too_many_users');
      const users = ids.map((id) => ws.userOrThrow(id));
      if (users.length > 1) throw new SlackApiError('method_not_supported_for_channel_type');
      const user = users[0] as StandInUser;
      if (user.id === STAND_IN_BOT_USER_ID) throw new SlackApiError('cannot_dm_bot');
      const id = ws.dmChannelId(user.id);
      const alreadyOpen = ws.openedDms.has(id);
      ws.openedDms.add(id);
      const channel = bool(args.return_im) ? channelObject(ws, id) : { id };
      return { ok: true, ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel };
    },
  };
}
