import { todayIn } from '../../domain/calendar';
import { escapeMrkdwn } from '../../domain/text';
import type { UserProfile } from '../user-profile';
import type { AgentServiceDeps, ApprovalRole } from './turn';

/** What the agent is told about the user with every call (InvokeAgent `sessionAttributes`). */
export class SessionAttributes {
  constructor(private readonly deps: Pick<AgentServiceDeps, 'approvalRole' | 'teamsOf' | 'clock'>) {}

  /** Session attributes reach every collaborator (platform-facts §8), so answers can be addressed and scoped. */
  async forUser(teamId: string, profile: UserProfile, channelId: string): Promise<Record<string, string>> {
    const [role, teams] = await Promise.all([
      this.deps.approvalRole(profile.userId).catch(() => 'none' as const),
      this.teamsOf(profile.userId),
    ]);
    return this.build(teamId, profile, channelId, role, teams);
  }

  /** The marketing teams the user works in; best effort (an empty list scopes nothing). */
  async teamsOf(userId: string): Promise<string[]> {
    return this.deps.teamsOf ? this.deps.teamsOf(userId).catch(() => []) : [];
  }

  /** The attributes from what the caller already read. */
  build(
    teamId: string,
    profile: UserProfile,
    channelId: string,
    role: ApprovalRole,
    teams: string[],
  ): Record<string, string> {
    // Names are handed to the model escaped, like every other piece of our data it sees: quoted back,
    // `&lt;@U…&gt;` stays text (markdownToMrkdwn never turns an entity it decoded into a mention).
    return {
      ...(teams.length > 0 ? { marketingTeams: escapeMrkdwn(teams.join(', ')) } : {}),
      slackUserId: profile.userId,
      displayName: escapeMrkdwn(profile.displayName ?? profile.realName ?? profile.userId),
      slackTeamId: teamId,
      slackChannelId: channelId,
      timezone: profile.timezone,
      locale: profile.locale ?? 'en-US',
      approvalRole: role,
      today: todayIn(profile.timezone, this.deps.clock()),
    };
  }
}
