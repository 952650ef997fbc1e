import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetStaging } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCommandCenterApp } from '../../infra/stacks/command-center-app';
import { CDK_JSON_CONTEXT } from './synth';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A full synth as `cdk synth -c env=prod` does it: real bundles (local esbuild), CloudFormation schema checks, cdk-nag. */
function fullSynth(): { dir: string; template: string; assets: string[] } {
  // CDK caches staged assets per process; clear it so the second synth really bundles again.
  AssetStaging.clearAssetHashCache();
  const dir = mkdtempSync(join(tmpdir(), 'mcc-synth-'));
  dirs.push(dir);
  const { app } = buildCommandCenterApp({ context: { ...CDK_JSON_CONTEXT, env: 'prod' }, outdir: dir });
  app.synth();
  return {
    dir,
    template: readFileSync(join(dir, 'CommandCenter-prod.template.json'), 'utf8'),
    assets: readdirSync(dir)
      .filter((name) => name.startsWith('asset.'))
      .sort(),
  };
}

describe('cdk synth', () => {
  it('is offline and deterministic: two synths give identical templates and identical bundles', () => {
    const first = fullSynth();
    const second = fullSynth();
    expect(second.template).toBe(first.template);
    expect(first.assets).toHaveLength(3);
    expect(second.assets).toEqual(first.assets);
    // No timestamps or version strings that change between runs.
    expect(first.template).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:\d\d/);
    expect(first.template).not.toContain('CDKMetadata');
    const report = JSON.parse(readFileSync(join(first.dir, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);

    // Each function's code is its own bundle, and the CDK app is in none of them. The scheduled
    // function's also carries the digest picture's wasm and font (read at run time from assets/).
    for (const asset of first.assets) {
      const map = JSON.parse(readFileSync(join(first.dir, asset, 'index.js.map'), 'utf8')) as {
        sources: string[];
      };
      const scheduled = map.sources.some((s) => s.endsWith('handlers/scheduled.ts'));
      expect(readdirSync(join(first.dir, asset)).sort()).toEqual([
        ...(scheduled ? ['assets'] : []),
        'index.js',
        'index.js.LEGAL.txt',
        'index.js.map',
      ]);
      if (scheduled) {
        expect(readdirSync(join(first.dir, asset, 'assets')).sort()).toEqual([
          'Inter-Regular.ttf',
          'resvg.wasm',
        ]);
      }
      // Paths relative to the repository (dist/<entry>/), never to where the synth ran.
      // (`lambda-stub:` and `lambda-credentials:` are the build's own plugin modules.)
      const files = map.sources.filter((s) => !/^lambda-[a-z]+:/.test(s));
      expect(files.filter((s) => !s.startsWith('../../') || s.startsWith('../../../'))).toEqual([]);
      const sources = files.map((s) => s.slice('../../'.length));
      expect(sources.some((s) => s.startsWith('handlers/'))).toBe(true);
      expect(
        sources.filter((s) => /^infra\/|node_modules\/(aws-cdk-lib|aws-cdk|constructs|cdk-nag)\//.test(s)),
      ).toEqual([]);
    }
    const entries = first.assets.map((asset) => {
      const map = JSON.parse(readFileSync(join(first.dir, asset, 'index.js.map'), 'utf8')) as {
        sources: string[];
      };
      return map.sources
        .find((s) => /handlers\/(http|worker|scheduled)\.ts$/.test(s))
        ?.replace(/^.*handlers\//, '');
    });
    expect(entries.sort()).toEqual(['http.ts', 'scheduled.ts', 'worker.ts']);
  }, 120_000);
});
