/**
 * The workspace the Slack Web API stand-in pretends to be: team, bot, people, user groups and
 * channels. By default the demo workspace of `dev/demo-users.ts`; tests may pass their own.
 */
import { STAND_IN_BOT_ID, STAND_IN_BOT_TOKEN, STAND_IN_BOT_USER_ID } from '../../app/adapters/slack';
import { DEMO_CHANNELS, DEMO_USER_GROUPS, DEMO_USERS } from '../demo-users';

export { STAND_IN_BOT_ID, STAND_IN_BOT_TOKEN, STAND_IN_BOT_USER_ID };

export const STAND_IN_TEAM_ID = 'T0LOCAL';
export const STAND_IN_TEAM_DOMAIN = 'command-center-local';
export const STAND_IN_APP_ID = 'A0LOCALAPP';
export const STAND_IN_BOT_NAME = 'command-center';

/** A person in the stand-in workspace (same fields as a DEMO_USERS entry, plus optional extras). */
export interface StandInUser {
  id: string;
  /** The handle (`users.info` → `user.name`). */
  name: string;
  realName: string;
  /** Defaults to `realName`. */
  displayName?: string;
  /** IANA time zone, e.g. `America/New_York`. */
  tz: string;
  email: string;
  isAdmin?: boolean;
  isBot?: boolean;
  /** Returned only when `users.info` is called with `include_locale=true`, as Slack does. */
  locale?: string;
  deleted?: boolean;
}

export interface StandInUserGroup {
  id: string;
  handle: string;
  name: string;
  userIds: string[];
}

export interface StandInChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Whether the bot is in the channel (default true); posting elsewhere fails with `not_in_channel`. */
  isMember?: boolean;
  /** Members for `conversations.members` and ephemeral checks; default: every user. */
  memberIds?: string[];
}

/** The demo workspace (dev/demo-users.ts) is the default fixture set. */
export const DEFAULT_USERS: StandInUser[] = DEMO_USERS;
export const DEFAULT_USER_GROUPS: StandInUserGroup[] = DEMO_USER_GROUPS;
export const DEFAULT_CHANNELS: StandInChannel[] = DEMO_CHANNELS;

/** The bot as a user, so `users.info` on the bot's own id answers like Slack. */
export const BOT_USER: StandInUser = {
  id: STAND_IN_BOT_USER_ID,
  name: STAND_IN_BOT_NAME,
  realName: 'Command Center',
  tz: 'America/Los_Angeles',
  email: '',
  isBot: true,
};
