import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withTimeout } from '../../app/timeout';

describe('withTimeout (the one bounded wait)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('settles with the work when it is in time, and leaves no timer behind', async () => {
    const waited = withTimeout(Promise.resolve('done'), 1_000, () => 'late');
    await expect(waited).resolves.toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes the work’s own failure through, and leaves no timer behind', async () => {
    const waited = withTimeout(Promise.reject(new Error('boom')), 1_000, () => 'late');
    await expect(waited).rejects.toThrow('boom');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('after `ms`, answers with what onTimeout returns', async () => {
    const waited = withTimeout(new Promise<string>(() => undefined), 1_000, () => 'timed_out' as const);
    await vi.advanceTimersByTimeAsync(999);
    let settled = false;
    void waited.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(waited).resolves.toBe('timed_out');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('after `ms`, rejects with what onTimeout throws; a later failure of the work is not unhandled', async () => {
    let fail: (error: Error) => void = () => undefined;
    const work = new Promise<string>((_, reject) => {
      fail = reject;
    });
    const waited = withTimeout(work, 50, () => {
      throw new Error('too slow');
    });
    const outcome = expect(waited).rejects.toThrow('too slow');
    await vi.advanceTimersByTimeAsync(50);
    await outcome;
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    fail(new Error('failed after the wait'));
    vi.useRealTimers();
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
