import type { GroupMembersReader } from '../adapters/slack-directory';
import { type Config, slackMode } from '../config';
import type { ApprovalLevel } from '../domain/model';
import { userGroupMention, userMention } from '../domain/text';
import { SlackApiError, UserFacingError } from '../errors';
import { withTimeout } from '../timeout';

/**
 * Who may decide approvals. Each level (leadership, VP) is configured as a list of Slack user-group
 * ids (`S…`) and/or user ids (`U…`/`W…`) — APPROVERS_LEADERSHIP, APPROVERS_VP. Group membership is
 * read with `usergroups.users.list` at click time and cached briefly per container (Tier 2 method:
 * ~20 calls/min), so a membership change takes effect within `cacheMs`. A click waits at most
 * `timeoutMs` for Slack: with `processBeforeResponse` the whole listener runs inside Slack's 3 s,
 * and the Web API client's own timeout and retries are far longer.
 */
export interface ApproverDirectory {
  /** The configured entries of a level (group and user ids). */
  entries(level: ApprovalLevel): string[];
  /** Slack mentions for a level: `<!subteam^S…>` for groups, `<@U…>` for people. */
  mentions(level: ApprovalLevel): string[];
  /** Every user id that may decide at `level` (groups resolved). */
  members(level: ApprovalLevel): Promise<string[]>;
  /** True when `userId` is listed for `level` or belongs to one of its groups. */
  isApprover(userId: string, level: ApprovalLevel): Promise<boolean>;
}

/** The demo workspace's groups, used only against the local Slack stand-in when nothing is configured. */
const STAND_IN_APPROVERS = { leadership: ['S0LEADERS'], vp: ['S0VPS'] } as const;
const STAND_IN_APPROVALS_CHANNEL = 'C0APPROVAL';

/** The approvers of each level from configuration (with the stand-in's demo groups as the local default). */
export function approverEntries(config: Config): Record<ApprovalLevel, string[]> {
  const standIn = slackMode(config) === 'stand-in';
  return {
    leadership:
      config.approvals.leadership.length > 0
        ? config.approvals.leadership
        : standIn
          ? [...STAND_IN_APPROVERS.leadership]
          : [],
    vp: config.approvals.vp.length > 0 ? config.approvals.vp : standIn ? [...STAND_IN_APPROVERS.vp] : [],
  };
}

/** The approvers' channel; fails loudly (naming the variable) when a real workspace has none configured. */
export function approvalsChannel(config: Config): string {
  if (config.approvals.channel) return config.approvals.channel;
  if (slackMode(config) === 'stand-in') return STAND_IN_APPROVALS_CHANNEL;
  throw new UserFacingError(
    'Approvals are not configured yet: an admin must set APPROVALS_CHANNEL (the approvers’ channel id).',
  );
}

/** How a configured approver entry is mentioned: a user group or a user, only when id-shaped. */
function mentionFor(entry: string): string {
  return entry.startsWith('S') ? userGroupMention(entry) : userMention(entry);
}

interface CacheEntry {
  expiresAt: number;
  users: Promise<string[]>;
}

/** The message a clicker sees when Slack could not confirm their membership; nothing was decided. */
const LOOKUP_FAILED =
  'I could not check with Slack whether you are an approver just now, so nothing was changed. Try again in a few seconds.';

/** Directory backed by configuration and the Web API, with an in-container membership cache. */
export class SlackApproverDirectory implements ApproverDirectory {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly readMembers: GroupMembersReader,
    private readonly config: Record<ApprovalLevel, string[]>,
    private readonly clock: () => Date,
    private readonly cacheMs = 60_000,
    /** How long a caller waits for one group's members; a late answer still fills the cache. */
    private readonly timeoutMs = 1_500,
  ) {}

  entries(level: ApprovalLevel): string[] {
    return this.config[level];
  }

  mentions(level: ApprovalLevel): string[] {
    return this.entries(level).map(mentionFor);
  }

  async members(level: ApprovalLevel): Promise<string[]> {
    const entries = this.entries(level);
    const users = entries.filter((entry) => !entry.startsWith('S'));
    const groups = await Promise.all(
      entries.filter((entry) => entry.startsWith('S')).map((group) => this.groupMembers(group)),
    );
    return [...new Set([...users, ...groups.flat()])];
  }

  async isApprover(userId: string, level: ApprovalLevel): Promise<boolean> {
    const entries = this.entries(level);
    if (entries.includes(userId)) return true;
    for (const group of entries.filter((entry) => entry.startsWith('S'))) {
      if ((await this.groupMembers(group)).includes(userId)) return true;
    }
    return false;
  }

  /**
   * One `usergroups.users.list` per group per `cacheMs`. The promise itself is cached, so fifty
   * concurrent clicks on a cold container make one call, not fifty; a failed call is not kept.
   * The caller waits at most `timeoutMs`; a slow or failed lookup is a `UserFacingError` (the
   * clicker is told nothing changed), never a silent refusal.
   */
  private groupMembers(group: string): Promise<string[]> {
    const now = this.clock().getTime();
    const hit = this.cache.get(group);
    if (hit && hit.expiresAt > now) return this.bounded(hit.users);
    const users = this.readMembers(group).catch((error: unknown) => {
      if (this.cache.get(group)?.users === users) this.cache.delete(group);
      throw new SlackApiError(`could not read the members of user group ${group}`, { cause: error });
    });
    // Nobody may be left with an unhandled rejection when every waiter has already timed out.
    users.catch(() => undefined);
    this.cache.set(group, { expiresAt: now + this.cacheMs, users });
    return this.bounded(users);
  }

  private bounded(users: Promise<string[]>): Promise<string[]> {
    const settled = users.catch((error: unknown) => {
      throw new UserFacingError(LOOKUP_FAILED, { cause: error });
    });
    return withTimeout(settled, this.timeoutMs, () => {
      throw new UserFacingError(LOOKUP_FAILED, { cause: 'usergroups.users.list timed out' });
    });
  }
}
