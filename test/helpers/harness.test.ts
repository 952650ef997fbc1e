import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness';
import { slashCommandBody } from './payloads';

describe('test harness', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('answers `/mcc help` with the help blocks in the ack', async () => {
    // Act
    const response = await harness.command('help');

    // Assess
    expect(response.status).toBe(200);
    const body = response.json<{ response_type: string; text: string; blocks: { type: string }[] }>();
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('/mcc');
    expect(body.blocks.some((block) => block.type === 'header')).toBe(true);
    // Help is answered in the ack: no Web API call, no response_url post.
    expect(harness.standin.calls()).toEqual([]);
    expect(harness.standin.responses(response.responseUrl)).toEqual([]);
  });

  it('runs a byte-identical replay of a signed request only once', async () => {
    // Prepare
    const rawBody = slashCommandBody({ text: 'help', response_url: harness.standin.responseUrl() });
    const timestamp = Math.floor(Date.now() / 1000);

    // Act
    const first = await harness.postSlack(rawBody, 'application/x-www-form-urlencoded', { timestamp });
    const replay = await harness.postSlack(rawBody, 'application/x-www-form-urlencoded', { timestamp });

    // Assess: the first gets help; the replay is acknowledged with an empty body and no listener runs.
    expect(first.status).toBe(200);
    expect(first.json<{ blocks: unknown[] }>().blocks.length).toBeGreaterThan(0);
    expect(replay.status).toBe(200);
    expect(replay.text).toBe('');
    expect(harness.standin.calls()).toEqual([]);
  });

  it('rejects a bad signature with 401 and runs nothing', async () => {
    // Prepare
    const rawBody = slashCommandBody({ text: 'help' });

    // Act
    const response = await harness.postSlack(rawBody, 'application/x-www-form-urlencoded', {
      signature: `v0=${'0'.repeat(64)}`,
    });

    // Assess
    expect(response.status).toBe(401);
    expect(response.text).not.toContain('blocks');
  });

  it('rejects a stale timestamp with 401', async () => {
    // Prepare: signed correctly, but ten minutes ago.
    const rawBody = slashCommandBody({ text: 'help' });

    // Act
    const response = await harness.postSlack(rawBody, 'application/x-www-form-urlencoded', {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });

    // Assess
    expect(response.status).toBe(401);
  });

  it('acknowledges a signed app_mention event with 200', async () => {
    // Act
    const response = await harness.event({ text: '<@U0LOCALBOT> hi' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.eventId).toMatch(/^Ev/);
  });
});

describe('test harness with seed', () => {
  it('seeds the demo portfolio with the harness clock', async () => {
    // Prepare
    const harness = await startHarness({ seed: true, clock: () => new Date('2026-11-22T12:00:00Z') });

    try {
      // Act
      const teams = await harness.runtime.repositories.teams.list();

      // Assess
      expect(teams.map((team) => team.teamId).sort()).toEqual([
        'team-brand',
        'team-events',
        'team-growth',
        'team-partners',
      ]);
    } finally {
      await harness.close();
    }
  });
});

describe('test harness with a clock in the past', () => {
  const PAST = new Date('2026-03-02T15:00:00Z');
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ seed: true, clock: () => PAST });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('accepts signed requests (signatures use the wall clock) and answers from the past clock', async () => {
    // Act
    const response = await harness.command('status spring launch');
    await harness.idle();

    // Assess: the request passed both timestamp checks and the answer is about the seeded portfolio,
    // dated from the harness clock (Spring Launch launches five days after "today").
    expect(response.status).toBe(200);
    // `/mcc status` answers in the ack body itself.
    const posted = response.text;
    expect(posted).toContain('Spring Launch');
    expect(posted).toMatch(/2026-03-07|Mar(ch)? 7/);
  });

  it('still rejects a timestamp more than five minutes ahead of the wall clock', async () => {
    // Prepare
    const rawBody = slashCommandBody({ text: 'help' });

    // Act
    const response = await harness.postSlack(rawBody, 'application/x-www-form-urlencoded', {
      timestamp: Math.floor(Date.now() / 1000) + 600,
    });

    // Assess
    expect(response.status).toBe(401);
  });
});
