import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AppDeps } from '../app/deps';
import type { Repositories, Services } from '../app/services';

/**
 * The layering rules (DESIGN.md "Layers, one direction"; STYLE.md), checked over the real import
 * graph of every source file. A failure names the rule and the offending import.
 *
 *   handlers → app (listeners, routes, jobs, scheduled, middleware, http, outbound)
 *            → services (domain logic) → adapters (DynamoDB, Slack, Bedrock, Scheduler, Workfront, Asana)
 *
 * Layers, by folder:
 * - core      `app/config.ts`, `app/errors.ts`, `app/logger.ts`, `app/ids.ts`, `app/metrics.ts`,
 *             `app/timeout.ts`: imported by everyone.
 * - domain    `app/domain/`: records, rules and the types shared by services and renderers; pure.
 * - blocks    `blocks/`: pure renderers (data → Block Kit + fallback text). No I/O, no services:
 *             what they render comes in as domain types.
 * - adapters  `app/adapters/`: the outside world (DynamoDB repositories, the Slack Web API client,
 *             Bedrock, Scheduler, Lambda, Workfront, Asana). They render nothing.
 * - services  `app/services/`: the domain. No Bolt, no Block Kit, no Web API client: Slack is reached
 *             only through the ports the composition root (`app/services/index.ts`,
 *             `service-deps.ts`) wires to adapters.
 * - app       `app/listeners/`, `app/routes/`, `app/jobs/`, `app/scheduled/`, `app/middleware/`,
 *             `app/http/`, `app/outbound/`, `app/create-app.ts`, `app/deps.ts`: the Slack-facing side.
 *             Renders with blocks/, talks to Slack, and reaches data only through services (no
 *             repository, no AWS SDK). `app/outbound/` holds the Slack implementations of the services'
 *             outbound ports (approval messages, announcements, agent replies): rendered here, so
 *             services stay free of Block Kit and adapters free of rendering.
 * - handlers  `handlers/`: Lambda entry points and `npm start`; they compose everything.
 * - dev       `dev/`: the local stack (stand-ins, dynalite, demo data); uses services and adapters.
 * - scripts   `scripts/`: build and try; may use handlers and dev.
 * - bench     `bench/`: measures the whole thing, test helpers included; nothing imports it.
 * - infra     `infra/`: the CDK app; reads definitions (tables, metrics, the agent function catalogue,
 *             job timing) from core, domain, adapters and services, and bundles with scripts/build.ts.
 * - test      `test/`: anything; nothing outside bench imports it.
 *
 * Beyond the folder rules: only `handlers/local.ts` imports dev/ (no Lambda bundle carries the local
 * stack); only the services' composition root names the Slack adapter; and there is no import cycle.
 * What the type system enforces instead: listeners, routes, jobs and schedules get `AppDeps`, whose
 * `services` hold no repository (repositories live in `Runtime.repositories`, for composition only).
 */

type Layer =
  | 'core'
  | 'domain'
  | 'blocks'
  | 'adapters'
  | 'services'
  | 'app'
  | 'handlers'
  | 'dev'
  | 'scripts'
  | 'bench'
  | 'infra'
  | 'test';

const CORE = new Set([
  'app/config.ts',
  'app/errors.ts',
  'app/logger.ts',
  'app/ids.ts',
  'app/metrics.ts',
  'app/timeout.ts',
]);
const APP_FOLDERS = ['listeners', 'routes', 'jobs', 'scheduled', 'middleware', 'http', 'outbound'];
const APP_FILES = new Set(['app/create-app.ts', 'app/deps.ts']);

function layerOf(file: string): Layer | undefined {
  if (CORE.has(file)) return 'core';
  if (APP_FILES.has(file)) return 'app';
  const [top, second] = file.split('/');
  if (top === 'app') {
    if (second === 'domain') return 'domain';
    if (second === 'adapters') return 'adapters';
    if (second === 'services') return 'services';
    if (second && APP_FOLDERS.includes(second)) return 'app';
    return undefined;
  }
  const byFolder: Record<string, Layer> = {
    blocks: 'blocks',
    handlers: 'handlers',
    dev: 'dev',
    scripts: 'scripts',
    bench: 'bench',
    infra: 'infra',
    test: 'test',
  };
  return top ? byFolder[top] : undefined;
}

/** Which layers each layer may import (itself included where listed). */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  core: ['core'],
  domain: ['domain', 'core'],
  blocks: ['blocks', 'domain', 'core'],
  adapters: ['adapters', 'domain', 'core'],
  services: ['services', 'adapters', 'domain', 'core'],
  app: ['app', 'services', 'blocks', 'adapters', 'domain', 'core'],
  handlers: ['handlers', 'app', 'services', 'blocks', 'adapters', 'domain', 'core', 'dev'],
  dev: ['dev', 'services', 'adapters', 'domain', 'core'],
  scripts: ['scripts', 'handlers', 'dev', 'app', 'services', 'blocks', 'adapters', 'domain', 'core'],
  bench: [
    'bench',
    'test',
    'scripts',
    'handlers',
    'dev',
    'app',
    'services',
    'blocks',
    'adapters',
    'domain',
    'core',
  ],
  // The CDK app reads definitions (tables, metrics, the agent function catalogue, job timing) and
  // bundles the entries with scripts/build.ts; it is deployed from, never imported by, the app.
  infra: ['infra', 'scripts', 'services', 'adapters', 'domain', 'core'],
  test: [
    'test',
    'bench',
    'scripts',
    'handlers',
    'dev',
    'app',
    'services',
    'blocks',
    'adapters',
    'domain',
    'core',
    'infra',
  ],
};

/**
 * The services' composition root: it builds the services from adapters, so it alone names the
 * container's Web API client (to hand it to the Slack adapters behind the services' ports).
 */
const SERVICES_COMPOSITION = new Set(['app/services/index.ts', 'app/services/service-deps.ts']);

/** npm packages a layer may not import, and why. */
const FORBIDDEN_PACKAGES: Partial<Record<Layer, { pattern: RegExp; why: string }[]>> = {
  blocks: [
    {
      pattern: /^@slack\/(bolt|web-api)$|^@aws-sdk\/|^node:/,
      why: 'blocks are pure: no Bolt, Web API, AWS or Node I/O (pure libraries such as date-fns are fine)',
    },
  ],
  domain: [{ pattern: /^@slack\/(bolt|web-api)$|^@aws-sdk\/|^node:/, why: 'the domain does no I/O' }],
  services: [
    {
      pattern: /^@slack\//,
      why: 'services hold no Bolt, no Block Kit and no Web API client (Slack only through an adapter port)',
    },
  ],
  app: [{ pattern: /^@aws-sdk\//, why: 'the app layer reaches AWS only through services and adapters' }],
};

/** Imports that break the rule of their layer on purpose, each with its reason. Keep this short. */
const EXCEPTIONS: Record<string, string> = {
  'app/middleware/dedupe.ts -> app/adapters/dynamo/dedupe-repo.ts':
    'the delivery claim runs in front of every listener; it is transport bookkeeping, not domain data',
};

const ROOT = join(__dirname, '..');
const SOURCE_FOLDERS = ['app', 'blocks', 'handlers', 'dev', 'scripts', 'bench', 'infra', 'test'];
const SKIP = new Set(['node_modules', 'cdk.out', 'dist', 'slack-manifest-schema', 'coverage']);

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(join(ROOT, dir));
    } catch {
      return;
    }
    for (const name of entries) {
      if (SKIP.has(name)) continue;
      const path = `${dir}/${name}`;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (/\.(ts|cts|mts|cjs|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const folder of SOURCE_FOLDERS) walk(folder);
  return out;
}

function isFile(path: string): boolean {
  try {
    return statSync(join(ROOT, path)).isFile();
  } catch {
    return false;
  }
}

/** A relative specifier resolved the way the bundler does (extensionless, `index.ts`, `.js` → `.ts`). */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = normalize(join(dirname(from), specifier)).replace(/\\/g, '/');
  const candidates = [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')];
  return candidates.find(isFile);
}

interface Graph {
  files: string[];
  /** file → [resolved internal target] */
  internal: Map<string, string[]>;
  /** file → [npm package or node: specifier] */
  external: Map<string, string[]>;
  unresolved: string[];
}

function buildGraph(): Graph {
  const files = sourceFiles();
  const internal = new Map<string, string[]>();
  const external = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
    const targets: string[] = [];
    const packages: string[] = [];
    for (const { fileName } of info.importedFiles) {
      if (fileName.startsWith('.')) {
        const target = resolveRelative(file, fileName);
        if (target) targets.push(target);
        else unresolved.push(`${file} imports '${fileName}'`);
      } else {
        packages.push(fileName);
      }
    }
    internal.set(file, targets);
    external.set(file, packages);
  }
  return { files, internal, external, unresolved };
}

/** The rule an import from `file` to `target` breaks, if any. */
function internalViolation(file: string, target: string): string | undefined {
  const from = layerOf(file);
  const to = layerOf(target);
  if (!from) return `${file} is in no layer: add its folder to test/layers.test.ts`;
  if (!to) return `${target} is in no layer: add its folder to test/layers.test.ts`;
  if (!MAY_IMPORT[from].includes(to)) return `${from} may not import ${to}`;
  if (to === 'dev' && from === 'handlers' && file !== 'handlers/local.ts') {
    return 'only handlers/local.ts imports dev/ (Lambda bundles carry no local stack)';
  }
  if (from === 'app' && target.startsWith('app/adapters/dynamo/')) {
    return 'the app layer reaches repositories only through services';
  }
  if (from === 'services' && !SERVICES_COMPOSITION.has(file) && target === 'app/adapters/slack.ts') {
    return 'services reach Slack only through ports wired by app/services/index.ts';
  }
  return undefined;
}

function violations(graph: Graph): string[] {
  const found: string[] = [];
  for (const file of graph.files) {
    for (const target of graph.internal.get(file) ?? []) {
      const edge = `${file} -> ${target}`;
      const rule = internalViolation(file, target);
      if (rule && !EXCEPTIONS[edge]) found.push(`${edge}: ${rule}`);
    }
    const layer = layerOf(file);
    for (const pkg of graph.external.get(file) ?? []) {
      if (SERVICES_COMPOSITION.has(file)) continue;
      for (const { pattern, why } of (layer && FORBIDDEN_PACKAGES[layer]) ?? []) {
        if (pattern.test(pkg)) found.push(`${file} -> ${pkg}: ${why}`);
      }
    }
  }
  return found;
}

/** Every import cycle (strongly connected component of more than one file, or a self-import). */
function cycles(graph: Graph): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (node: string) => {
    order.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.internal.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, order.get(next) ?? 0));
      }
    }
    if (low.get(node) === order.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfImport = (graph.internal.get(node) ?? []).includes(node);
      if (component.length > 1 || selfImport) found.push(component.sort());
    }
  };
  for (const file of graph.files) if (!order.has(file)) visit(file);
  return found;
}

/** The imports inside a cycle, so the message says which lines to change. */
function cycleEdges(graph: Graph, component: string[]): string[] {
  const members = new Set(component);
  return component.flatMap((file) =>
    (graph.internal.get(file) ?? []).filter((target) => members.has(target)).map((t) => `${file} -> ${t}`),
  );
}

const graph = buildGraph();

describe('layers', () => {
  it('reads a real graph: every relative import resolves to a file', () => {
    expect(graph.files.length).toBeGreaterThan(100);
    expect(graph.unresolved).toEqual([]);
  });

  it('every import follows the layer rules (or is a listed exception)', () => {
    const found = violations(graph);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('lists no exception that no longer applies', () => {
    const stale = Object.keys(EXCEPTIONS).filter((edge) => {
      const [file = '', target = ''] = edge.split(' -> ');
      return !(graph.internal.get(file) ?? []).includes(target) || !internalViolation(file, target);
    });
    expect(stale, `remove from EXCEPTIONS in test/layers.test.ts:\n${stale.join('\n')}`).toEqual([]);
  });

  it('has no import cycle', () => {
    const described = cycles(graph).map((component) => cycleEdges(graph, component).join(', '));
    expect(described, described.join('\n')).toEqual([]);
  });

  it('gives listeners, routes, jobs and schedules no repository (checked by tsc: npm run typecheck)', () => {
    expectTypeOf<AppDeps>().not.toHaveProperty('repositories');
    expectTypeOf<Extract<keyof Services, keyof Repositories>>().toEqualTypeOf<never>();
  });

  it('catches a breach: the rules reject a block importing a service and a service importing blocks', () => {
    expect(internalViolation('blocks/x.ts', 'app/services/approvals.ts')).toBe(
      'blocks may not import services',
    );
    expect(internalViolation('app/services/x.ts', 'blocks/text.ts')).toBe('services may not import blocks');
    expect(internalViolation('app/adapters/x.ts', 'blocks/text.ts')).toBe('adapters may not import blocks');
    expect(internalViolation('app/listeners/x.ts', 'app/adapters/dynamo/campaign-repo.ts')).toBe(
      'the app layer reaches repositories only through services',
    );
    expect(internalViolation('handlers/http.ts', 'dev/seed.ts')).toMatch(/only handlers\/local\.ts/);
    expect(internalViolation('app/services/x.ts', 'app/adapters/slack.ts')).toMatch(/through ports/);
  });
});

/** STYLE.md: files stay under ~400 lines. Split by responsibility (data-only files by data set). */
const MAX_LINES = 400;

describe('file size', () => {
  it(`no source, dev, script, bench or test file passes ${MAX_LINES} lines`, () => {
    const long = graph.files
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long, long.join('\n')).toEqual([]);
  });
});
