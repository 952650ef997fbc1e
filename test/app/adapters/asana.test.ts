import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsanaClient } from '../../../app/adapters/asana';
import { DownstreamError } from '../../../app/errors';
import { type AsanaStandIn, startAsanaStandIn } from '../../../dev/asana-standin';
import { memoryLimiter } from '../../helpers/memory-rate-limit';

let standin: AsanaStandIn;
beforeEach(async () => {
  standin = await startAsanaStandIn();
});
afterEach(async () => {
  await standin.close();
});

const client = (overrides: Partial<ConstructorParameters<typeof AsanaClient>[0]> = {}) =>
  new AsanaClient({ baseUrl: standin.baseUrl, accessToken: standin.accessToken, ...overrides });

describe('AsanaClient', () => {
  it('creates a project, tasks and a dependency with Asana’s shapes', async () => {
    // Prepare
    const asana = client();
    // Act
    const project = await asana.createProject({
      name: 'Summit',
      workspace: standin.workspaceGid,
      notes: 'Event',
      start_on: '2026-12-01',
      due_on: '2027-01-10',
    });
    const venue = await asana.createTask({ name: 'Venue', projects: [project.gid], due_on: '2026-12-10' });
    const day = await asana.createTask({
      name: 'Event day',
      projects: [project.gid],
      due_on: '2027-01-10',
      resource_subtype: 'milestone',
    });
    await asana.addDependencies(day.gid, [venue.gid]);
    // Assess
    expect(project).toMatchObject({ resource_type: 'project', name: 'Summit' });
    expect(project.gid).toMatch(/^\d+$/);
    expect(AsanaClient.projectUrl(project)).toBe(project.permalink_url);
    expect(standin.dependencies()).toEqual({ [day.gid]: [venue.gid] });
    const create = standin.calls().find((c) => c.method === 'POST' && c.path === '/api/1.0/projects');
    expect(create?.headers.authorization).toBe(`Bearer ${standin.accessToken}`);
    expect(create?.body).toEqual({
      data: {
        name: 'Summit',
        workspace: standin.workspaceGid,
        notes: 'Event',
        start_on: '2026-12-01',
        due_on: '2027-01-10',
      },
    });
    expect(standin.tasks().find((t) => t.gid === day.gid)?.resource_subtype).toBe('milestone');
  });

  it('updates a task and lists a project’s tasks and a workspace’s projects', async () => {
    // Prepare
    const asana = client();
    const project = await asana.createProject({
      name: 'P',
      workspace: standin.workspaceGid,
      notes: 'mcc:cmp-1',
    });
    const task = await asana.createTask({ name: 'T', projects: [project.gid] });
    // Act
    const updated = await asana.updateTask(task.gid, { due_on: '2027-03-01' });
    const tasks = await asana.listProjectTasks(project.gid);
    const page = await asana.listProjects(standin.workspaceGid, undefined);
    // Assess
    expect(updated.due_on).toBe('2027-03-01');
    expect(tasks.map((t) => t.name)).toEqual(['T']);
    expect(page.projects.map((p) => p.notes)).toEqual(['mcc:cmp-1']);
    expect(page.nextOffset).toBeUndefined();
  });

  it('maps Asana’s 400 for an unknown field to a non-retryable error with Asana’s message', async () => {
    // Prepare
    const asana = client();
    const project = await asana.createProject({ name: 'P', workspace: standin.workspaceGid });
    const task = await asana.createTask({ name: 'T', projects: [project.gid] });
    // Act: `projects` cannot be changed through PUT /tasks
    const error = await asana
      .updateTask(task.gid, { projects: ['1'] } as unknown as Parameters<AsanaClient['updateTask']>[1])
      .catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(DownstreamError);
    expect(error).toMatchObject({ service: 'asana', retryable: false, status: 400 });
    expect((error as Error).message).toContain('Invalid field');
  });

  it('refuses a project with neither workspace nor team before calling Asana', async () => {
    // Prepare
    const asana = client();
    // Act
    const error = await asana.createProject({ name: 'P' }).catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: false });
    expect(standin.calls()).toHaveLength(0);
  });

  it('maps a bad token to a non-retryable 401 without leaking the token', async () => {
    // Prepare
    const asana = new AsanaClient({ baseUrl: standin.baseUrl, accessToken: '2/secret-token-value' });
    // Act
    const error = await asana.getProject('1').catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: false, status: 401 });
    expect((error as Error).message).toContain('Not Authorized');
    expect((error as Error).message).not.toContain('secret-token-value');
  });

  it('maps a 500 to retryable', async () => {
    // Prepare
    const asana = client();
    standin.failNext('POST /api/1.0/projects', { status: 500 });
    // Act
    const error = await asana
      .createProject({ name: 'P', workspace: standin.workspaceGid })
      .catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: true, status: 500, service: 'asana' });
  });

  it('honours 429 Retry-After: waits when it fits, throws retryable when it does not', async () => {
    // Prepare
    let now = Date.now();
    const sleeps: number[] = [];
    const limiter = memoryLimiter({
      service: 'asana',
      perMinute: 150,
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    const asana = client({ limiter, now: () => now });
    standin.failNext('POST', { status: 429, retryAfter: 5 });
    // Act
    const project = await asana.createProject(
      { name: 'P', workspace: standin.workspaceGid },
      { deadline: new Date(now + 60_000) },
    );
    standin.failNext('POST', { status: 429, retryAfter: 90 });
    const error = await asana
      .createTask({ name: 'T', projects: [project.gid] }, { deadline: new Date(now + 60_000) })
      .catch((e: unknown) => e);
    // Assess
    // Retry-After waited out; after a 429 calls resume at the sustained pace (400 ms at 150/min), not in a burst.
    expect(sleeps).toEqual([5_000, 400]);
    expect(error).toMatchObject({ retryable: true, service: 'asana' });
    expect(standin.tasks()).toHaveLength(0);
  });

  it('without a limiter, a 429 becomes a retryable error carrying Retry-After', async () => {
    // Prepare
    const asana = client();
    standin.failNext('GET', { status: 429, retryAfter: 7 });
    // Act
    const error = await asana.getProject('1').catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7_000 });
  });

  it('times out as retryable', async () => {
    // Prepare
    const asana = client({ timeoutMs: 100 });
    standin.failNext('GET', { hang: true });
    // Act
    const error = await asana.getTask('1').catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toContain('timed out');
  });

  it('reports a free workspace’s 402 on dependencies as non-retryable', async () => {
    // Prepare
    await standin.close();
    standin = await startAsanaStandIn({ dependenciesRequirePremium: true });
    const asana = client();
    const project = await asana.createProject({ name: 'P', workspace: standin.workspaceGid });
    const a = await asana.createTask({ name: 'A', projects: [project.gid] });
    const b = await asana.createTask({ name: 'B', projects: [project.gid] });
    // Act
    const error = await asana.addDependencies(b.gid, [a.gid]).catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: false, status: 402 });
  });

  it('fails loudly on an answer without the data wrapper', async () => {
    // Prepare
    const asana = client();
    standin.failNext('POST', { status: 201, body: { gid: '1', resource_type: 'project', name: 'P' } });
    // Act
    const error = await asana
      .createProject({ name: 'P', workspace: standin.workspaceGid })
      .catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ retryable: false });
    expect((error as Error).message).toContain('unexpected response');
  });
});
