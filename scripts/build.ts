import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { PNG_ASSETS } from '../app/adapters/png-rasterizer';

/**
 * `npm run build`: one esbuild bundle per Lambda entry point, `dist/<name>/index.js` with an
 * external source map and the esbuild metafile (`dist/<name>/meta.json`, for
 * https://esbuild.github.io/analyze/). The CDK stack points `NodejsFunction`/`Code.fromAsset` at
 * these folders; nothing else is deployed.
 *
 *   npm run build                    all three entries; a missing one fails the build
 *   npm run build -- http            only the named entries
 *   npm run build -- --allow-missing build what exists and warn about the rest (while a helper
 *                                    is still writing an entry)
 *   npm run build -- http --out DIR  one entry as above, then its index.js, map and licences copied
 *                                    into DIR: what the CDK stack deploys as the function's code
 */

const ROOT = resolve(__dirname, '..');

/** Every Lambda entry point the stack deploys (DESIGN.md contracts). */
export const ENTRIES = {
  http: 'handlers/http.ts',
  worker: 'handlers/worker.ts',
  scheduled: 'handlers/scheduled.ts',
} as const;
export type EntryName = keyof typeof ENTRIES;

/**
 * The AWS SDK is bundled, not left to the runtime's copy. Measured on this code base
 * (bench/README.md): bundling the SDK adds ~0.5 MB minified to the http bundle but loads one
 * file instead of ~300 modules from the runtime's node_modules, so cold init is no slower; and
 * the runtime's SDK version is whatever AWS last shipped (it changes without a deploy and can lag
 * ours), while `lib-dynamodb` marshalling options and the Scheduler/Bedrock clients are pinned
 * here at the versions the tests ran against. Set `externalAwsSdk` to compare.
 */
export interface LambdaBuildOptions {
  entry: string;
  outdir: string;
  externalAwsSdk?: boolean;
  /** Replace Bolt's never-used receivers' dependencies with stubs (default true). */
  stubs?: boolean;
  /**
   * 'lambda' (default): the SDK clients' default credential chain is replaced by the two sources a
   * Lambda function has (see `lambdaCredentialsPlugin`); 'default': the SDK's full chain.
   */
  credentials?: 'lambda' | 'default';
}

/**
 * Modules Bolt requires at load time but that a Lambda behind API Gateway never runs: Socket Mode
 * (its WebSocket client pulls in undici, ~0.55 MB) and the Express receiver (express,
 * body-parser, mime-db…), plus iconv-lite, which raw-body only uses to decode a body when asked
 * for a text encoding (Bolt asks for bytes). Each is replaced by a stub that throws a clear error
 * if anything ever calls it, and only when imported from the packages named here.
 */
const LAMBDA_STUBS: { module: string; importers: RegExp }[] = [
  { module: '@slack/socket-mode', importers: /node_modules\/@slack\/bolt\// },
  { module: 'express', importers: /node_modules\/@slack\/bolt\// },
  { module: 'iconv-lite', importers: /node_modules\/(raw-body|body-parser)\// },
];

function lambdaStubsPlugin(): Plugin {
  return {
    name: 'lambda-stubs',
    setup(b) {
      for (const stub of LAMBDA_STUBS) {
        const filter = new RegExp(`^${stub.module.replace(/[/.-]/g, (c) => `\\${c}`)}$`);
        b.onResolve({ filter }, (args) =>
          stub.importers.test(args.importer) ? { path: stub.module, namespace: 'lambda-stub' } : undefined,
        );
      }
      b.onLoad({ filter: /.*/, namespace: 'lambda-stub' }, (args) => ({
        loader: 'js',
        contents: `const fail = () => { throw new Error(${JSON.stringify(
          `${args.path} is left out of Lambda bundles (scripts/build.ts LAMBDA_STUBS)`,
        )}); };
module.exports = new Proxy(fail, {
  get: (_t, key) => (key === '__esModule' || key === 'default' || typeof key === 'symbol' ? undefined : fail),
  apply: fail,
  construct: fail,
});`,
      }));
    },
  };
}

/**
 * Every SDK client's runtime config imports `@aws-sdk/credential-provider-node`'s `defaultProvider`:
 * environment, SSO, INI profiles, credential_process, web identity, container and instance
 * metadata, with the STS/SSO clients those need (~0.1 MB minified, all parsed at cold start). A
 * Lambda function gets its role's credentials from two of them only: the environment
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, set by the runtime) and, with
 * SnapStart, the container endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI). The Lambda bundles get a
 * `defaultProvider` with just those; with neither present it fails with a message naming this
 * build step (never a silent fallback). The SDK still memoises and refreshes what it returns.
 */
function lambdaCredentialsPlugin(): Plugin {
  const contents = `import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { chain, CredentialsProviderError } from '@smithy/core/config';
export const defaultProvider = (init = {}) => {
  const fromContainer = () =>
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI || process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
      ? fromHttp(init)
      : async () => {
          throw new CredentialsProviderError(
            'No AWS credentials in the environment: this Lambda bundle reads only the variables the Lambda runtime sets (scripts/build.ts lambdaCredentialsPlugin)',
            { tryNextLink: false, logger: init.logger },
          );
        };
  return (props) => chain(fromEnv(init), fromContainer())(props);
};
`;
  return {
    name: 'lambda-credentials',
    setup(b) {
      b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) =>
        args.importer.includes('node_modules/@aws-sdk/')
          ? { path: 'lambda-default-provider', namespace: 'lambda-credentials' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'lambda-credentials' }, () => ({
        contents,
        loader: 'js',
        // Resolved from the package it replaces, which depends on all three.
        resolveDir: join(ROOT, 'node_modules', '@aws-sdk', 'credential-provider-node'),
      }));
    },
  };
}

/**
 * `import { z } from 'zod'` → `import * as z from 'zod'` in our own sources. Same bindings (zod's
 * index re-exports its namespace both ways), but esbuild cannot tree-shake a namespace re-exported
 * as a value, so the named form bundles all of zod, every locale and the JSON-schema tooling
 * (~450 KB minified) where the namespace import keeps only what is used (~90 KB). zod's docs
 * recommend the namespace form for v4; until the sources use it, the build rewrites it.
 */
function zodNamespacePlugin(): Plugin {
  return {
    name: 'zod-namespace-import',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes('node_modules')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        const rewritten = source.replace(
          /^import \{ z \} from (['"])zod\1;?$/gm,
          "import * as z from 'zod';",
        );
        return { contents: rewritten, loader: 'ts' };
      });
    },
  };
}

/** The esbuild settings every Lambda bundle uses (the bench builds its reference app with them too). */
export function lambdaBuildOptions(options: LambdaBuildOptions): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: ROOT,
    entryPoints: [options.entry],
    outfile: join(options.outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    // Error classes name themselves from `new.target.name` and the logs key on `error.name`.
    keepNames: true,
    treeShaking: true,
    // The ESM builds of the AWS SDK and friends tree-shake better than their CJS `main`.
    mainFields: ['module', 'main'],
    // A separate .map file plus the sourceMappingURL comment, which Node's --enable-source-maps
    // (set on the functions) needs to find it; without sources inside, to keep the map small.
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'external',
    metafile: true,
    logLevel: 'warning',
    external: options.externalAwsSdk ? ['@aws-sdk/*', '@smithy/*'] : [],
    plugins: [
      zodNamespacePlugin(),
      ...(options.stubs === false ? [] : [lambdaStubsPlugin()]),
      ...(options.credentials === 'default' ? [] : [lambdaCredentialsPlugin()]),
    ],
  };
}

/** Modules that must never reach a Lambda bundle: local-only code, the CDK app and dev dependencies. */
function forbiddenInputs(metafile: Metafile): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const devPackages = Object.keys(pkg.devDependencies ?? {}).filter((name) => !name.startsWith('@types/'));
  return Object.keys(metafile.inputs).filter(
    (input) =>
      input.startsWith('dev/') ||
      input.startsWith('test/') ||
      input.startsWith('infra/') ||
      input.includes('dynalite') ||
      devPackages.some((name) => input.includes(`node_modules/${name}/`)),
  );
}

export interface BundleReport {
  name: string;
  outfile: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  inputs: number;
  /** Files shipped beside `index.js` in `assets/` (bytes each), read at run time. */
  assets: { file: string; bytes: number }[];
  /** Largest contributors (bytes in the output) by package, for the size table. */
  topPackages: { name: string; bytes: number }[];
}

/** Builds one bundle into `outdir`, checks its inputs and writes `meta.json`. */
export async function buildBundle(name: string, options: LambdaBuildOptions): Promise<BundleReport> {
  rmSync(options.outdir, { recursive: true, force: true });
  mkdirSync(options.outdir, { recursive: true });
  const result = await build(lambdaBuildOptions(options));
  const forbidden = forbiddenInputs(result.metafile);
  if (forbidden.length > 0) {
    throw new Error(
      `${name}: the bundle pulls in dev-only modules:\n  ${forbidden.slice(0, 20).join('\n  ')}`,
    );
  }
  writeFileSync(join(options.outdir, 'meta.json'), JSON.stringify(result.metafile));
  const assets = copyRuntimeAssets(result.metafile, options.outdir);
  const outfile = join(options.outdir, 'index.js');
  const code = readFileSync(outfile);
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  const byPackage = new Map<string, number>();
  for (const [input, info] of Object.entries(output?.inputs ?? {})) {
    const pkgName = packageOf(input);
    byPackage.set(pkgName, (byPackage.get(pkgName) ?? 0) + info.bytesInOutput);
  }
  return {
    name,
    outfile: relative(ROOT, outfile),
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: statSync(`${outfile}.map`).size,
    inputs: Object.keys(result.metafile.inputs).length,
    assets,
    topPackages: [...byPackage.entries()]
      .map(([pkgName, bytes]) => ({ name: pkgName, bytes }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 6),
  };
}

/**
 * A bundle that contains the PNG rasteriser gets its wasm and font as files in `assets/` (read on
 * first use by `app/adapters/png-rasterizer.ts`), rather than inlined as base64 that every cold
 * start would parse. Other bundles get none.
 */
function copyRuntimeAssets(metafile: Metafile, outdir: string): { file: string; bytes: number }[] {
  const needsPng = Object.keys(metafile.inputs).some((input) =>
    input.includes('node_modules/@resvg/resvg-wasm/'),
  );
  if (!needsPng) return [];
  mkdirSync(join(outdir, 'assets'), { recursive: true });
  return Object.values(PNG_ASSETS).map((asset) => {
    const target = join(outdir, 'assets', asset.file);
    copyFileSync(require.resolve(asset.source), target);
    return { file: `assets/${asset.file}`, bytes: statSync(target).size };
  });
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match?.[1])
    return match[1].startsWith('@aws-sdk/') || match[1].startsWith('@smithy/') ? 'aws-sdk+smithy' : match[1];
  return '(our code)';
}

/** Builds the named entries (all by default). */
export async function buildAll(
  names: string[] = Object.keys(ENTRIES),
  options: {
    allowMissing?: boolean;
    distDir?: string;
    externalAwsSdk?: boolean;
    /** Entry name → source path; defaults to ENTRIES. */
    entries?: Record<string, string>;
  } = {},
): Promise<BundleReport[]> {
  const entries: Record<string, string> = options.entries ?? ENTRIES;
  const distDir = options.distDir ?? join(ROOT, 'dist');
  const pathOf = (name: string) => entries[name] ?? `(unknown entry ${name})`;
  const missing = names.filter((name) => !entries[name] || !existsSync(join(ROOT, pathOf(name))));
  if (missing.length > 0 && !options.allowMissing) {
    throw new Error(
      `Missing Lambda entry point(s): ${missing.map((name) => `${pathOf(name)} (${name})`).join(', ')}. ` +
        'Every entry in DESIGN.md must exist; pass --allow-missing to build the others meanwhile.',
    );
  }
  for (const name of missing) console.warn(`warning: skipping ${name}: ${pathOf(name)} does not exist yet`);
  const reports: BundleReport[] = [];
  for (const name of names.filter((n) => !missing.includes(n))) {
    reports.push(
      await buildBundle(name, {
        entry: pathOf(name),
        outdir: join(distDir, name),
        externalAwsSdk: options.externalAwsSdk === true,
      }),
    );
  }
  return reports;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function sizeTable(reports: BundleReport[]): string {
  const rows = [['bundle', 'index.js', 'gzip', 'map', 'inputs', 'largest parts']];
  for (const r of reports) {
    rows.push([
      r.outfile,
      kb(r.bytes),
      kb(r.gzipBytes),
      kb(r.mapBytes),
      String(r.inputs),
      r.topPackages.map((p) => `${p.name} ${kb(p.bytes)}`).join(', '),
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  if (outIndex >= 0) {
    const outdir = args[outIndex + 1];
    const names = args.filter((arg, i) => !arg.startsWith('--') && i !== outIndex + 1);
    const name = names[0];
    if (!outdir || names.length !== 1 || !name || !(name in ENTRIES))
      throw new Error(
        `--out needs one entry and a directory: build <${Object.keys(ENTRIES).join('|')}> --out DIR`,
      );
    // Built where `npm run build` puts it, then copied: the source map's paths are relative to the
    // output directory, so building in place keeps them (and so the asset's hash) the same whatever
    // directory CDK asks for and wherever the repository is checked out.
    const staged = join(ROOT, 'dist', name);
    await buildBundle(name, { entry: ENTRIES[name as EntryName], outdir: staged });
    mkdirSync(resolve(outdir), { recursive: true });
    for (const file of ['index.js', 'index.js.map', 'index.js.LEGAL.txt'])
      if (existsSync(join(staged, file))) copyFileSync(join(staged, file), join(resolve(outdir), file));
    // Files the bundle reads at run time (the scheduled function's wasm and font), beside index.js.
    if (existsSync(join(staged, 'assets'))) {
      cpSync(join(staged, 'assets'), join(resolve(outdir), 'assets'), { recursive: true });
    }
    return;
  }
  const allowMissing = args.includes('--allow-missing');
  const externalAwsSdk = args.includes('--external-aws-sdk');
  const named = args.filter((arg) => !arg.startsWith('--'));
  const unknown = named.filter((name) => !(name in ENTRIES));
  if (unknown.length > 0)
    throw new Error(`Unknown entry: ${unknown.join(', ')} (known: ${Object.keys(ENTRIES).join(', ')})`);
  const started = Date.now();
  const reports = await buildAll(named.length > 0 ? named : undefined, {
    allowMissing,
    externalAwsSdk,
  });
  console.log(sizeTable(reports));
  console.log(
    `built ${reports.length} bundle(s) into ${relative(process.cwd(), join(ROOT, 'dist')) || '.'}/ in ${Date.now() - started} ms`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
