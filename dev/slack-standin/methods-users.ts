import { STAND_IN_APP_ID, STAND_IN_BOT_ID, STAND_IN_TEAM_ID, type StandInUser } from './fixtures';
import { bool, type MethodHandler, nonEmpty, SlackApiError, str, timeZoneInfo } from './support';
import type { Workspace } from './workspace';

/** A user as `users.info` returns it (time zone offset and label as of the workspace clock). */
function userObject(ws: Workspace, user: StandInUser, includeLocale: boolean): Record<string, unknown> {
  const { offset, label } = timeZoneInfo(user.tz, ws.clock());
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
    updated: Math.floor(ws.clock().getTime() / 1000),
    is_email_confirmed: !user.isBot,
    who_can_share_contact_card: 'EVERYONE',
    ...(includeLocale ? { locale: user.locale ?? 'en-US' } : {}),
  };
}

/** `users.*` and `usergroups.*`. */
export function userMethods(ws: Workspace): Record<string, MethodHandler> {
  return {
    'users.info': (args) => {
      const user = ws.userOrThrow(args.user);
      return { ok: true, user: userObject(ws, user, bool(args.include_locale)) };
    },

    'users.list': (args) => ({
      ok: true,
      members: [...ws.users.values()].map((u) => userObject(ws, u, bool(args.include_locale))),
      cache_ts: Math.floor(ws.clock().getTime() / 1000),
      response_metadata: { next_cursor: '' },
    }),

    'users.lookupByEmail': (args) => {
      const email = (str(args.email) ?? '').toLowerCase();
      const user = [...ws.users.values()].find((u) => u.email.toLowerCase() === email && email !== '');
      if (!user) throw new SlackApiError('users_not_found');
      return { ok: true, user: userObject(ws, user, false) };
    },

    'usergroups.users.list': (args) => {
      const id = nonEmpty(args.usergroup);
      const group = id ? ws.userGroups.get(id) : undefined;
      if (!group) throw new SlackApiError('no_such_subteam');
      return { ok: true, users: [...group.userIds] };
    },

    'usergroups.list': (args) => ({
      ok: true,
      usergroups: [...ws.userGroups.values()].map((g) => ({
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
  };
}
