import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Campaign } from '../app/domain/model';
import type { Runtime } from '../handlers/runtime';

/**
 * Demo data for the bench: dev/seed.ts's portfolio when it exists (the same data `npm start`
 * shows), else a small stand-in portfolio written here, so the bench runs at any stage.
 */
export async function seedBenchData(runtime: Runtime): Promise<{ source: string; campaigns: Campaign[] }> {
  const { repositories, clock } = runtime;
  if (existsSync(join(__dirname, '..', 'dev', 'seed.ts'))) {
    const seed = (await import('../dev/seed')) as {
      seedDemoData: (s: Runtime['repositories'], o: { clock: () => Date }) => Promise<unknown>;
    };
    await seed.seedDemoData(repositories, { clock });
    return { source: 'dev/seed.ts', campaigns: await repositories.campaigns.listAll() };
  }
  const now = clock().toISOString();
  const statuses = ['PLANNED', 'IN_PROGRESS', 'LAUNCHED', 'COMPLETED', 'ON_HOLD', 'DRAFT'] as const;
  for (let i = 0; i < 30; i += 1) {
    const campaign: Campaign = {
      campaignId: `cmp-bench-${i}`,
      name: `Bench Campaign ${i} ${['Spring', 'Summer', 'Autumn'][i % 3]}`,
      type: 'standard',
      tier: 2,
      status: statuses[i % statuses.length] ?? 'PLANNED',
      ownerSlackId: 'U0MAYA',
      teamId: 'team-bench',
      budgetCents: 500_000 + i * 100_000,
      launchDate: '2027-01-15',
      channels: ['email'],
      createdBy: 'U0MAYA',
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await repositories.campaigns.create(campaign);
    for (let t = 0; t < 6; t += 1) {
      await repositories.tasks.create({
        campaignId: campaign.campaignId,
        taskId: `task-${t}`,
        teamId: campaign.teamId,
        name: `Task ${t}`,
        status: t < 2 ? 'DONE' : 'IN_PROGRESS',
        milestone: t === 4,
        dependsOn: [],
        workSystem: 'workfront',
        dueDate: '2027-01-10',
        updatedAt: now,
        version: 1,
      });
    }
  }
  return { source: 'bench fallback', campaigns: await repositories.campaigns.listAll() };
}
