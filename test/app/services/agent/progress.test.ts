import { describe, expect, it } from 'vitest';
import { ProgressUpdater } from '../../../../app/services/agent/progress';
import { RateLimitedError } from '../../../../app/services/agent/surfaces';

describe('ProgressUpdater', () => {
  const setup = (budget = Number.POSITIVE_INFINITY, fail?: (call: number) => Error | undefined) => {
    let now = 0;
    const sent: string[] = [];
    let calls = 0;
    const updater = new ProgressUpdater({
      intervalMs: 1000,
      budget: () => budget - sent.length,
      clock: () => new Date(now),
      send: async (text) => {
        calls += 1;
        const error = fail?.(calls);
        if (error) throw error;
        sent.push(text);
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
});
