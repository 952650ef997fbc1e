import { randomBytes } from 'node:crypto';
import {
  escapeHtml,
  type InjectedFailure,
  type StandInCall,
  startHttpStandIn,
} from '../workfront-standin/http-standin';
import {
  type AsanaRecord,
  DATE,
  errorBodyFor,
  errors,
  PROJECT_FIELDS,
  PROJECT_UPDATE_FIELDS,
  TASK_FIELDS,
  TASK_UPDATE_FIELDS,
} from './shapes';
import { asanaSyncHelpers } from './sync-helpers';
import { type AsanaWebhooks, createAsanaWebhooks } from './webhooks';

/**
 * A loopback Asana for tests and `npm start`, below `/api/1.0` like the real one: Bearer token,
 * bodies wrapped in `{ data }`, 201 with the full record on create, `{ errors: [{ message }] }` on
 * failure, unknown fields rejected with 400 as Asana does, numeric-string gids, `permalink_url`
 * pointing at a small local page.
 */

export interface AsanaStandIn {
  /** Set `ASANA_BASE_URL` to this (ends with `/api/1.0`). */
  baseUrl: string;
  /** Set `ASANA_ACCESS_TOKEN` to this. */
  accessToken: string;
  /** Set `ASANA_WORKSPACE_GID` to this. */
  workspaceGid: string;
  /** `{ ASANA_BASE_URL, ASANA_ACCESS_TOKEN, ASANA_WORKSPACE_GID }` for this stand-in. */
  env(): Record<string, string>;
  calls(): StandInCall[];
  projects(): AsanaRecord[];
  tasks(): AsanaRecord[];
  /** Dependencies set per task gid. */
  dependencies(): Record<string, string[]>;
  failNext(match: string, failure: InjectedFailure): void;
  /** Webhooks (created through `POST /webhooks`) and their deliveries. */
  webhooks: AsanaWebhooks;
  /** The gid of the user the access token acts as (`GET /users/me`; `user` of events from API writes). */
  meGid: string;
  /** Defines a custom field present on every project and task (`number`, `text` or `date`). */
  defineCustomField(gid: string, name: string, type: 'number' | 'text' | 'date'): void;
  /** A person changes a task or project in Asana (not through the token); webhooks are told. */
  humanChange(gid: string, fields: Record<string, unknown>, userGid?: string): AsanaRecord;
  /** A person deletes a task in Asana. */
  humanDelete(gid: string, userGid?: string): void;
  /** A person moves a task from one project to another. */
  humanMove(gid: string, toProject: string, userGid?: string): void;
  close(): Promise<void>;
}

export interface AsanaStandInOptions {
  port?: number;
  accessToken?: string;
  workspaceGid?: string;
  /** Answer addDependencies with 402, as a free workspace does. */
  dependenciesRequirePremium?: boolean;
  /** Delays between redeliveries of a batch not answered 2xx. */
  retryDelaysMs?: number[];
}

export async function startAsanaStandIn(options: AsanaStandInOptions = {}): Promise<AsanaStandIn> {
  const accessToken = options.accessToken ?? `2/local/${randomBytes(12).toString('hex')}`;
  const workspaceGid = options.workspaceGid ?? '1100000000000001';
  const records = new Map<string, AsanaRecord>();
  const deps: Record<string, string[]> = {};
  let nextGid = 1200000000000001n;
  const newGid = () => String(nextGid++);
  let origin = '';
  const meGid = '1300000000000001';
  const webhooks = createAsanaWebhooks({
    newGid,
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
  });
  const sync = asanaSyncHelpers({ records, webhooks, meGid, compactRef: (r) => compactRef(r) });
  const { ref, emitChanges, applyCustom, withCustomFields } = sync;

  const unknownField = (data: Record<string, unknown>, allowed: Set<string>) => {
    const extra = Object.keys(data).find((k) => !allowed.has(k));
    return extra ? errors(400, `Invalid field: ${JSON.stringify({ [extra]: data[extra] })}`) : undefined;
  };
  const badDate = (data: Record<string, unknown>) => {
    for (const field of ['due_on', 'start_on']) {
      const v = data[field];
      if (v !== undefined && v !== null && (typeof v !== 'string' || !DATE.test(v))) {
        return errors(400, `${field}: Invalid date: ${JSON.stringify(v)}`);
      }
    }
    return undefined;
  };
  const compactRef = (r: AsanaRecord) => ({ gid: r.gid, resource_type: r.resource_type, name: r.name });
  const pick = (r: AsanaRecord, optFields: string | undefined) =>
    optFields
      ? Object.fromEntries([['gid', r.gid], ...optFields.split(',').map((f) => [f, r[f] ?? null])])
      : r;

  const http = await startHttpStandIn({
    ...(options.port !== undefined ? { port: options.port } : {}),
    errorBody: errorBodyFor,
    router: ({ method, path, query, headers, body }) => {
      const page = /^\/0\/(\d+)\/list$/.exec(path);
      if (page && method === 'GET') {
        const project = records.get(page[1] ?? '');
        if (!project) return { status: 404, html: '<p>No such project</p>' };
        const tasks = [...records.values()].filter(
          (r) =>
            r.resource_type === 'task' &&
            (r.projects as { gid: string }[]).some((p) => p.gid === project.gid),
        );
        return {
          status: 200,
          html: `<!doctype html><title>${escapeHtml(project.name)}</title><h1>${escapeHtml(project.name)}</h1><p>Asana stand-in project ${project.gid}</p><ol>${tasks
            .map((t) => `<li>${escapeHtml(t.name)} — due ${escapeHtml(String(t.due_on ?? ''))}</li>`)
            .join('')}</ol>`,
        };
      }
      if (!path.startsWith('/api/1.0/')) return errors(404, 'No matching route for request');
      if (headers.authorization !== `Bearer ${accessToken}`) return { status: 401, body: errorBodyFor(401) };
      const route = path.slice('/api/1.0'.length);
      if (route === '/users/me' && method === 'GET') {
        return { status: 200, body: { data: { gid: meGid, resource_type: 'user', name: 'Command Center' } } };
      }

      let data: Record<string, unknown> = {};
      if (method === 'POST' || method === 'PUT') {
        if (typeof body !== 'object' || body === null || !('data' in body)) {
          return errors(400, 'Could not parse request data, invalid JSON');
        }
        const inner = (body as { data: unknown }).data;
        if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
          return errors(400, 'Request data must be a JSON object, not null');
        }
        data = inner as Record<string, unknown>;
      }

      if (route === '/webhooks' && method === 'POST') {
        const resource = data.resource;
        const target = data.target;
        if (typeof resource !== 'string' || typeof target !== 'string')
          return errors(400, 'resource, target: Missing input');
        if (records.get(resource)?.resource_type !== 'project')
          return errors(404, `resource: Unknown object: ${resource}`);
        return webhooks.create(resource, target);
      }
      const projectPut = /^\/projects\/(\d+)$/.exec(route);
      if (projectPut && method === 'PUT') {
        const project = records.get(projectPut[1] ?? '');
        if (project?.resource_type !== 'project') return errors(404, 'project: Unknown object');
        const invalid = unknownField(data, PROJECT_UPDATE_FIELDS) ?? badDate(data);
        if (invalid) return invalid;
        const { custom_fields: custom, ...plain } = data;
        const customError = applyCustom(project, custom);
        if (customError) return errors(400, customError);
        Object.assign(project, plain, { modified_at: new Date().toISOString() });
        emitChanges(project, Object.keys(data), meGid);
        return { status: 200, body: { data: project } };
      }
      const membership = /^\/tasks\/(\d+)\/(addProject|removeProject)$/.exec(route);
      if (membership && method === 'POST') {
        const task = records.get(membership[1] ?? '');
        const project = typeof data.project === 'string' ? records.get(data.project) : undefined;
        if (task?.resource_type !== 'task') return errors(404, 'task: Unknown object');
        if (project?.resource_type !== 'project') return errors(404, 'project: Unknown object');
        const list = (task.projects as { gid: string }[]).filter((p) => p.gid !== project.gid);
        task.projects = membership[2] === 'addProject' ? [...list, compactRef(project)] : list;
        task.modified_at = new Date().toISOString();
        webhooks.emit(
          [project.gid],
          [
            {
              user: { gid: meGid, resource_type: 'user' },
              created_at: new Date().toISOString(),
              action: membership[2] === 'addProject' ? 'added' : 'removed',
              resource: ref(task),
              parent: { gid: project.gid, resource_type: 'project' },
            },
          ],
        );
        return { status: 200, body: { data: {} } };
      }
      if (route === '/projects' && method === 'POST') {
        const invalid = unknownField(data, PROJECT_FIELDS) ?? badDate(data);
        if (invalid) return invalid;
        if (typeof data.name !== 'string' || data.name === '') return errors(400, 'name: Missing input');
        if (!data.workspace && !data.team) return errors(400, 'You should specify one of workspace, team');
        if (data.workspace !== undefined && data.workspace !== workspaceGid) {
          return errors(404, `workspace: Unknown object: ${String(data.workspace)}`);
        }
        if (data.start_on && !data.due_on) return errors(400, 'start_on: Cannot set start_on without due_on');
        const gid = newGid();
        const project: AsanaRecord = {
          gid,
          resource_type: 'project',
          name: data.name,
          notes: data.notes ?? '',
          due_on: data.due_on ?? null,
          start_on: data.start_on ?? null,
          archived: false,
          workspace: { gid: workspaceGid, resource_type: 'workspace', name: 'Local workspace' },
          ...(data.team ? { team: { gid: data.team, resource_type: 'team' } } : {}),
          permalink_url: `${origin}/0/${gid}/list`,
          created_at: new Date().toISOString(),
          modified_at: new Date().toISOString(),
          completed: false,
          custom_fields: withCustomFields(),
        };
        records.set(gid, project);
        return { status: 201, body: { data: project } };
      }
      if (route === '/projects' && method === 'GET') {
        if (query.workspace !== workspaceGid) return errors(400, 'workspace: Missing input');
        const all = [...records.values()].filter((r) => r.resource_type === 'project');
        const start = Number(query.offset ?? '0');
        const limit = Math.min(Number(query.limit ?? '100'), 100);
        const slice = all.slice(start, start + limit);
        const next = start + limit < all.length ? { offset: String(start + limit), path: '', uri: '' } : null;
        return { status: 200, body: { data: slice.map((r) => pick(r, query.opt_fields)), next_page: next } };
      }
      const projectMatch = /^\/projects\/(\d+)$/.exec(route);
      if (projectMatch && method === 'GET') {
        const project = records.get(projectMatch[1] ?? '');
        if (project?.resource_type !== 'project') return errors(404, 'project: Unknown object');
        return { status: 200, body: { data: project } };
      }
      if (route === '/tasks' && method === 'POST') {
        const invalid = unknownField(data, TASK_FIELDS) ?? badDate(data);
        if (invalid) return invalid;
        if (typeof data.name !== 'string') return errors(400, 'name: Missing input');
        const projectGids = Array.isArray(data.projects) ? (data.projects as unknown[]) : [];
        if (projectGids.length === 0 && !data.workspace && !data.parent) {
          return errors(400, 'You should specify one of workspace, parent, projects');
        }
        const projects: AsanaRecord[] = [];
        for (const p of projectGids) {
          const project = typeof p === 'string' ? records.get(p) : undefined;
          if (project?.resource_type !== 'project')
            return errors(404, `projects: Unknown object: ${String(p)}`);
          projects.push(project);
        }
        const subtype = data.resource_subtype ?? 'default_task';
        if (subtype !== 'default_task' && subtype !== 'milestone' && subtype !== 'approval') {
          return errors(400, `resource_subtype: Invalid value: ${String(subtype)}`);
        }
        const gid = newGid();
        const task: AsanaRecord = {
          gid,
          resource_type: 'task',
          resource_subtype: subtype,
          name: data.name,
          notes: data.notes ?? '',
          due_on: data.due_on ?? null,
          completed: data.completed === true,
          assignee: typeof data.assignee === 'string' ? { gid: data.assignee, resource_type: 'user' } : null,
          projects: projects.map(compactRef),
          workspace: { gid: workspaceGid, resource_type: 'workspace' },
          permalink_url: `${origin}/0/${projects[0]?.gid ?? '0'}/${gid}`,
          modified_at: new Date().toISOString(),
          custom_fields: withCustomFields(),
        };
        const customError = applyCustom(task, data.custom_fields);
        if (customError) return errors(400, customError);
        records.set(gid, task);
        webhooks.emit(
          projects.map((p) => p.gid),
          projects.map((p) => ({
            user: { gid: meGid, resource_type: 'user' as const },
            created_at: new Date().toISOString(),
            action: 'added' as const,
            resource: ref(task),
            parent: { gid: p.gid, resource_type: 'project' as const },
          })),
        );
        return { status: 201, body: { data: task } };
      }
      if (route === '/tasks' && method === 'GET') {
        if (!query.project)
          return errors(
            400,
            'Must specify exactly one of project, tag, section, user task list, or assignee + workspace',
          );
        const tasks = [...records.values()].filter(
          (r) =>
            r.resource_type === 'task' &&
            (r.projects as { gid: string }[]).some((p) => p.gid === query.project),
        );
        return { status: 200, body: { data: tasks.map((r) => pick(r, query.opt_fields)), next_page: null } };
      }
      const taskMatch = /^\/tasks\/(\d+)(\/addDependencies)?$/.exec(route);
      if (taskMatch) {
        const task = records.get(taskMatch[1] ?? '');
        if (task?.resource_type !== 'task') return errors(404, 'task: Unknown object');
        if (taskMatch[2] && method === 'POST') {
          if (options.dependenciesRequirePremium) {
            return errors(402, 'Dependencies are only available for premium users.');
          }
          const invalid = unknownField(data, new Set(['dependencies']));
          if (invalid) return invalid;
          if (!Array.isArray(data.dependencies)) return errors(400, 'dependencies: Missing input');
          const current = new Set(deps[task.gid] ?? []);
          for (const d of data.dependencies as unknown[]) {
            const dep = typeof d === 'string' ? records.get(d) : undefined;
            if (dep?.resource_type !== 'task')
              return errors(404, `dependencies: Unknown object: ${String(d)}`);
            current.add(dep.gid);
          }
          if (current.size > 15) return errors(400, 'A task can have at most 15 dependencies');
          deps[task.gid] = [...current];
          return { status: 200, body: { data: {} } };
        }
        if (!taskMatch[2] && method === 'GET') return { status: 200, body: { data: task } };
        if (!taskMatch[2] && method === 'PUT') {
          const invalid = unknownField(data, TASK_UPDATE_FIELDS) ?? badDate(data);
          if (invalid) return invalid;
          const { custom_fields: custom, ...plain } = data;
          const customError = applyCustom(task, custom);
          if (customError) return errors(400, customError);
          Object.assign(task, plain, { modified_at: new Date().toISOString() });
          if (typeof data.assignee === 'string')
            task.assignee = { gid: data.assignee, resource_type: 'user' };
          emitChanges(task, Object.keys(data), meGid);
          return { status: 200, body: { data: task } };
        }
      }
      return errors(404, 'No matching route for request');
    },
  });
  origin = http.origin;

  return {
    baseUrl: `${http.origin}/api/1.0`,
    accessToken,
    workspaceGid,
    env: () => ({
      ASANA_BASE_URL: `${http.origin}/api/1.0`,
      ASANA_ACCESS_TOKEN: accessToken,
      ASANA_WORKSPACE_GID: workspaceGid,
    }),
    calls: http.calls,
    projects: () => [...records.values()].filter((r) => r.resource_type === 'project').map((r) => ({ ...r })),
    tasks: () => [...records.values()].filter((r) => r.resource_type === 'task').map((r) => ({ ...r })),
    dependencies: () => structuredClone(deps),
    failNext: http.failNext,
    webhooks,
    meGid,
    defineCustomField: sync.defineCustomField,
    humanChange: sync.humanChange,
    humanDelete: sync.humanDelete,
    humanMove: sync.humanMove,
    close: async () => {
      await webhooks.settled();
      await http.close();
    },
  };
}
