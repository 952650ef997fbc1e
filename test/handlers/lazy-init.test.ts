import { describe, expect, it } from 'vitest';
import { lazyInit } from '../../handlers/lazy-init';

describe('lazyInit', () => {
  it('runs init once for concurrent and later callers', async () => {
    // Prepare
    let calls = 0;
    const container = lazyInit(async () => ++calls);

    // Act
    const values = await Promise.all([container.get(), container.get(), container.get()]);

    // Assess
    expect(values).toEqual([1, 1, 1]);
    expect(await container.get()).toBe(1);
    expect(calls).toBe(1);
  });

  it('forgets a failed init, so the next call tries again; reset forgets a good one', async () => {
    // Prepare
    let calls = 0;
    const container = lazyInit(async () => {
      calls += 1;
      if (calls === 1) throw new Error('secret unreadable');
      return calls;
    });

    // Act / Assess
    await expect(container.get()).rejects.toThrow('secret unreadable');
    expect(await container.get()).toBe(2);
    container.reset();
    expect(await container.get()).toBe(3);
  });
});
