import type { StateRecord, WorkflowStateRepository } from '../../adapters/dynamo/workflow-state-repo';
import { DigestRun, DigestSubscription } from '../../domain/digest';

/** The partition holding every channel's subscription (one Query lists them all). */
const DIGEST_SUBSCRIPTIONS_PK = 'digest#subscriptions';
/** Runs are kept this long (DynamoDB TTL); "since the last digest" never needs more. */
const RUN_TTL_DAYS = 90;

/**
 * Digest subscriptions and runs in `workflow-state` (versioned, conditional writes):
 * - `digest#subscriptions` / `<channelId>`: the channel's settings;
 * - `digest#<channelId>` / `run#<local date>`: one item per channel and day — the digest's
 *   exactly-once record (`digest#<channel>#<local date>` in logs and message metadata).
 */
export class DigestStore {
  constructor(
    private readonly state: WorkflowStateRepository,
    private readonly clock: () => Date,
  ) {}

  subscription(channelId: string): Promise<StateRecord<DigestSubscription> | undefined> {
    return this.state.get({ pk: DIGEST_SUBSCRIPTIONS_PK, sk: channelId }, DigestSubscription);
  }

  subscriptions(): Promise<StateRecord<DigestSubscription>[]> {
    return this.state.list(DIGEST_SUBSCRIPTIONS_PK, DigestSubscription);
  }

  /** Creates (no `expectedVersion`) or replaces a subscription; `ConflictError` when it changed meanwhile. */
  putSubscription(
    value: DigestSubscription,
    expectedVersion?: number,
  ): Promise<StateRecord<DigestSubscription>> {
    return this.state.put(
      { pk: DIGEST_SUBSCRIPTIONS_PK, sk: value.channelId },
      value,
      DigestSubscription,
      expectedVersion,
    );
  }

  run(channelId: string, localDate: string): Promise<StateRecord<DigestRun> | undefined> {
    return this.state.get(runKey(channelId, localDate), DigestRun);
  }

  /** The channel's most recent run (by local date), if any. */
  latestRun(channelId: string): Promise<StateRecord<DigestRun> | undefined> {
    return this.state.latest(`digest#${channelId}`, 'run#', DigestRun);
  }

  /** An on-demand digest's record. */
  nowRun(channelId: string, requestKey: string): Promise<StateRecord<DigestRun> | undefined> {
    return this.state.get({ pk: `digest#${channelId}`, sk: `now#${requestKey}` }, DigestRun);
  }

  /**
   * Creates (`ConflictError` when another invocation created it first) or replaces a run at its
   * version: the day's slot (`run#<local date>`), or an on-demand one's (`now#<request key>`).
   */
  putRun(value: DigestRun, expectedVersion?: number): Promise<StateRecord<DigestRun>> {
    const expiresAt = new Date(this.clock().getTime() + RUN_TTL_DAYS * 86_400_000);
    const sk = value.requestKey ? `now#${value.requestKey}` : `run#${value.localDate}`;
    return this.state.put({ pk: `digest#${value.channelId}`, sk }, value, DigestRun, expectedVersion, {
      expiresAt,
    });
  }
}

function runKey(channelId: string, localDate: string) {
  return { pk: `digest#${channelId}`, sk: `run#${localDate}` };
}
