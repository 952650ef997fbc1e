import {
  STAND_IN_BOT_ID,
  STAND_IN_BOT_NAME,
  STAND_IN_BOT_USER_ID,
  STAND_IN_TEAM_DOMAIN,
  STAND_IN_TEAM_ID,
} from './fixtures';
import type { StoredEphemeral } from './state';
import { type MethodHandler, nonEmpty, SlackApiError } from './support';
import type { Workspace } from './workspace';

/** `api.test`, `auth.test`, `chat.*` and `reactions.add`. */
export function chatMethods(ws: Workspace): Record<string, MethodHandler> {
  return {
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
      const channel = ws.resolveChannel(args.channel, { posting: true });
      const content = ws.messageContent(args, { requireContent: true });
      const message = ws.botMessage(channel, content);
      const threadTs = nonEmpty(args.thread_ts);
      if (threadTs) message.thread_ts = threadTs;
      if (args.metadata !== undefined) message.metadata = args.metadata;
      ws.addMessage(message);
      if (channel.startsWith('D')) ws.openedDms.add(channel);
      return { ok: true, channel, ts: message.ts, message: ws.publicMessage(message) };
    },

    'chat.update': (args) => {
      const channel = ws.resolveChannel(args.channel);
      const ts = nonEmpty(args.ts);
      const message = ts ? ws.findMessage(channel, ts) : undefined;
      if (!message) throw new SlackApiError('message_not_found');
      if (message.user !== STAND_IN_BOT_USER_ID) throw new SlackApiError('cant_update_message');
      const content = ws.messageContent(args, { requireContent: true });
      message.text = content.text;
      if (args.blocks !== undefined) message.blocks = content.blocks ?? [];
      if (args.attachments !== undefined) message.attachments = content.attachments ?? [];
      if (args.metadata !== undefined) message.metadata = args.metadata;
      message.edited = { user: STAND_IN_BOT_USER_ID, ts: ws.nextTs() };
      return { ok: true, channel, ts: message.ts, text: message.text, message: ws.publicMessage(message) };
    },

    'chat.delete': (args) => {
      const channel = ws.resolveChannel(args.channel);
      const ts = nonEmpty(args.ts);
      const message = ts ? ws.findMessage(channel, ts) : undefined;
      if (!message) throw new SlackApiError('message_not_found');
      if (message.user !== STAND_IN_BOT_USER_ID) throw new SlackApiError('cant_delete_message');
      ws.removeMessage(message);
      return { ok: true, channel, ts: message.ts };
    },

    'chat.postEphemeral': (args) => {
      const channel = ws.resolveChannel(args.channel, { posting: true });
      const user = ws.userOrThrow(args.user);
      if (!ws.channelMemberIds(channel).includes(user.id)) throw new SlackApiError('user_not_in_channel');
      const content = ws.messageContent(args, { requireContent: true });
      const threadTs = nonEmpty(args.thread_ts);
      const ephemeral: StoredEphemeral = {
        channel,
        user: user.id,
        ts: ws.nextTs(),
        ...content,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        via: 'chat.postEphemeral',
      };
      ws.ephemerals.push(ephemeral);
      return { ok: true, message_ts: ephemeral.ts };
    },

    'chat.getPermalink': (args) => {
      const channel = ws.resolveChannel(args.channel);
      const ts = nonEmpty(args.message_ts);
      const message = ts ? ws.findMessage(channel, ts) : undefined;
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

    'reactions.add': (args) => {
      const channel = ws.resolveChannel(args.channel);
      const ts = nonEmpty(args.timestamp);
      const name = nonEmpty(args.name);
      if (!name) throw new SlackApiError('no_reaction');
      const message = ts ? ws.findMessage(channel, ts) : undefined;
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
  };
}
