import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../dev/local-dynamo';
import { type BundleReport, buildAll, lambdaBuildOptions } from '../../scripts/build';
import {
  FORM_UTF8,
  lambdaContext,
  signedSlackEvent,
  slashCommandForm,
  v2Event,
} from '../helpers/lambda-events';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

const SECRET = 'build-test-signing-secret';
let distDir: string;
let report: BundleReport;
let dynamo: LocalDynamo;
const savedEnv = { ...process.env };

beforeAll(async () => {
  distDir = mkdtempSync(join(tmpdir(), 'mcc-build-'));
  [report] = (await buildAll(['http'], { distDir })) as [BundleReport];
  dynamo = await startLocalDynamo({ prefix: 'build-test-' });
}, 60_000);

afterAll(async () => {
  await dynamo.close();
  rmSync(distDir, { recursive: true, force: true });
  process.env = savedEnv;
});

describe('scripts/build', () => {
  it('writes index.js, an external source map without sources, and the metafile', () => {
    const map = JSON.parse(readFileSync(join(distDir, 'http', 'index.js.map'), 'utf8'));
    expect(map.sourcesContent ?? null).toBeNull();
    expect(readFileSync(join(distDir, 'http', 'index.js'), 'utf8')).toContain(
      'sourceMappingURL=index.js.map',
    );
    const meta = JSON.parse(readFileSync(join(distDir, 'http', 'meta.json'), 'utf8')) as Metafile;
    const inputs = Object.keys(meta.inputs);
    expect(inputs).toContain('handlers/http.ts');
    expect(inputs.filter((input) => input.startsWith('dev/') || input.includes('dynalite'))).toEqual([]);
    // The Lambda stubs keep Bolt's unused receivers' dependencies out.
    expect(inputs.filter((input) => /node_modules\/(undici|express|iconv-lite)\//.test(input))).toEqual([]);
    // The zod rewrite lets tree-shaking drop the locales (parsed, but no bytes in the output).
    const output = Object.values(meta.outputs).find((o) => o.entryPoint === 'handlers/http.ts');
    const zodLocaleBytes = Object.entries(output?.inputs ?? {})
      .filter(([input]) => input.includes('node_modules/zod/v4/locales/'))
      .reduce((sum, [, info]) => sum + info.bytesInOutput, 0);
    expect(zodLocaleBytes).toBeLessThan(5_000);
    expect(report.bytes).toBeGreaterThan(0);
  });

  it('keeps what the HTTP function never runs out of its bundle: job handlers, the agent runner, work-system clients, the full credential chain', () => {
    // Prepare
    const meta = JSON.parse(readFileSync(join(distDir, 'http', 'meta.json'), 'utf8')) as Metafile;
    const output = Object.values(meta.outputs).find((o) => o.entryPoint === 'handlers/http.ts');
    const inOutput = Object.keys(output?.inputs ?? {});
    // Act
    const present = (pattern: RegExp) => inOutput.filter((input) => pattern.test(input));
    // Assess: the HTTP function only enqueues (jobs run in the worker).
    expect(
      present(/^app\/jobs\/(registry|campaign-provision|approvals|slack-post|scheduled-fire)\.ts$/),
    ).toEqual([]);
    expect(present(/^app\/scheduled\/registry\.ts$/)).toEqual([]);
    expect(present(/^app\/(adapters\/(workfront|asana)|services\/campaign-provisioning)\.ts$/)).toEqual([]);
    // The agent's listeners only enqueue: no turn runner, Bedrock client or Markdown converter.
    expect(present(/^app\/jobs\/agent\.ts$/)).toEqual([]);
    expect(
      present(
        /^app\/services\/agent\/(agent-service|stream|mrkdwn|action-executor|offline-agent|progress)\.ts$/,
      ),
    ).toEqual([]);
    expect(present(/^app\/adapters\/bedrock\.ts$/)).toEqual([]);
    expect(present(/node_modules\/(@aws-sdk\/client-bedrock-agent-runtime|marked)\//)).toEqual([]);
    // A Lambda has its credentials in the environment: no INI/SSO/process/web-identity providers
    // and none of the STS/SSO clients they bring.
    expect(
      present(
        /node_modules\/@aws-sdk\/(credential-provider-(ini|sso|process|web-identity|login|node)|nested-clients)\//,
      ),
    ).toEqual([]);
    expect(present(/node_modules\/@aws-sdk\/client-dynamodb\//).length).toBeGreaterThan(0);
  });

  it('gives bundled SDK clients the Lambda credential sources, failing loudly without them', async () => {
    // Prepare: a bundle of one SDK client with the Lambda build settings.
    const entryDir = mkdtempSync(join(tmpdir(), 'mcc-cred-'));
    const entry = join(entryDir, 'entry.ts');
    writeFileSync(
      entry,
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const credentials = () => new DynamoDBClient({ region: 'us-east-1' }).config.credentials();\n",
    );
    const result = await build({
      ...lambdaBuildOptions({ entry, outdir: join(entryDir, 'out') }),
      // The entry lives outside the repository; its packages are the repository's.
      nodePaths: [join(__dirname, '..', '..', 'node_modules')],
    });
    const { credentials } = createRequire(__filename)(join(entryDir, 'out', 'index.js')) as {
      credentials: () => Promise<{ accessKeyId: string; sessionToken?: string }>;
    };
    const saved = { ...process.env };
    try {
      // Act
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: 'AKIDLAMBDAROLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
      });
      const fromEnvironment = await credentials();
      for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
        delete process.env[key];
      const missing = credentials();
      // Assess
      expect(fromEnvironment).toMatchObject({ accessKeyId: 'AKIDLAMBDAROLE', sessionToken: 'token' });
      await expect(missing).rejects.toThrow(/lambdaCredentialsPlugin/);
      expect(
        Object.keys(result.metafile.inputs).filter((input) => input.includes('credential-provider-ini')),
      ).toEqual([]);
    } finally {
      process.env = saved;
      rmSync(entryDir, { recursive: true, force: true });
    }
  });

  it('fails naming a missing entry, and skips it with allowMissing', async () => {
    const entries = { http: 'handlers/http.ts', ghost: 'handlers/ghost.ts' };
    await expect(buildAll(['ghost'], { distDir, entries })).rejects.toThrow(/handlers\/ghost\.ts \(ghost\)/);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(buildAll(['ghost'], { distDir, entries, allowMissing: true })).resolves.toEqual([]);
  });

  it('produces a bundle that serves Slack and /healthz like the source', async () => {
    // Prepare: the bundle reads its configuration on the first call.
    Object.assign(process.env, {
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TABLE_PREFIX: 'build-test-',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      LOG_LEVEL: 'error',
    });
    const { handler } = createRequire(__filename)(join(distDir, 'http', 'index.js')) as { handler: Handler };
    // Act
    const help = await handler(
      signedSlackEvent(slashCommandForm('help'), { secret: SECRET, contentType: FORM_UTF8, base64: true }),
      lambdaContext(),
    );
    const forged = await handler(
      signedSlackEvent(slashCommandForm('help'), { secret: 'wrong', contentType: FORM_UTF8 }),
      lambdaContext(),
    );
    const health = await handler(v2Event({ method: 'GET', path: '/healthz' }), lambdaContext());
    // Assess
    expect(handler.length).toBe(2);
    expect(help).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((help as { body: string }).body).blocks.length).toBeGreaterThan(1);
    expect(forged).toMatchObject({ statusCode: 401 });
    expect(health).toMatchObject({ statusCode: 200 });
  });
});
