import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CampaignRepository } from '../../app/adapters/dynamo/campaign-repo';
import { createDocumentClient } from '../../app/adapters/dynamo/client';
import { tableNames } from '../../app/adapters/dynamo/tables';
import { TeamRepository } from '../../app/adapters/dynamo/team-repo';
import { WorkflowStateRepository } from '../../app/adapters/dynamo/workflow-state-repo';
import { addDays, todayIn } from '../../app/domain/calendar';
import { latestOccurrence } from '../../app/domain/schedule-cron';
import { DigestStore } from '../../app/services/digest/store';
import { digestCron } from '../../app/services/digest/subscriptions';
import { type LocalDynamo, startLocalDynamo } from '../../dev/local-dynamo';
import { type SlackStandIn, startSlackStandIn } from '../../dev/slack-standin';
import { type BundleReport, buildAll } from '../../scripts/build';
import { aCampaign, aTeam } from '../helpers/campaign-fixtures';

/**
 * The digest's picture lives in the scheduled bundle only: resvg's wasm and the font ship as files
 * beside it, the HTTP and worker bundles carry neither, and the built scheduled bundle — run from a
 * folder with no node_modules, as on Lambda — draws and uploads the picture.
 */
let distDir: string;
let reports: BundleReport[];
let dynamo: LocalDynamo;
let standin: SlackStandIn;
const PREFIX = 'build-digest-';

const inputsOf = (name: string): string[] => {
  const meta = JSON.parse(readFileSync(join(distDir, name, 'meta.json'), 'utf8')) as Metafile;
  const output = Object.values(meta.outputs).find((o) => o.entryPoint !== undefined);
  return Object.entries(output?.inputs ?? {})
    .filter(([, info]) => info.bytesInOutput > 0)
    .map(([input]) => input);
};

beforeAll(async () => {
  distDir = mkdtempSync(join(tmpdir(), 'mcc-build-digest-'));
  reports = await buildAll(['http', 'worker', 'scheduled'], { distDir });
  dynamo = await startLocalDynamo({ prefix: PREFIX });
  standin = await startSlackStandIn();
  standin.setChannels([{ id: 'C0BUILT', name: 'built' }]);
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await standin.close();
  await dynamo.close();
  rmSync(distDir, { recursive: true, force: true });
});

describe('the digest picture in the bundles', () => {
  it('ships the wasm and the font with the scheduled bundle only; HTTP and worker carry no rasteriser', () => {
    const byName = Object.fromEntries(reports.map((r) => [r.name, r]));
    expect(byName.scheduled?.assets.map((a) => a.file)).toEqual([
      'assets/resvg.wasm',
      'assets/Inter-Regular.ttf',
    ]);
    expect(byName.scheduled?.assets.every((a) => a.bytes > 100_000)).toBe(true);
    expect(byName.http?.assets).toEqual([]);
    expect(byName.worker?.assets).toEqual([]);
    for (const name of ['http', 'worker']) {
      expect(inputsOf(name).filter((input) => /resvg|png-rasterizer|expo-google-fonts/.test(input))).toEqual(
        [],
      );
    }
    expect(inputsOf('http').filter((input) => /blocks\/digest|app\/scheduled\//.test(input))).toEqual([]);
    expect(inputsOf('scheduled').some((input) => input.includes('@resvg/resvg-wasm'))).toBe(true);
  });

  it('the built scheduled bundle posts a digest and its picture from its own assets', async () => {
    // Prepare: data relative to the wall clock (the bundle's clock).
    const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    const tables = tableNames(PREFIX);
    const schedule = { time: '05:00', frequency: 'daily' as const, timeZone: 'UTC' };
    const due = latestOccurrence(digestCron(schedule), new Date());
    if (!due) throw new Error('a daily schedule always has a latest run');
    const today = todayIn('UTC', due);
    await new TeamRepository(db, tables.teams).create(aTeam({ teamId: 'team-b', slackChannelId: 'C0BUILT' }));
    await new CampaignRepository(db, tables.campaigns).create(
      aCampaign({
        campaignId: 'cmp-b',
        name: 'Bundled launch',
        teamId: 'team-b',
        launchDate: addDays(today, 1),
      }),
    );
    await new DigestStore(
      new WorkflowStateRepository(db, tables.workflowState),
      () => new Date(),
    ).putSubscription({
      channelId: 'C0BUILT',
      enabled: true,
      ...schedule,
      locale: 'en-US',
      whenEmpty: 'quiet_line',
      scheduleName: 'digest-C0BUILT',
      createdBy: 'U0MAYA',
      updatedBy: 'U0MAYA',
      createdAt: '2020-01-01T00:00:00.000Z',
      updatedAt: '2020-01-01T00:00:00.000Z',
    });
    db.destroy();
    vi.stubEnv('SLACK_SIGNING_SECRET', 'build-digest-secret');
    vi.stubEnv('DYNAMODB_ENDPOINT', dynamo.endpoint);
    vi.stubEnv('TABLE_PREFIX', PREFIX);
    vi.stubEnv('SLACK_API_URL', standin.apiUrl);
    vi.stubEnv('LOG_LEVEL', 'error');
    const { handler } = createRequire(__filename)(join(distDir, 'scheduled', 'index.js')) as {
      handler: (event: unknown, context: { awsRequestId: string }) => Promise<unknown>;
    };
    // Act
    await handler(
      { kind: 'digest.run', channelId: 'C0BUILT', scheduledTime: due.toISOString() },
      { awsRequestId: 'req-built-1' },
    );
    // Assess
    const [file] = standin.files();
    expect(file?.bytes?.subarray(1, 4).toString()).toBe('PNG');
    expect(file?.alt_txt).toContain('Bundled launch');
  }, 60_000);
});
