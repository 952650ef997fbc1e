/**
 * The workspace the Slack Web API stand-in pretends to be: team, bot, people, user groups and
 * channels. Shapes match `dev/demo-users.ts` (DEMO_USERS, DEMO_USER_GROUPS, DEMO_CHANNELS) so
 * the demo data can be passed straight in.
 */
import { STAND_IN_BOT_ID, STAND_IN_BOT_TOKEN, STAND_IN_BOT_USER_ID } from '../../app/adapters/slack';

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

/** Small defaults used until a caller passes the demo fixtures. */
export const DEFAULT_USERS: StandInUser[] = [
  {
    id: 'U0LOCALUSER',
    name: 'dana',
    realName: 'Dana Whitfield',
    tz: 'America/New_York',
    email: 'dana@example.com',
    isAdmin: true,
  },
  {
    id: 'U0LOCALVP',
    name: 'morgan',
    realName: 'Morgan Reyes',
    tz: 'America/Los_Angeles',
    email: 'morgan@example.com',
  },
  {
    id: 'U0LOCALLEAD',
    name: 'sam',
    realName: 'Sam Okafor',
    tz: 'Europe/London',
    email: 'sam@example.com',
  },
];

export const DEFAULT_USER_GROUPS: StandInUserGroup[] = [
  { id: 'S0LEADERS', handle: 'marketing-leads', name: 'Marketing leadership', userIds: ['U0LOCALLEAD'] },
  { id: 'S0VPS', handle: 'marketing-vps', name: 'Marketing VPs', userIds: ['U0LOCALVP'] },
];

export const DEFAULT_CHANNELS: StandInChannel[] = [
  { id: 'C0GENERAL', name: 'general' },
  { id: 'C0APPROVAL', name: 'mcc-approvals' },
  { id: 'C0MARKETING', name: 'marketing' },
];

/** The bot as a user, so `users.info` on the bot's own id answers like Slack. */
export const BOT_USER: StandInUser = {
  id: STAND_IN_BOT_USER_ID,
  name: STAND_IN_BOT_NAME,
  realName: 'Command Center',
  tz: 'America/Los_Angeles',
  email: '',
  isBot: true,
};
