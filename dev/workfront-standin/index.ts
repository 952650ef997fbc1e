import { randomBytes } from 'node:crypto';
import { createWorkfrontEvents, type WorkfrontEvents } from './events';
import { escapeHtml, type InjectedFailure, type StandInCall, startHttpStandIn } from './http-standin';

/**
 * A loopback Workfront for tests and `npm start`: `/attask/api/v15.0/{PROJ,TASK}` with Workfront's
 * request and response shapes (fields in the `updates` parameter, `{ data }` / `{ error: { message,
 * class } }`, 32-hex IDs, objCodes case-insensitive, `project` accepted for `PROJ`).
 * It requires the API key (`apiKey` parameter or `SessionID` header), validates required fields,
 * rejects fields Workfront would not know, and serves a small page at `/project/<ID>` so the
 * announcement's link works locally.
 */
interface WorkfrontRecord {
  ID: string;
  objCode: 'PROJ' | 'TASK';
  name: string;
  [field: string]: unknown;
}

export interface WorkfrontStandIn {
  /** Set `WORKFRONT_BASE_URL` to this. */
  baseUrl: string;
  /** Set `WORKFRONT_API_KEY` to this. */
  apiKey: string;
  /** `{ WORKFRONT_BASE_URL, WORKFRONT_API_KEY }` for this stand-in, to merge into the app's environment. */
  env(): Record<string, string>;
  calls(): StandInCall[];
  projects(): WorkfrontRecord[];
  tasks(): WorkfrontRecord[];
  failNext(match: string, failure: InjectedFailure): void;
  /** Event subscriptions and their deliveries (created through the API or here). */
  events: WorkfrontEvents;
  /** The user the API key acts as (`lastUpdatedByID` of API writes). */
  apiUserId: string;
  /** A person changes an object in Workfront (not through the API key); subscriptions are told. */
  humanChange(id: string, updates: Record<string, unknown>, userId?: string): WorkfrontRecord;
  /** A person deletes an object in Workfront. */
  humanDelete(id: string, userId?: string): void;
  /** A person adds a task to a project in Workfront. */
  humanCreateTask(projectID: string, fields: Record<string, unknown>, userId?: string): WorkfrontRecord;
  close(): Promise<void>;
}

export interface WorkfrontStandInOptions {
  port?: number;
  apiKey?: string;
  apiVersion?: string;
  /** Delays between redeliveries of an event not answered 2xx. */
  retryDelaysMs?: number[];
}

/** `2026-04-01T17:00:00.000-0000`: Workfront's date-time form (`±hhmm`, no colon). */
function wfNow(): string {
  return new Date().toISOString().replace('Z', '-0000');
}

const PROJECT_FIELDS = new Set([
  'name',
  'description',
  'plannedStartDate',
  'plannedCompletionDate',
  'status',
  'ownerID',
  'extRefID',
  'groupID',
  'priority',
  // UNCONFIRMED (platform-facts lists no PROJ fields): a numeric budget.
  'budget',
]);
const TASK_FIELDS = new Set([
  'projectID',
  'name',
  'description',
  'plannedStartDate',
  'plannedCompletionDate',
  'assignedToID',
  'extRefID',
  'predecessors',
  'status',
  'priority',
]);
const DATE = /^\d{4}-\d{2}-\d{2}/;

const wfError = (status: number, message: string, cls: string) => ({
  status,
  body: { error: { message, class: cls } },
});

function errorBodyFor(status: number) {
  if (status === 401) {
    return {
      error: {
        message: 'You are not currently logged in',
        class: 'com.attask.common.AuthenticationException',
      },
    };
  }
  if (status >= 500)
    return { error: { message: 'Internal server error', class: 'java.lang.RuntimeException' } };
  if (status === 429)
    return { error: { message: 'Too many requests', class: 'com.attask.common.ThrottleException' } };
  return { error: { message: 'Bad request', class: 'com.attask.common.InvalidParameterException' } };
}

export async function startWorkfrontStandIn(
  options: WorkfrontStandInOptions = {},
): Promise<WorkfrontStandIn> {
  const apiKey = options.apiKey ?? `wf-local-${randomBytes(8).toString('hex')}`;
  const apiUserId = randomBytes(16).toString('hex');
  const events = createWorkfrontEvents(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {});
  const prefix = `/attask/api/v${options.apiVersion ?? '15.0'}`.toLowerCase();
  const records = new Map<string, WorkfrontRecord>();
  const newId = () => randomBytes(16).toString('hex');

  const objCodeOf = (segment: string | undefined): 'PROJ' | 'TASK' | undefined => {
    const s = (segment ?? '').toLowerCase();
    if (s === 'proj' || s === 'project') return 'PROJ';
    if (s === 'task') return 'TASK';
    return undefined;
  };

  const validate = (objCode: 'PROJ' | 'TASK', updates: Record<string, unknown>, creating: boolean) => {
    const allowed = objCode === 'PROJ' ? PROJECT_FIELDS : TASK_FIELDS;
    for (const field of Object.keys(updates)) {
      // Custom form parameters (`DE:<name>`) on projects; a task may be moved to another project.
      if (objCode === 'PROJ' && field.startsWith('DE:')) continue;
      if (!allowed.has(field) || (!creating && field === 'predecessors')) {
        return wfError(
          422,
          `APIModel V15_0 does not support field ${field} (${objCode === 'PROJ' ? 'Project' : 'Task'})`,
          'com.attask.common.InvalidParameterException',
        );
      }
    }
    if (creating && (typeof updates.name !== 'string' || updates.name.trim() === '')) {
      return wfError(422, 'name is a required field', 'com.attask.common.InvalidParameterException');
    }
    for (const field of ['plannedStartDate', 'plannedCompletionDate']) {
      const value = updates[field];
      if (value !== undefined && (typeof value !== 'string' || !DATE.test(value))) {
        return wfError(422, `invalid date for ${field}`, 'com.attask.common.InvalidParameterException');
      }
    }
    if (objCode === 'TASK' && creating) {
      const project = typeof updates.projectID === 'string' ? records.get(updates.projectID) : undefined;
      if (project?.objCode !== 'PROJ') {
        return wfError(422, 'projectID is a required field', 'com.attask.common.InvalidParameterException');
      }
      const preds = updates.predecessors;
      if (preds !== undefined) {
        if (!Array.isArray(preds)) {
          return wfError(
            422,
            'predecessors must be a collection',
            'com.attask.common.InvalidParameterException',
          );
        }
        for (const pred of preds) {
          const id =
            typeof pred === 'object' && pred !== null
              ? (pred as Record<string, unknown>).predecessorID
              : undefined;
          const target = typeof id === 'string' ? records.get(id) : undefined;
          if (target?.objCode !== 'TASK' || target.projectID !== project.ID) {
            return wfError(
              422,
              'predecessorID must be a task of the same project',
              'com.attask.common.InvalidParameterException',
            );
          }
        }
      }
    }
    return undefined;
  };

  const http = await startHttpStandIn({
    ...(options.port !== undefined ? { port: options.port } : {}),
    errorBody: errorBodyFor,
    router: ({ method, path, query, headers, body }) => {
      const page = /^\/project\/([0-9a-f]{32})$/i.exec(path);
      if (page && method === 'GET') {
        const project = records.get(page[1] ?? '');
        if (!project) return { status: 404, html: '<p>No such project</p>' };
        const tasks = [...records.values()].filter((r) => r.projectID === project.ID);
        return {
          status: 200,
          html: `<!doctype html><title>${escapeHtml(project.name)}</title><h1>${escapeHtml(project.name)}</h1><p>Workfront stand-in project ${project.ID}</p><ol>${tasks
            .map(
              (t) =>
                `<li>${escapeHtml(t.name)} — due ${escapeHtml(String(t.plannedCompletionDate ?? ''))}</li>`,
            )
            .join('')}</ol>`,
        };
      }
      if (path === '/attask/eventsubscription/api/v1/subscriptions') {
        const key = query.apiKey ?? headers.sessionid;
        if (key !== apiKey) return { status: 401, body: errorBodyFor(401) };
        if (method === 'GET') return { status: 200, body: events.subscriptions() };
        const input = (body ?? {}) as Record<string, unknown>;
        const eventType = input.eventType;
        if (
          typeof input.objCode !== 'string' ||
          (eventType !== 'CREATE' && eventType !== 'UPDATE' && eventType !== 'DELETE') ||
          typeof input.url !== 'string' ||
          typeof input.authToken !== 'string'
        ) {
          return wfError(400, 'objCode, eventType, url and authToken are required', 'InvalidSubscription');
        }
        const sub = events.subscribe({
          objCode: input.objCode,
          eventType,
          url: input.url,
          authToken: input.authToken,
          base64Encoding: input.base64Encoding === true,
        });
        return {
          status: 201,
          headers: { location: `/attask/eventsubscription/api/v1/subscriptions/${sub.ID}` },
          body: {},
        };
      }
      if (!path.toLowerCase().startsWith(`${prefix}/`)) {
        return wfError(404, `No API endpoint for ${path}`, 'com.attask.common.NotFoundException');
      }
      const key = query.apiKey ?? headers.sessionid;
      if (key !== apiKey) return { status: 401, body: errorBodyFor(401) };

      const segments = path.slice(prefix.length + 1).split('/');
      const objCode = objCodeOf(segments[0]);
      if (!objCode)
        return wfError(404, `Unknown objCode ${segments[0]}`, 'com.attask.common.NotFoundException');
      const id = segments[1];

      let updates: Record<string, unknown> = {};
      if (method === 'POST' || method === 'PUT') {
        if (query.updates !== undefined) {
          try {
            const parsed = JSON.parse(query.updates) as unknown;
            if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
              throw new Error('not an object');
            updates = parsed as Record<string, unknown>;
          } catch {
            return wfError(
              422,
              'updates must be a JSON object',
              'com.attask.common.InvalidParameterException',
            );
          }
        }
        for (const [k, v] of Object.entries(query)) {
          if (!['updates', 'apiKey', 'sessionID', 'fields', 'method'].includes(k)) updates[k] = v;
        }
      }

      if (method === 'GET' && id === 'search') {
        const found = [...records.values()].filter(
          (r) =>
            r.objCode === objCode &&
            Object.entries(query).every(
              ([k, v]) => ['apiKey', 'fields', '$$LIMIT', '$$FIRST'].includes(k) || String(r[k] ?? '') === v,
            ),
        );
        return { status: 200, body: { data: found } };
      }
      if (method === 'GET' && id) {
        const record = records.get(id);
        if (!record || record.objCode !== objCode) {
          return wfError(404, `${objCode} with ID ${id} not found`, 'com.attask.common.NotFoundException');
        }
        return { status: 200, body: { data: record } };
      }
      if (method === 'POST' && !id) {
        const invalid = validate(objCode, updates, true);
        if (invalid) return invalid;
        const record: WorkfrontRecord = {
          percentComplete: 0,
          priority: 0,
          status: objCode === 'PROJ' ? 'CUR' : 'NEW',
          ...updates,
          ID: newId(),
          objCode,
          name: String(updates.name),
          lastUpdateDate: wfNow(),
          lastUpdatedByID: apiUserId,
        };
        records.set(record.ID, record);
        events.emit('CREATE', objCode, {}, { ...record });
        return { status: 200, body: { data: record } };
      }
      if (method === 'PUT' && id) {
        const record = records.get(id);
        if (!record || record.objCode !== objCode) {
          return wfError(404, `${objCode} with ID ${id} not found`, 'com.attask.common.NotFoundException');
        }
        const invalid = validate(objCode, updates, false);
        if (invalid) return invalid;
        const before = { ...record };
        Object.assign(record, updates, { lastUpdateDate: wfNow(), lastUpdatedByID: apiUserId });
        events.emit('UPDATE', objCode, before, { ...record });
        return { status: 200, body: { data: record } };
      }
      if (method === 'DELETE' && id) {
        // Real Workfront deletes; the bot never asks (policy). Tests assert no DELETE reaches here.
        const gone = records.get(id);
        if (gone) events.emit('DELETE', objCode, { ...gone }, {});
        return records.delete(id)
          ? { status: 200, body: { data: { success: true } } }
          : wfError(404, `${objCode} with ID ${id} not found`, 'com.attask.common.NotFoundException');
      }
      return wfError(405, `Method ${method} not allowed here`, 'com.attask.common.InvalidParameterException');
    },
  });

  return {
    baseUrl: http.origin,
    apiKey,
    env: () => ({ WORKFRONT_BASE_URL: http.origin, WORKFRONT_API_KEY: apiKey }),
    calls: http.calls,
    projects: () => [...records.values()].filter((r) => r.objCode === 'PROJ').map((r) => ({ ...r })),
    tasks: () => [...records.values()].filter((r) => r.objCode === 'TASK').map((r) => ({ ...r })),
    failNext: http.failNext,
    events,
    apiUserId,
    humanChange(id, updates, userId = 'wf-person') {
      const record = records.get(id);
      if (!record) throw new Error(`no Workfront object ${id}`);
      const before = { ...record };
      Object.assign(record, updates, { lastUpdateDate: wfNow(), lastUpdatedByID: userId });
      events.emit('UPDATE', record.objCode, before, { ...record });
      return { ...record };
    },
    humanCreateTask(projectID, fields, userId = 'wf-person') {
      const record: WorkfrontRecord = {
        percentComplete: 0,
        priority: 0,
        status: 'NEW',
        ...fields,
        projectID,
        ID: newId(),
        objCode: 'TASK',
        name: String(fields.name ?? 'New task'),
        lastUpdateDate: wfNow(),
        lastUpdatedByID: userId,
      };
      records.set(record.ID, record);
      events.emit('CREATE', 'TASK', {}, { ...record });
      return { ...record };
    },
    humanDelete(id) {
      const record = records.get(id);
      if (!record) throw new Error(`no Workfront object ${id}`);
      records.delete(id);
      events.emit('DELETE', record.objCode, { ...record }, {});
    },
    close: async () => {
      await events.settled();
      await http.close();
    },
  };
}
