import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../../app/adapters/http-client';
import { WorkfrontClient } from '../../../app/adapters/workfront';
import { DownstreamError } from '../../../app/errors';
import { evaluatePolicy } from '../../../app/services/policy';
import { startWorkfrontStandIn, type WorkfrontStandIn } from '../../../dev/workfront-standin';
import { memoryLimiter } from '../../helpers/memory-rate-limit';

let standin: WorkfrontStandIn;
beforeEach(async () => {
  standin = await startWorkfrontStandIn();
});
afterEach(async () => {
  await standin.close();
});

const client = (overrides: Partial<ConstructorParameters<typeof WorkfrontClient>[0]> = {}) =>
  new WorkfrontClient({ baseUrl: standin.baseUrl, apiKey: standin.apiKey, ...overrides });

describe('WorkfrontClient', () => {
  it('creates a project and a task with a predecessor, in Workfront shapes', async () => {
    // Prepare
    const wf = client();
    // Act
    const project = await wf.createProject({
      name: 'Spring Launch',
      description: 'Campaign',
      plannedStartDate: '2026-12-01',
      plannedCompletionDate: '2027-01-15',
      status: 'CUR',
      extRefID: 'cmp-1',
    });
    const first = await wf.createTask({
      projectID: project.ID,
      name: 'Brief',
      plannedCompletionDate: '2026-12-05',
    });
    const second = await wf.createTask({
      projectID: project.ID,
      name: 'Creative',
      plannedCompletionDate: '2026-12-10',
      predecessorIDs: [first.ID],
    });
    // Assess
    expect(project).toMatchObject({ objCode: 'PROJ', name: 'Spring Launch' });
    expect(project.ID).toMatch(/^[0-9a-f]{32}$/);
    expect(second.objCode).toBe('TASK');
    expect(standin.tasks().find((t) => t.ID === second.ID)?.predecessors).toEqual([
      { predecessorID: first.ID, predecessorType: 'fs' },
    ]);
    const post = standin.calls().find((c) => c.method === 'POST');
    expect(post?.path).toBe('/attask/api/v15.0/PROJ');
    expect(JSON.parse(post?.query.updates ?? '{}')).toMatchObject({
      name: 'Spring Launch',
      extRefID: 'cmp-1',
    });
    expect(wf.projectUrl(project.ID)).toBe(`${standin.baseUrl}/project/${project.ID}`);
  });

  it('reads, updates and finds by reference', async () => {
    // Prepare
    const wf = client();
    const project = await wf.createProject({ name: 'P', extRefID: 'cmp-9' });
    const task = await wf.createTask({ projectID: project.ID, name: 'T', extRefID: 'cmp-9:t' });
    // Act
    const got = await wf.getProject(project.ID);
    const renamed = await wf.updateProject(project.ID, { name: 'P2' });
    const updatedTask = await wf.updateTask(task.ID, { plannedCompletionDate: '2027-02-01' });
    const found = await wf.findProjectsByRef('cmp-9');
    const tasks = await wf.listProjectTasks(project.ID);
    // Assess
    expect(got.ID).toBe(project.ID);
    expect(renamed.name).toBe('P2');
    expect(updatedTask.plannedCompletionDate).toBe('2027-02-01');
    expect(found.map((p) => p.ID)).toEqual([project.ID]);
    expect(tasks.map((t) => t.extRefID)).toEqual(['cmp-9:t']);
    expect(
      standin
        .calls()
        .filter((c) => c.method === 'PUT')
        .map((c) => c.path),
    ).toEqual([`/attask/api/v15.0/PROJ/${project.ID}`, `/attask/api/v15.0/TASK/${task.ID}`]);
  });

  it('tolerates a base URL pasted with the /attask/api/v… suffix', async () => {
    // Prepare
    const wf = client({ baseUrl: `${standin.baseUrl}/attask/api/v15.0/` });
    // Act
    const project = await wf.createProject({ name: 'Suffix' });
    // Assess
    expect(standin.calls()[0]?.path).toBe('/attask/api/v15.0/PROJ');
    expect(wf.projectUrl(project.ID)).toBe(`${standin.baseUrl}/project/${project.ID}`);
  });

  it('can send the key as a SessionID header instead of a parameter', async () => {
    // Prepare
    const wf = client({ authMode: 'sessionid-header' });
    // Act
    await wf.createProject({ name: 'Header auth' });
    // Assess
    const call = standin.calls()[0];
    expect(call?.headers.sessionid).toBe(standin.apiKey);
    expect(call?.query.apiKey).toBeUndefined();
  });

  it('maps a 4xx to a non-retryable DownstreamError with Workfront’s message', async () => {
    // Prepare
    const wf = client();
    // Act: a task without a project
    const error = await wf.createTask({ projectID: 'f'.repeat(32), name: 'Orphan' }).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(DownstreamError);
    expect(error).toMatchObject({ service: 'workfront', retryable: false, status: 422 });
    expect((error as Error).message).toContain('projectID is a required field');
  });

  it('maps a wrong API key to a non-retryable 401 and never puts the key in the message', async () => {
    // Prepare
    const wf = new WorkfrontClient({ baseUrl: standin.baseUrl, apiKey: 'wrong-key-123456' });
    // Act
    const error = await wf.createProject({ name: 'X' }).catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect((error as Error).message).toContain('You are not currently logged in');
    expect((error as Error).message).not.toContain('wrong-key-123456');
  });

  it('maps a 5xx to a retryable DownstreamError', async () => {
    // Prepare
    const wf = client();
    standin.failNext('POST /attask/api/v15.0/PROJ', { status: 503 });
    // Act
    const error = await wf.createProject({ name: 'X' }).catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ service: 'workfront', retryable: true, status: 503 });
    expect(standin.projects()).toHaveLength(0);
  });

  it('waits out a 429 Retry-After through the limiter, then succeeds', async () => {
    // Prepare: a limiter on a fake clock, so the wait is recorded, not slept
    let now = Date.now();
    const sleeps: number[] = [];
    const limiter = memoryLimiter({
      service: 'workfront',
      perMinute: 100,
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    const wf = client({ limiter, now: () => now });
    standin.failNext('POST', { status: 429, retryAfter: 2 });
    // Act
    const project = await wf.createProject({ name: 'After 429' }, { deadline: new Date(now + 30_000) });
    // Assess
    expect(project.name).toBe('After 429');
    expect(sleeps).toEqual([2_000]);
    expect(standin.calls().map((c) => c.status)).toEqual([429, 200]);
  });

  it('gives up on a 429 whose Retry-After is past the deadline (retryable, nothing created)', async () => {
    // Prepare
    let now = Date.now();
    const limiter = memoryLimiter({
      service: 'workfront',
      perMinute: 100,
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    });
    const wf = client({ limiter, now: () => now });
    standin.failNext('POST', { status: 429, retryAfter: 120 });
    // Act
    const error = await wf
      .createProject({ name: 'X' }, { deadline: new Date(now + 30_000) })
      .catch((e: unknown) => e);
    // Assess: the job retries later; the error says when Workfront takes calls again
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      retryable: true,
      service: 'workfront',
      status: 429,
      retryAfterMs: 120_000,
    });
    expect(standin.calls()).toHaveLength(1);
  });

  it('times out a call that never answers, as retryable', async () => {
    // Prepare
    const wf = client({ timeoutMs: 100 });
    standin.failNext('GET', { hang: true });
    // Act
    const error = await wf.getProject('a'.repeat(32)).catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: true, service: 'workfront' });
    expect((error as Error).message).toContain('timed out');
  });

  it('fails loudly on a response that is not Workfront’s shape', async () => {
    // Prepare
    const wf = client();
    standin.failNext('POST', { status: 200, body: { data: { id: 'lowercase-id' } } });
    // Act
    const error = await wf.createProject({ name: 'X' }).catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: false });
    expect((error as Error).message).toContain('unexpected response');
  });

  it('refuses a request longer than the Workfront CDN accepts, before sending it', async () => {
    // Prepare
    const wf = client();
    // Act
    const error = await wf.createProject({ name: 'x'.repeat(9_000) }).catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: false });
    expect(standin.calls()).toHaveLength(0);
  });

  it('has no way to delete a project, and the policy engine blocks it', () => {
    // Prepare
    const wf = client();
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(wf));
    // Act
    const decision = evaluatePolicy(
      { kind: 'external.write', system: 'workfront', operation: 'delete', objectType: 'project' },
      { approvalThresholdCents: 1_000_000, vpThresholdCents: 10_000_000 },
    );
    // Assess
    expect(methods.filter((m) => /delete|remove/i.test(m))).toEqual([]);
    expect('deleteProject' in wf).toBe(false);
    expect(decision).toMatchObject({
      outcome: 'block',
      policyId: 'no-workfront-project-deletion',
      message: 'Project deletion must be done manually in Workfront.',
    });
  });
});
