import { afterEach, describe, expect, it } from 'vitest';
import { type AsanaStandIn, startAsanaStandIn } from '../../dev/asana-standin';
import { startWorkfrontStandIn, type WorkfrontStandIn } from '../../dev/workfront-standin';

let workfront: WorkfrontStandIn | undefined;
let asana: AsanaStandIn | undefined;
afterEach(async () => {
  await workfront?.close();
  await asana?.close();
  workfront = undefined;
  asana = undefined;
});

const json = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as unknown,
});

describe('Workfront stand-in', () => {
  it('requires the API key and answers with Workfront’s error shape', async () => {
    // Prepare
    workfront = await startWorkfrontStandIn({ apiKey: 'wf-test-key-1' });
    // Act
    const denied = await json(await fetch(`${workfront.baseUrl}/attask/api/v15.0/PROJ/search`));
    const allowed = await json(
      await fetch(`${workfront.baseUrl}/attask/api/v15.0/PROJ/search?apiKey=wf-test-key-1`),
    );
    // Assess
    expect(denied).toEqual({
      status: 401,
      body: {
        error: {
          message: 'You are not currently logged in',
          class: 'com.attask.common.AuthenticationException',
        },
      },
    });
    expect(allowed).toEqual({ status: 200, body: { data: [] } });
    expect(workfront.env()).toEqual({
      WORKFRONT_BASE_URL: workfront.baseUrl,
      WORKFRONT_API_KEY: 'wf-test-key-1',
    });
  });

  it('creates from the updates parameter, accepts objCode aliases, rejects unknown fields', async () => {
    // Prepare
    workfront = await startWorkfrontStandIn({ apiKey: 'k-123456' });
    const post = (objCode: string, updates: unknown) =>
      fetch(
        `${workfront?.baseUrl}/attask/api/v15.0/${objCode}?apiKey=k-123456&updates=${encodeURIComponent(JSON.stringify(updates))}`,
        { method: 'POST' },
      ).then(json);
    // Act
    const created = await post('project', { name: 'Alias' });
    const unknown = await post('PROJ', { name: 'X', budgetUSD: 5 });
    const missing = await post('proj', { description: 'no name' });
    // Assess
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ data: { objCode: 'PROJ', name: 'Alias', status: 'CUR' } });
    expect(unknown).toMatchObject({
      status: 422,
      body: { error: { message: expect.stringContaining('budgetUSD') } },
    });
    expect(missing).toMatchObject({ status: 422, body: { error: { message: 'name is a required field' } } });
    expect(workfront.projects()).toHaveLength(1);
  });

  it('serves a project page for the announcement link', async () => {
    // Prepare
    workfront = await startWorkfrontStandIn({ apiKey: 'k-123456' });
    const created = await fetch(
      `${workfront.baseUrl}/attask/api/v15.0/PROJ?apiKey=k-123456&updates=${encodeURIComponent('{"name":"<Page>"}')}`,
      { method: 'POST' },
    ).then(json);
    const id = (created.body as { data: { ID: string } }).data.ID;
    // Act
    const page = await fetch(`${workfront.baseUrl}/project/${id}`);
    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('&#60;Page&#62;');
  });

  it('applies an injected failure once, to the first matching request only', async () => {
    // Prepare
    workfront = await startWorkfrontStandIn({ apiKey: 'k-123456' });
    workfront.failNext('POST /attask/api/v15.0/TASK', { status: 503, retryAfter: 3 });
    const base = `${workfront.baseUrl}/attask/api/v15.0`;
    const taskPost = () =>
      fetch(`${base}/task?apiKey=k-123456&updates=${encodeURIComponent('{"name":"T"}')}`, { method: 'POST' });
    // Act
    const unrelated = await fetch(`${base}/PROJ/search?apiKey=k-123456`);
    const failed = await taskPost();
    const real = await taskPost();
    // Assess: the failure skipped the GET, hit the first task POST (path matched case-insensitively), then was gone
    expect(unrelated.status).toBe(200);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('3');
    expect(real.status).toBe(422);
    expect(workfront.calls().map((c) => c.status)).toEqual([200, 503, 422]);
  });
});

describe('Asana stand-in', () => {
  it('requires the Bearer token, wraps bodies in data, answers 201 on create', async () => {
    // Prepare
    asana = await startAsanaStandIn({ accessToken: 'tok-1' });
    const body = JSON.stringify({ data: { name: 'P', workspace: asana.workspaceGid } });
    // Act
    const denied = await fetch(`${asana.baseUrl}/projects`, { method: 'POST', body }).then(json);
    const created = await fetch(`${asana.baseUrl}/projects`, {
      method: 'POST',
      body,
      headers: { authorization: 'Bearer tok-1', 'content-type': 'application/json' },
    }).then(json);
    // Assess
    expect(denied).toEqual({ status: 401, body: { errors: [{ message: 'Not Authorized' }] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      data: { resource_type: 'project', name: 'P', permalink_url: expect.stringMatching(/\/0\/\d+\/list$/) },
    });
    expect(asana.env()).toEqual({
      ASANA_BASE_URL: asana.baseUrl,
      ASANA_ACCESS_TOKEN: 'tok-1',
      ASANA_WORKSPACE_GID: asana.workspaceGid,
    });
  });

  it('rejects unknown fields and unwrapped bodies with 400 and Asana’s errors array', async () => {
    // Prepare
    asana = await startAsanaStandIn({ accessToken: 'tok-1' });
    const post = (body: unknown) =>
      fetch(`${asana?.baseUrl}/projects`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { authorization: 'Bearer tok-1' },
      }).then(json);
    // Act
    const unknown = await post({ data: { name: 'P', workspace: asana.workspaceGid, budget: 1 } });
    const unwrapped = await post({ name: 'P', workspace: asana.workspaceGid });
    // Assess
    expect(unknown).toEqual({ status: 400, body: { errors: [{ message: 'Invalid field: {"budget":1}' }] } });
    expect(unwrapped.status).toBe(400);
    expect(asana.projects()).toHaveLength(0);
  });
});
