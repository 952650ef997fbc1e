import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeamRepository } from '../../../../app/adapters/dynamo/team-repo';
import type { Team } from '../../../../app/domain/model';
import { ConflictError, ValidationError } from '../../../../app/errors';
import { startTestDb, type TestDb } from '../../../helpers/test-db';

let testDb: TestDb;
let repo: TeamRepository;

beforeAll(async () => {
  testDb = await startTestDb(`team-repo-${process.pid}-`);
  repo = new TeamRepository(testDb.db, testDb.tables.teams);
});
afterAll(async () => {
  await testDb.close();
});

const team = (overrides: Partial<Team> = {}): Team => ({
  teamId: 'team-brand',
  name: 'Brand & Content',
  slackChannelId: 'C0BRAND',
  timezone: 'America/New_York',
  version: 1,
  ...overrides,
});

describe('TeamRepository', () => {
  it('lists every team by name through all-index, without the storage-only entity attribute', async () => {
    await repo.create(team({ teamId: 'team-growth', name: 'Growth Marketing', slackChannelId: 'C0GROWTH' }));
    await repo.create(team());
    await repo.create(team({ teamId: 'team-events', name: 'Field & Events', slackChannelId: 'C0EVENTS' }));
    const sentBefore = testDb.commands.length;

    const teams = await repo.list();

    expect(teams.map((t) => t.name)).toEqual(['Brand & Content', 'Field & Events', 'Growth Marketing']);
    expect(teams.every((t) => !('entity' in t))).toBe(true);
    expect(testDb.commands.slice(sentBefore)).toEqual(['QueryCommand']);
    const raw = await testDb.db.send(
      new GetCommand({ TableName: testDb.tables.teams, Key: { teamId: 'team-brand' } }),
    );
    expect(raw.Item?.entity).toBe('team');
  });

  it('gets one team, and nothing for an unknown id', async () => {
    expect(await repo.get('team-brand')).toEqual(team());
    expect(await repo.get('team-nope')).toBeUndefined();
  });

  it('refuses a duplicate, a stale update and an invalid channel', async () => {
    const current = await repo.create(team({ teamId: 'team-x', name: 'X' }));
    await repo.update({ ...current, timezone: 'Europe/Paris' }, 1);

    await expect(repo.create(team({ teamId: 'team-x' }))).rejects.toBeInstanceOf(ConflictError);
    await expect(repo.update({ ...current, name: 'Stale' }, 1)).rejects.toBeInstanceOf(ConflictError);
    await expect(repo.create(team({ teamId: 'team-y', slackChannelId: '#general' }))).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await repo.get('team-y')).toBeUndefined();
    expect(await repo.get('team-x')).toMatchObject({ timezone: 'Europe/Paris', version: 2 });
  });
});
