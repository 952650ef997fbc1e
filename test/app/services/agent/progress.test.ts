import { describe, expect, it } from 'vitest';
import { ProgressUpdater } from '../../../../app/services/agent/progress';
import { RateLimitedError } from '../../../../app/services/agent/reply-surface';

describe('ProgressUpdater', () => {
  const setup = (budget = Number.POSITIVE_INFINITY, fail?: (call: number) => Error | undefined) => {
    let now = 0;
    const sent: string[] = [];
    let calls = 0;
    const updater = new ProgressUpdater({
      intervalMs: 1000,
      budget: () => budget - sent.length,
      clock: () => new Date(now),
      send: async (text, status) => {
        calls += 1;
        const error = fail?.(calls);
        if (error) throw error;
        sent.push(status ? `${text}|${status}` : text);
      },
    });
    return { updater, sent, advance: (ms: number) => (now += ms) };
  };

  it('sends at most one update per interval, riding on chunks', async () => {
    const { updater, sent, advance } = setup();
    await updater.offer('a');
    advance(500);
    await updater.offer('ab');
    advance(600);
    await updater.offer('abc');
    expect(sent).toEqual(['a', 'abc']);
  });

  it('after a 429, waits out Retry-After before the next update', async () => {
    const { updater, sent, advance } = setup(Number.POSITIVE_INFINITY, (call) =>
      call === 1 ? new RateLimitedError(3000) : undefined,
    );
    await updater.offer('a');
    advance(1500);
    await updater.offer('ab');
    advance(1600);
    await updater.offer('abc');
    expect(sent).toEqual(['abc']);
    expect(updater.skipped).toBe(1);
  });

  it('stops when the surface has no budget left (response_url: 5 posts)', async () => {
    const { updater, sent, advance } = setup(2);
    for (const text of ['a', 'ab', 'abc', 'abcd']) {
      await updater.offer(text);
      advance(5000);
    }
    expect(sent).toEqual(['a', 'ab']);
  });

  it('heartbeat: re-shows the latest text with a status only after a quiet period', async () => {
    // Prepare
    const { updater, sent, advance } = setup();
    // Act
    await updater.beat('working 0 s', 5000); // just started: nothing is stale yet
    advance(5000);
    await updater.beat('working 5 s', 5000); // quiet for 5 s: shown (no text yet)
    await updater.offer('abc');
    advance(1000);
    await updater.offer('abcd'); // a chunk arriving 1 s later is shown
    advance(1000);
    await updater.beat('working 7 s', 5000); // shown 1 s ago: too soon
    advance(5000);
    await updater.beat('working 12 s', 5000); // the stream went quiet: latest text + status
    advance(1000);
    await updater.offer('abcd'); // the same text again is shown (the heartbeat changed the message)
    // Assess
    expect(sent).toEqual(['|working 5 s', 'abcd', 'abcd|working 12 s', 'abcd']);
    expect(updater.beats).toBe(2);
  });

  it('settle() waits for a heartbeat in flight and stops further updates', async () => {
    // Prepare: a send that finishes only when released
    let now = 10_000;
    let release: () => void = () => undefined;
    const sent: string[] = [];
    const updater = new ProgressUpdater({
      intervalMs: 1000,
      budget: () => Number.POSITIVE_INFINITY,
      clock: () => new Date(now),
      initialText: 'earlier round',
      send: (text, status) =>
        new Promise<void>((resolve) => {
          release = () => {
            sent.push(`${text}|${status ?? ''}`);
            resolve();
          };
        }),
    });
    now += 6000;
    // Act
    const beat = updater.beat('still working', 5000);
    await updater.offer('earlier round and more'); // skipped: a write is in flight
    let settled = false;
    const settling = updater.settle().then(() => {
      settled = true;
    });
    await Promise.resolve();
    const settledBeforeRelease = settled;
    release();
    await Promise.all([beat, settling]);
    now += 6000;
    await updater.offer('after the end');
    await updater.beat('late', 5000);
    // Assess
    expect(settledBeforeRelease).toBe(false);
    expect(settled).toBe(true);
    expect(sent).toEqual(['earlier round|still working']);
  });
});
