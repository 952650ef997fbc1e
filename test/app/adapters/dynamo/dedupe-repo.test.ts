import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../../app/adapters/dynamo/client';
import { DedupeRepository } from '../../../../app/adapters/dynamo/dedupe-repo';
import { tableNames } from '../../../../app/adapters/dynamo/tables';
import { type LocalDynamo, startLocalDynamo } from '../../../../dev/local-dynamo';

/** Delivery claims on dynalite, with the repository's clock injected (any instant works). */
let dynamo: LocalDynamo;
let repo: DedupeRepository;
let now = new Date('2031-03-30T00:59:58Z');
const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
const options = { inProgressSeconds: 10, ttlSeconds: 3600 };

beforeAll(async () => {
  dynamo = await startLocalDynamo({ prefix: 'dd-' });
  repo = new DedupeRepository(
    createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint }),
    tableNames('dd-').dedupe,
    () => now,
  );
});
afterAll(async () => {
  await dynamo.close();
});

describe('DedupeRepository deliveries', () => {
  it('claims once; in progress until its own expiry, then a retry takes it over', async () => {
    const first = await repo.claimDelivery('event:Ev1', options);
    expect(first.status).toBe('claimed');
    expect(await repo.claimDelivery('event:Ev1', options)).toEqual({ status: 'in_progress' });
    later(10);
    expect(await repo.claimDelivery('event:Ev1', options)).toEqual({ status: 'in_progress' });
    later(1);
    const retry = await repo.claimDelivery('event:Ev1', options);
    expect(retry.status).toBe('claimed');
  });

  it('a completed delivery is a duplicate until its TTL, then free again', async () => {
    const claim = await repo.claimDelivery('event:Ev2', options);
    if (claim.status !== 'claimed') throw new Error('expected a claim');
    expect(await repo.complete('event:Ev2', claim.token, 3600)).toBe(true);
    later(3600);
    expect(await repo.claimDelivery('event:Ev2', options)).toEqual({ status: 'completed' });
    later(1);
    expect((await repo.claimDelivery('event:Ev2', options)).status).toBe('claimed');
  });

  it('only the claim’s holder completes or releases it', async () => {
    const stale = await repo.claimDelivery('sig:v0=abc', options);
    later(11);
    const current = await repo.claimDelivery('sig:v0=abc', options);
    if (stale.status !== 'claimed' || current.status !== 'claimed') throw new Error('expected claims');
    expect(await repo.complete('sig:v0=abc', stale.token, 3600)).toBe(false);
    await repo.release('sig:v0=abc', stale.token);
    expect(await repo.claimDelivery('sig:v0=abc', options)).toEqual({ status: 'in_progress' });
    await repo.release('sig:v0=abc', current.token);
    expect((await repo.claimDelivery('sig:v0=abc', options)).status).toBe('claimed');
  });

  it('counts a key written by plain `claim` (no status) as completed, not as a lapsed claim', async () => {
    expect(await repo.claim('sig:v0=legacy', 3600)).toBe(true);
    later(60);
    expect(await repo.claimDelivery('sig:v0=legacy', options)).toEqual({ status: 'completed' });
  });
});
