import type { StateRecord } from '../../adapters/dynamo/workflow-state-repo';
import type { DigestRun, DigestSubscription } from '../../domain/digest';
import { ConflictError } from '../../errors';
import type { DigestStore } from './store';

/** How long an attempt owns a run it is posting; a crashed attempt's run is taken over after it. */
export const RUN_LEASE_MS = 2 * 60_000;

export type RunClaim =
  | { kind: 'done' }
  | { kind: 'busy' }
  | { kind: 'claimed'; run: StateRecord<DigestRun>; takeover: boolean };

/**
 * Claims a channel's run for a local day, before anything is posted: creates its record (`posting`,
 * with a lease) with a condition, or finds it. `done` when it was posted or closed already; `busy`
 * when another attempt holds a live lease; `claimed` with `takeover` when an earlier attempt's lease
 * lapsed (it died, perhaps after posting: the caller looks for its message before posting again).
 */
export async function claimRun(
  store: DigestStore,
  input: {
    subscription: DigestSubscription;
    localDate: string;
    runKey: string;
    occurrence: Date;
    late: boolean;
    now: Date;
  },
): Promise<RunClaim> {
  const { subscription, localDate, runKey, occurrence, late, now } = input;
  const leaseUntil = new Date(now.getTime() + RUN_LEASE_MS).toISOString();
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await store.run(subscription.channelId, localDate);
    if (!existing) {
      const previous = await store.latestRun(subscription.channelId);
      try {
        const run = await store.putRun({
          channelId: subscription.channelId,
          localDate,
          runKey,
          state: 'posting',
          scheduledTime: occurrence.toISOString(),
          late,
          leaseUntil,
          attempts: 1,
          since: previous?.data.asOf ?? defaultSince(subscription, now),
        });
        return { kind: 'claimed', run, takeover: false };
      } catch (error) {
        if (error instanceof ConflictError) continue;
        throw error;
      }
    }
    if (existing.data.state !== 'posting') return { kind: 'done' };
    if (existing.data.leaseUntil && existing.data.leaseUntil > now.toISOString()) return { kind: 'busy' };
    try {
      const run = await store.putRun(
        { ...existing.data, leaseUntil, attempts: existing.data.attempts + 1 },
        existing.version,
      );
      return { kind: 'claimed', run, takeover: true };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return { kind: 'busy' };
}

/** "Since the last digest" for a channel's first one: one period back. */
export function defaultSince(subscription: DigestSubscription, now: Date): string {
  const days =
    subscription.frequency === 'weekly'
      ? 7
      : subscription.frequency === 'weekdays' && now.getUTCDay() === 1
        ? 3
        : 1;
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/** App Home deep link, when the subscription knows the workspace and the app. */
export function appHomeUrl(
  subscription: Pick<DigestSubscription, 'slackTeamId' | 'appId'>,
): string | undefined {
  if (!subscription.slackTeamId || !subscription.appId) return undefined;
  return `slack://app?team=${encodeURIComponent(subscription.slackTeamId)}&id=${encodeURIComponent(subscription.appId)}&tab=home`;
}
