import type { StateRecord } from '../../adapters/dynamo/workflow-state-repo';
import { todayIn } from '../../domain/calendar';
import {
  DIGEST_METADATA_EVENT,
  type DigestMessage,
  type DigestPictureOutcome,
  type DigestRun,
  type DigestSubscription,
  digestNowKey,
  digestRunKey,
} from '../../domain/digest';
import { type DigestContent, isEmptyDigest } from '../../domain/digest-content';
import { latestOccurrence } from '../../domain/schedule-cron';
import { channelMention } from '../../domain/text';
import { CommandCenterError, ConflictError, ErrorCode, ValidationError } from '../../errors';
import type { AppLogger } from '../../logger';
import { buildDigestContent, type DigestSources } from './content';
import type { DigestPictureRenderer, DigestPublisher, DigestRenderer } from './ports';
import { isFinalSlackFailure } from './ports';
import { appHomeUrl, claimRun, defaultSince, RUN_LEASE_MS, runLedger } from './run-claim';
import type { DigestStore } from './store';
import { digestCron } from './subscriptions';

/** A run posted this long after its time is marked late. */
const LATE_AFTER_MS = 15 * 60_000;
/** The sweep treats a run as missed once it is this far past its time with no record. */
const SWEEP_GRACE_MS = 15 * 60_000;

/** How the app layer renders: Block Kit for the message, and the picture when this process can draw it. */
export interface DigestOutput {
  render: DigestRenderer;
  picture?: DigestPictureRenderer | undefined;
}

export type DigestRunResult =
  | { outcome: 'posted'; runKey: string; messageTs: string; late: boolean; picture: DigestPictureOutcome }
  | { outcome: 'recovered'; runKey: string; messageTs: string }
  | { outcome: 'duplicate'; runKey: string }
  | { outcome: 'skipped_empty'; runKey: string }
  | { outcome: 'busy'; runKey: string }
  | { outcome: 'failed'; runKey: string; slackError: string }
  | { outcome: 'off' }
  | { outcome: 'not_due' };

/** Another attempt is posting this run right now: the delivery should be retried later. */
export class DigestRunBusyError extends CommandCenterError {
  override code = ErrorCode.ConflictError;
}

/** Reads a Slack Web API error code off a failure (`not_in_channel`, …) without knowing the client. */
type SlackErrorReader = (error: unknown) => string | undefined;

export interface DigestRunnerDeps {
  store: DigestStore;
  sources: DigestSources;
  publisher: DigestPublisher;
  slackErrorCode: SlackErrorReader;
  clock: () => Date;
  logger: AppLogger;
}

/**
 * Posts a channel's digest exactly once per local day.
 *
 * Before anything is posted, the run is recorded (`digest#<channel>` / `run#<local date>`, created
 * with a condition) in state `posting` with a short lease. A duplicate or retried invocation for the
 * same day finds it: `posted` → nothing to do; `posting` with a live lease → another attempt is at
 * it (a scheduled delivery is thrown back to be retried); `posting` with a lapsed lease → the earlier
 * attempt died, possibly after posting, so the channel is searched for a message carrying this run's
 * key in its metadata before posting: found → recorded, not posted again.
 *
 * A run that fires late (a retry, a process that was down) is served as the channel's latest due
 * run, marked late; older missed days are not posted one by one. The sweep (`recoverMissed`) finds
 * a latest run nobody served and posts it once, late.
 */
export class DigestRunner {
  constructor(private readonly deps: DigestRunnerDeps) {}

  /** Serves a scheduled run (`scheduledTime` from the schedule), or the sweep's recovery. */
  async run(
    input: { channelId: string; scheduledTime?: string | undefined; trigger: 'schedule' | 'sweep' },
    output: DigestOutput,
  ): Promise<DigestRunResult> {
    const record = await this.deps.store.subscription(input.channelId);
    const subscription = record?.data;
    if (!subscription?.enabled) {
      this.deps.logger.info(
        { event: 'digest_off', channelId: input.channelId },
        'digest is off; nothing posted',
      );
      return { outcome: 'off' };
    }
    const now = this.deps.clock();
    const occurrence = this.occurrence(subscription, input.scheduledTime, now);
    if (!occurrence) return { outcome: 'not_due' };
    const localDate = todayIn(subscription.timeZone, occurrence);
    const runKey = digestRunKey(subscription.channelId, localDate);
    const late = now.getTime() - occurrence.getTime() > LATE_AFTER_MS;
    const claim = await claimRun(this.deps.store, { subscription, localDate, runKey, occurrence, late, now });
    if (claim.kind === 'done') return { outcome: 'duplicate', runKey };
    if (claim.kind === 'busy') {
      if (input.trigger === 'sweep') return { outcome: 'busy', runKey };
      throw new DigestRunBusyError(`${runKey} is being posted by another attempt; retry later`);
    }
    const run = claim.run;
    if (claim.takeover) {
      const found = await this.deps.publisher.findPosted(
        subscription.channelId,
        runKey,
        new Date(Date.parse(run.data.asOf ?? run.updatedAt) - 60_000),
      );
      if (found) {
        await this.deps.store.putRun(
          { ...run.data, state: 'posted', messageTs: found, leaseUntil: undefined },
          run.version,
        );
        this.deps.logger.info(
          { event: 'digest_recovered', runKey },
          'an earlier attempt had posted this digest',
        );
        return { outcome: 'recovered', runKey, messageTs: found };
      }
    }
    // The cut-off: stored with the run just before the post (the crash-safe post's `begin`), where it
    // bounds the history search of an attempt that takes over; the next digest's "since" starts here.
    const asOf = now.toISOString();
    let content: DigestContent;
    try {
      content = await buildDigestContent(this.deps.sources, {
        channelId: subscription.channelId,
        localDate,
        timeZone: subscription.timeZone,
        locale: subscription.locale,
        scheduledTime: run.data.scheduledTime,
        late,
        since: run.data.since,
        asOf,
        appHomeUrl: appHomeUrl(subscription),
      });
    } catch (error) {
      // Nothing was posted: give the lease back so the retry can run at once, then fail loudly.
      await this.release(run);
      throw error;
    }
    if (isEmptyDigest(content) && subscription.whenEmpty === 'skip') {
      await this.deps.store.putRun(
        { ...run.data, asOf, state: 'skipped_empty', counts: content.counts, leaseUntil: undefined },
        run.version,
      );
      return { outcome: 'skipped_empty', runKey };
    }
    return this.post(subscription, run, content, output, asOf);
  }

  /**
   * Finds every enabled subscription whose latest due run has no record more than
   * `SWEEP_GRACE_MS` after its time (the function was down, or the schedule is missing) and posts it
   * once, late. One Query for the subscriptions and one read per channel; errors are per channel.
   */
  async recoverMissed(output: DigestOutput): Promise<{ checked: number; posted: number }> {
    const now = this.deps.clock();
    let checked = 0;
    let posted = 0;
    for (const { data: subscription } of await this.deps.store.subscriptions()) {
      if (!subscription.enabled) continue;
      const latest = latestOccurrence(digestCron(subscription), now);
      // A run due before the settings were last saved belongs to the old settings: not "missed".
      if (!latest || now.getTime() - latest.getTime() < SWEEP_GRACE_MS) continue;
      if (latest.toISOString() < subscription.updatedAt) continue;
      checked += 1;
      const existing = await this.deps.store.run(
        subscription.channelId,
        todayIn(subscription.timeZone, latest),
      );
      // Served already, or being served; a `posting` run whose lease lapsed (its attempt died) is retaken.
      const abandoned =
        existing?.data.state === 'posting' && (existing.data.leaseUntil ?? '') <= now.toISOString();
      if (existing && !abandoned) continue;
      try {
        const result = await this.run(
          { channelId: subscription.channelId, scheduledTime: latest.toISOString(), trigger: 'sweep' },
          output,
        );
        if (result.outcome === 'posted') posted += 1;
        this.deps.logger.info(
          { event: 'digest_missed_run', channelId: subscription.channelId, ...result },
          'missed digest served',
        );
      } catch (error) {
        this.deps.logger.warn(
          { event: 'digest_missed_run_failed', channelId: subscription.channelId, error: String(error) },
          'missed digest not posted; the next sweep tries again',
        );
      }
    }
    return { checked, posted };
  }

  /**
   * `/mcc digest now`: posts the channel's digest at once, whatever its schedule, once per request
   * (`requestKey`, e.g. the slash command's trigger id): a retried request posts nothing more. It does
   * not stand in for the day's scheduled digest, nor move its "since the last digest".
   */
  async postNow(channelId: string, requestKey: string, output: DigestOutput): Promise<DigestRunResult> {
    const subscription = (await this.deps.store.subscription(channelId))?.data;
    if (!subscription) {
      throw new ValidationError(
        `${channelMention(channelId)} has no digest settings yet: turn the digest on first.`,
        {
          channelId: 'No digest settings for this channel.',
        },
      );
    }
    const now = this.deps.clock();
    const runKey = digestNowKey(channelId, requestKey);
    const last = await this.deps.store.latestRun(channelId);
    let run: StateRecord<DigestRun>;
    try {
      run = await this.deps.store.putRun({
        channelId,
        localDate: todayIn(subscription.timeZone, now),
        runKey,
        requestKey,
        state: 'posting',
        scheduledTime: now.toISOString(),
        late: false,
        leaseUntil: new Date(now.getTime() + RUN_LEASE_MS).toISOString(),
        attempts: 1,
        since: last?.data.asOf ?? defaultSince(subscription, now),
        asOf: now.toISOString(),
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const existing = await this.deps.store.nowRun(channelId, requestKey);
      return existing?.data.state === 'posting'
        ? { outcome: 'busy', runKey }
        : { outcome: 'duplicate', runKey };
    }
    const content = await buildDigestContent(this.deps.sources, {
      channelId,
      localDate: run.data.localDate,
      timeZone: subscription.timeZone,
      locale: subscription.locale,
      scheduledTime: run.data.scheduledTime,
      late: false,
      since: run.data.since,
      asOf: now.toISOString(),
      appHomeUrl: appHomeUrl(subscription),
    });
    return this.post(subscription, run, content, output, now.toISOString());
  }

  /** The content of the channel's digest as of now, without posting or recording anything (preview). */
  async preview(channelId: string): Promise<DigestContent | undefined> {
    const subscription = (await this.deps.store.subscription(channelId))?.data;
    if (!subscription) return undefined;
    const now = this.deps.clock();
    const last = await this.deps.store.latestRun(channelId);
    return buildDigestContent(this.deps.sources, {
      channelId,
      localDate: todayIn(subscription.timeZone, now),
      timeZone: subscription.timeZone,
      locale: subscription.locale,
      scheduledTime: now.toISOString(),
      late: false,
      since: last?.data.asOf ?? defaultSince(subscription, now),
      asOf: now.toISOString(),
      appHomeUrl: appHomeUrl(subscription),
    });
  }

  /**
   * The run this invocation serves: its own scheduled time, unless a later run is already due (a
   * retry or a late delivery of an older run serves the latest one, so missed days collapse into
   * one late digest). The sweep passes the latest run itself.
   */
  private occurrence(
    subscription: DigestSubscription,
    scheduledTime: string | undefined,
    now: Date,
  ): Date | undefined {
    const latest = latestOccurrence(digestCron(subscription), now);
    const scheduled = scheduledTime ? new Date(scheduledTime) : undefined;
    if (scheduled && !Number.isNaN(scheduled.getTime()) && (!latest || scheduled >= latest)) return scheduled;
    return latest;
  }

  private async post(
    subscription: DigestSubscription,
    claimed: StateRecord<DigestRun>,
    content: DigestContent,
    output: DigestOutput,
    asOf: string,
  ): Promise<DigestRunResult> {
    const message: DigestMessage = output.render(content);
    const { store } = this.deps;
    // The run record is this post's ledger: the cut-off before the Slack call, the ts after it.
    const { ledger, current } = runLedger(store, claimed, {
      asOf,
      counts: content.counts,
      clock: this.deps.clock,
    });
    let run = claimed;
    let ts: string;
    try {
      ({ ts } = await this.deps.publisher.postOnce(ledger, {
        key: run.data.runKey,
        channel: subscription.channelId,
        message,
        metadata: {
          event_type: DIGEST_METADATA_EVENT,
          event_payload: {
            run_key: run.data.runKey,
            channel_id: subscription.channelId,
            local_date: run.data.localDate,
          },
        },
      }));
      run = current();
    } catch (error) {
      run = current();
      const code = this.deps.slackErrorCode(error);
      if (isFinalSlackFailure(code)) {
        // Retrying cannot help (the bot was removed, the channel archived): the day is closed as
        // failed, loudly; tomorrow's run tries again.
        this.deps.logger.error(
          { code: 'digest_post_failed', runKey: run.data.runKey, slackError: code },
          'digest not posted',
        );
        await store.putRun(
          { ...run.data, state: 'failed', slackError: code ?? 'unknown', leaseUntil: undefined },
          run.version,
        );
        return { outcome: 'failed', runKey: run.data.runKey, slackError: code ?? 'unknown' };
      }
      // Retryable: give the lease back so the retry (or the sweep) can post at once. (Had Slack
      // posted it after all — a lost response — the retry finds it by its metadata.)
      await this.release(run);
      throw error;
    }
    const picture = await this.picture(subscription.channelId, ts, content, output);
    run = await store.putRun({ ...run.data, picture }, run.version);
    this.deps.logger.info(
      {
        event: 'digest_posted',
        runKey: run.data.runKey,
        late: run.data.late,
        picture,
        counts: content.counts,
      },
      'digest posted',
    );
    return { outcome: 'posted', runKey: run.data.runKey, messageTs: ts, late: run.data.late, picture };
  }

  /** Ends this attempt's lease early (best effort: a lapsed lease frees the run anyway). */
  private async release(run: StateRecord<DigestRun>): Promise<void> {
    await this.deps.store
      .putRun({ ...run.data, leaseUntil: this.deps.clock().toISOString() }, run.version)
      .catch((error: unknown) =>
        this.deps.logger.warn(
          { event: 'digest_lease_not_released', runKey: run.data.runKey, error: String(error) },
          'lease kept',
        ),
      );
  }

  /** The timeline picture in the digest's thread; the digest stands without it when this fails. */
  private async picture(
    channelId: string,
    threadTs: string,
    content: DigestContent,
    output: DigestOutput,
  ): Promise<DigestPictureOutcome> {
    if (!output.picture) return 'unavailable';
    try {
      const picture = await output.picture(content);
      if (!picture) return 'none';
      await this.deps.publisher.uploadPicture(channelId, threadTs, picture);
      return 'uploaded';
    } catch (error) {
      this.deps.logger.warn(
        {
          event: 'digest_picture_failed',
          channelId,
          slackError: this.deps.slackErrorCode(error),
          error: String(error),
        },
        'digest posted without its timeline picture',
      );
      return 'failed';
    }
  }
}
