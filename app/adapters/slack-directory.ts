import type { WebClient } from '@slack/web-api';
import { z } from 'zod';

/**
 * Who is who in the workspace, read through the container's Web API client: the adapters behind
 * the user-profile service (`users.info`) and the approver directory (`usergroups.users.list`).
 * The services own the caching, time limits and fallbacks; these only call Slack and parse.
 */

/** The fields of a `users.info` user that the app reads (Slack sends many more; `tz` is absent for some bots and guests). */
export const SlackUser = z.object({
  id: z.string(),
  name: z.string().optional(),
  real_name: z.string().optional(),
  tz: z.string().optional(),
  locale: z.string().optional(),
  is_bot: z.boolean().optional(),
  profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
});
export type SlackUser = z.infer<typeof SlackUser>;

/** Reads one user (`users.info` with `include_locale`); throws when Slack returns no usable user. */
export type SlackUserReader = (userId: string) => Promise<SlackUser>;

/** `users.info` through a Web API client (only `users.info` is used, so any client with it fits). */
export function slackUserReader(slack: { users: Pick<WebClient['users'], 'info'> }): SlackUserReader {
  return async (userId) => {
    const result = await slack.users.info({ user: userId, include_locale: true });
    const parsed = SlackUser.safeParse(result.user);
    if (!parsed.success) throw new Error(`users.info returned no usable user for ${userId}`);
    return parsed.data;
  };
}

/** Reads a user group's member ids (`usergroups.users.list`). */
export type GroupMembersReader = (groupId: string) => Promise<string[]>;

/** `usergroups.users.list` through the container's Web API client. */
export function slackGroupMembers(slack: WebClient): GroupMembersReader {
  return async (usergroup) => (await slack.usergroups.users.list({ usergroup })).users ?? [];
}
