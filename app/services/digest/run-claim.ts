import type { StateRecord } from '../../adapters/dynamo/workflow-state-repo';
import type { DigestRun, DigestSubscription } from '../../domain/digest';
import type { PostLedger } from '../../domain/outbound-post';
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

/**
 * The run record as the ledger of its digest's crash-safe post (app/domain/outbound-post.ts):
 * `begin` stores the cut-off (`asOf`) before the Slack call, `posted` the message's ts after it.
 * `current()` is the record as last written (each write is conditional on the one before). An
 * attempt that took over a lapsed lease has already searched for an earlier attempt's message.
 */
export function runLedger(
  store: Pick<DigestStore, 'putRun'>,
  claimed: StateRecord<DigestRun>,
  post: { asOf: string; counts: DigestRun['counts']; clock: () => Date },
): { ledger: PostLedger; current(): StateRecord<DigestRun> } {
  let run = claimed;
  const ledger: PostLedger = {
    read: async () => (run.data.messageTs ? { ts: run.data.messageTs } : undefined),
    begin: async () => {
      run = await store.putRun({ ...run.data, asOf: post.asOf }, run.version);
    },
    posted: async (ts) => {
      run = await store.putRun(
        {
          ...run.data,
          asOf: post.asOf,
          state: 'posted',
          messageTs: ts,
          counts: post.counts,
          postedAt: post.clock().toISOString(),
          leaseUntil: undefined,
        },
        run.version,
      );
    },
  };
  return { ledger, current: () => run };
}
