import { beforeAll, describe, expect, it } from 'vitest';
import { ApprovalRepository } from '../../../../app/adapters/dynamo/approval-repo';
import { slackErrorCode } from '../../../../app/adapters/slack';
import { SlackDigestPublisher } from '../../../../app/adapters/slack-digest-publisher';
import { SlackPoster } from '../../../../app/adapters/slack-post-once';
import type { DigestPublisher } from '../../../../app/services/digest/ports';
import { DigestRunBusyError, DigestRunner } from '../../../../app/services/digest/runner';
import type { SlackStandIn } from '../../../../dev/slack-standin';
import type { Runtime } from '../../../../handlers/runtime';
import { clock, logs, RUN, useDigestWorld } from '../../../helpers/digest-world';

/**
 * The digest runner against dynalite and the Slack stand-in, wired as in production
 * (`buildRuntime`); set-up in test/helpers/digest-world.ts.
 */
const world = useDigestWorld();
const { subscription, store, output, messagesIn } = world;
let runtime: Runtime;
let standin: SlackStandIn;
beforeAll(() => {
  ({ runtime, standin } = world);
});

describe('DigestRunner — posting once: the digest, concurrency, crashes, empty days, failures, on demand', () => {
  it('posts the channel’s digest once, with every topic, its metadata and the timeline in the thread', async () => {
    // Act
    const first = await runtime.services.digests.run(
      { channelId: 'C0BRAND', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    const again = await runtime.services.digests.run(
      { channelId: 'C0BRAND', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    // Assess
    expect(first).toMatchObject({
      outcome: 'posted',
      runKey: 'digest#C0BRAND#2026-12-03',
      late: false,
      picture: 'uploaded',
    });
    expect(again).toEqual({ outcome: 'duplicate', runKey: 'digest#C0BRAND#2026-12-03' });
    const [message, ...others] = messagesIn('C0BRAND');
    expect(others).toEqual([]);
    expect(message?.metadata).toEqual({
      event_type: 'mcc_digest',
      event_payload: {
        run_key: 'digest#C0BRAND#2026-12-03',
        channel_id: 'C0BRAND',
        local_date: '2026-12-03',
        // The shared crash-safe post's key: what a retry looks for.
        post_key: 'digest#C0BRAND#2026-12-03',
      },
    });
    expect(message?.text).toBe(
      'Digest for Thu, Dec 3, 2026: 2 launches in the next 7 days, 1 campaign at risk, 1 overdue task, 1 request waiting on approval, 1 open sync conflict, 2 changes since the last digest.',
    );
    const text = JSON.stringify(message?.blocks);
    expect(text).toContain('Spring &lt;Launch&gt; &amp; co');
    expect(text).not.toContain('Cancelled promo');
    expect(text).not.toContain('Summer');
    expect(text).toContain('Legal review');
    expect(text).toContain('Task “Print” was deleted in Workfront');
    expect(text).toContain('Budget of *Holiday email* $5,000 → $4,500');
    expect(text).toContain('approval_approve');
    // The picture: a PNG reply in the digest's thread, with alt text listing the launches.
    const [file] = standin.files();
    expect(file).toMatchObject({
      completed: true,
      channel: 'C0BRAND',
      threadTs: message?.ts,
      uploadedAs: 'raw',
    });
    expect(file?.bytes?.subarray(1, 4).toString()).toBe('PNG');
    expect(file?.alt_txt).toContain('Q1 webinar on Dec 14');
    expect(file?.alt_txt).toContain('Spring <Launch> & co on Dec 4 (at risk)');
  }, 20_000);

  it('two invocations at once post once: the second is told to retry later', async () => {
    const results = await Promise.allSettled([
      runtime.services.digests.run(
        { channelId: 'C0QUIET', scheduledTime: RUN, trigger: 'schedule' },
        output(),
      ),
      runtime.services.digests.run(
        { channelId: 'C0QUIET', scheduledTime: RUN, trigger: 'schedule' },
        output(),
      ),
    ]);
    const posted = results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'posted');
    const busy = results.filter((r) => r.status === 'rejected' && r.reason instanceof DigestRunBusyError);
    const duplicate = results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'duplicate');
    expect(posted).toHaveLength(1);
    expect(busy.length + duplicate.length).toBe(1);
    expect(messagesIn('C0QUIET')).toHaveLength(1);
    // Empty digest, quiet line mode: one short line.
    expect(messagesIn('C0QUIET')[0]?.text).toBe('Digest for Thu, Dec 3, 2026: all quiet.');
  });

  it('an attempt that dies after posting is found by its metadata: the retry records it and posts nothing', async () => {
    // Prepare: a publisher that posts, then "crashes" before the run is recorded.
    const real = new SlackDigestPublisher(runtime.slack, new SlackPoster(runtime.slack, clock.now));
    const crashing: DigestPublisher = {
      findPosted: real.findPosted.bind(real),
      uploadPicture: real.uploadPicture.bind(real),
      // Slack posts; the process dies before the run records the ts (the ledger's `posted`).
      postOnce: (ledger, post) =>
        real.postOnce(
          {
            read: () => ledger.read(),
            begin: (since) => ledger.begin(since),
            posted: async () => {
              throw new Error('process killed after chat.postMessage');
            },
          },
          post,
        ),
    };
    const runner = (publisher: DigestPublisher) =>
      new DigestRunner({
        store: store(),
        sources: {
          teams: runtime.repositories.teams,
          campaigns: runtime.repositories.campaigns,
          tasks: runtime.repositories.tasks,
          approvals: new ApprovalRepository(runtime.db, runtime.tables.approvals),
          activity: runtime.repositories.eventsLog,
        },
        publisher,
        slackErrorCode,
        clock: clock.now,
        logger: runtime.logger,
      });
    await store().putSubscription(subscription('C0CRASH'));
    // Act
    await expect(
      runner(crashing).run({ channelId: 'C0CRASH', scheduledTime: RUN, trigger: 'schedule' }, output()),
    ).rejects.toThrow(/process killed/);
    clock.advance(3 * 60_000); // past the lease
    const retry = await runner(real).run(
      { channelId: 'C0CRASH', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    // Assess
    expect(retry).toMatchObject({ outcome: 'recovered', runKey: 'digest#C0CRASH#2026-12-03' });
    expect(messagesIn('C0CRASH')).toHaveLength(1);
    expect((await store().run('C0CRASH', '2026-12-03'))?.data).toMatchObject({
      state: 'posted',
      attempts: 2,
    });
    clock.set(new Date('2026-12-03T14:00:20.000Z'));
  });

  it('an empty digest is skipped when the channel asked for that, and recorded', async () => {
    const result = await runtime.services.digests.run(
      { channelId: 'C0SKIP', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    expect(result).toEqual({ outcome: 'skipped_empty', runKey: 'digest#C0SKIP#2026-12-03' });
    expect(messagesIn('C0SKIP')).toEqual([]);
    expect((await store().run('C0SKIP', '2026-12-03'))?.data.state).toBe('skipped_empty');
  });

  it('posts without the picture when the upload fails', async () => {
    standin.failNext('files.getUploadURLExternal', { error: 'file_uploads_disabled' });
    const result = await runtime.services.digests.run(
      { channelId: 'C0NOPIC', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    expect(result).toMatchObject({ outcome: 'posted', picture: 'failed' });
    expect(messagesIn('C0NOPIC')).toHaveLength(1);
    expect((await store().run('C0NOPIC', '2026-12-03'))?.data).toMatchObject({
      state: 'posted',
      picture: 'failed',
    });
    expect(
      logs.some((line) => line.includes('digest_picture_failed') && line.includes('file_uploads_disabled')),
    ).toBe(true);
  });

  it('a channel the bot was removed from closes the day as failed, loudly, without retrying', async () => {
    const first = await runtime.services.digests.run(
      { channelId: 'C0GONE', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    const again = await runtime.services.digests.run(
      { channelId: 'C0GONE', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    expect(first).toEqual({
      outcome: 'failed',
      runKey: 'digest#C0GONE#2026-12-03',
      slackError: 'not_in_channel',
    });
    expect(again.outcome).toBe('duplicate');
    expect((await store().run('C0GONE', '2026-12-03'))?.data).toMatchObject({
      state: 'failed',
      slackError: 'not_in_channel',
    });
    expect(logs.some((line) => line.includes('"code":"digest_post_failed"'))).toBe(true);
  });

  it('posts on demand once per request, apart from the day’s digest; previews without posting', async () => {
    clock.set(new Date('2026-12-03T18:00:00.000Z'));
    const before = messagesIn('C0BRAND').length;
    const preview = await runtime.services.digests.preview('C0BRAND');
    const now = await runtime.services.digests.postNow('C0BRAND', 'trigger-1', output());
    const retried = await runtime.services.digests.postNow('C0BRAND', 'trigger-1', output());
    expect(preview?.counts.launching).toBe(2);
    expect(messagesIn('C0BRAND')).toHaveLength(before + 1);
    expect(now).toMatchObject({ outcome: 'posted', runKey: 'digest#C0BRAND#now#trigger-1' });
    expect(retried).toEqual({ outcome: 'duplicate', runKey: 'digest#C0BRAND#now#trigger-1' });
    // The day's scheduled run is untouched and still the channel's latest.
    expect((await store().latestRun('C0BRAND'))?.data.runKey).toBe('digest#C0BRAND#2026-12-03');
    await expect(runtime.services.digests.postNow('C0NOSUB', 'trigger-2', output())).rejects.toThrow(
      /no digest settings/,
    );
  });
});
