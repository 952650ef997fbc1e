import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULED_RECURRING_JOB_KIND } from '../../../../app/adapters/in-process-recurring-scheduler';
import { jobIdFor } from '../../../../app/services/jobs';
import type { Runtime } from '../../../../handlers/runtime';
import { aTeam } from '../../../helpers/campaign-fixtures';
import { clock, RUN, useDigestWorld } from '../../../helpers/digest-world';

/**
 * The digest runner against dynalite and the Slack stand-in, wired as in production
 * (`buildRuntime`); set-up in test/helpers/digest-world.ts.
 */
const world = useDigestWorld();
const { subscription, store, output, messagesIn } = world;
let runtime: Runtime;
beforeAll(() => {
  ({ runtime } = world);
});

describe('DigestRunner — schedules: late and missed runs, a digest switched off, npm start', () => {
  it('a late delivery of an older run serves the latest due run once, marked late', async () => {
    // Thursday 12:30 in New York; a retry of Monday's run arrives now.
    clock.set(new Date('2026-12-03T17:30:00.000Z'));
    const result = await runtime.services.digests.run(
      { channelId: 'C0LATE', scheduledTime: '2026-11-30T14:00:00.000Z', trigger: 'schedule' },
      output(),
    );
    expect(result).toMatchObject({ outcome: 'posted', runKey: 'digest#C0LATE#2026-12-03', late: true });
    const [message] = messagesIn('C0LATE');
    expect(message?.text).toContain('(late)');
    expect(JSON.stringify(message?.blocks)).toContain('Posted late* — it was due Thu, Dec 3, 9:00 AM');
    // Tuesday's and Wednesday's deliveries, retried too: nothing more.
    for (const day of ['2026-12-01', '2026-12-02']) {
      const retry = await runtime.services.digests.run(
        { channelId: 'C0LATE', scheduledTime: `${day}T14:00:00.000Z`, trigger: 'schedule' },
        output(),
      );
      expect(retry.outcome).toBe('duplicate');
    }
    expect(messagesIn('C0LATE')).toHaveLength(1);
  });

  it('the sweep finds a run nobody served and posts it once, late; the schedule’s own retry then does nothing', async () => {
    // Thursday 11:00 in New York: the 09:00 run of C0MISSED never came (the function was down).
    clock.set(new Date('2026-12-03T16:00:00.000Z'));
    const sweep = await runtime.services.digests.recoverMissed(output());
    const again = await runtime.services.digests.recoverMissed(output());
    const retry = await runtime.services.digests.run(
      { channelId: 'C0MISSED', scheduledTime: RUN, trigger: 'schedule' },
      output(),
    );
    expect(sweep.posted).toBeGreaterThanOrEqual(1);
    expect(again.posted).toBe(0);
    expect(retry.outcome).toBe('duplicate');
    expect(messagesIn('C0MISSED')).toHaveLength(1);
    expect((await store().run('C0MISSED', '2026-12-03'))?.data).toMatchObject({
      state: 'posted',
      late: true,
    });
  });

  it('does nothing for a channel whose digest is off', async () => {
    const current = await store().subscription('C0QUIET');
    await store().putSubscription(subscription('C0QUIET', { enabled: false }), current?.version);
    clock.set(new Date('2026-12-04T14:00:10.000Z'));
    const result = await runtime.services.digests.run(
      { channelId: 'C0QUIET', scheduledTime: '2026-12-04T14:00:00.000Z', trigger: 'schedule' },
      output(),
    );
    expect(result).toEqual({ outcome: 'off' });
    expect(await store().run('C0QUIET', '2026-12-04')).toBeUndefined();
  });

  it('npm start: subscribing arms an in-process run that posts the digest when it comes due', async () => {
    // Prepare: Friday 2026-12-04, 08:00 in Berlin.
    clock.set(new Date('2026-12-04T07:00:00.000Z'));
    await runtime.repositories.teams.create(
      aTeam({ teamId: 'team-local', name: 'Local', slackChannelId: 'C0LOCAL' }),
    );
    const settings = await runtime.services.digestSubscriptions.subscribe({
      channelId: 'C0LOCAL',
      actorId: 'U0MAYA',
      time: '08:30',
      timeZone: 'Europe/Berlin',
    });
    expect(settings.nextRun).toBe('2026-12-04T07:30:00.000Z');
    const armed = jobIdFor(SCHEDULED_RECURRING_JOB_KIND, 'digest-C0LOCAL@1@2026-12-04T07:30:00.000Z');
    // Act: the run's time comes (the test plays the timer on its clock).
    clock.set(new Date('2026-12-04T07:30:05.000Z'));
    const outcome = await runtime.services.jobs.run(armed);
    // Assess
    expect(outcome).toBe('succeeded');
    expect(messagesIn('C0LOCAL')).toHaveLength(1);
    expect((await store().run('C0LOCAL', '2026-12-04'))?.data).toMatchObject({
      state: 'posted',
      late: false,
    });
    // Monday's run is armed next (weekdays).
    const next = await runtime.services.jobs.get(
      jobIdFor(SCHEDULED_RECURRING_JOB_KIND, 'digest-C0LOCAL@1@2026-12-07T07:30:00.000Z'),
    );
    expect(next?.status).toBe('QUEUED');
  });
});
