import { z } from 'zod';
import { DownstreamError } from '../errors';
import { HttpClient } from './http-client';
import type { OutboundLimiter } from './rate-limiter';

/**
 * Adobe Workfront REST client (`/attask/api/v<version>/<objCode>`), platform-facts §7 and the
 * API basics page (AdobeDocs/workfront.en help/quicksilver/wf-api/general/api-basics.md).
 *
 * What the docs confirm and this client relies on:
 * - objects at `/attask/api/v15.0/<objCode>[/<ID>]`; GET reads, POST creates, PUT updates;
 * - fields to write go in the `updates` request parameter as JSON;
 * - answers are `{ "data": … }` on success and `{ "error": { "message", "class" } }` on failure;
 * - `apiKey` as a request parameter, or a `SessionID` request header carrying a session id;
 * - URIs through the CDN are capped at 8,892 bytes, so `updates` is kept short and checked.
 *
 * UNCONFIRMED (marked where used; a response that does not match fails loudly):
 * - `predecessors: [{ predecessorID, predecessorType: 'fs' }]` nested in a TASK create;
 * - `extRefID` on PROJ and TASK (used to find what a lost response created);
 * - date fields accepting `YYYY-MM-DD`; `assignedToID` on TASK; `milestone` is not set (needs a
 *   milestone path), the Command Center task keeps the flag instead;
 * - the project page URL `<host>/project/<ID>`.
 *
 * There is deliberately NO way to delete a project through this client: "Project deletion must be
 * done manually in Workfront" (DESIGN.md policies, `no-workfront-project-deletion`). The request
 * method type below does not even admit DELETE.
 */

/** How the API key travels. `apiKey-param` is the documented form; `sessionid-header` is for session ids. */
const WORKFRONT_AUTH_MODES = ['apiKey-param', 'sessionid-header'] as const;
export type WorkfrontAuthMode = (typeof WORKFRONT_AUTH_MODES)[number];

export interface WorkfrontClientOptions {
  /** The tenant's host root, e.g. `https://acme.my.workfront.com` (no `/attask`). */
  baseUrl: string;
  apiKey: string;
  /** Default `15.0`. */
  apiVersion?: string;
  authMode?: WorkfrontAuthMode;
  limiter?: OutboundLimiter;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface CallOptions {
  /** The caller's deadline (a job's); rate-limit waits and timeouts never run past it. */
  deadline?: Date;
}

const WfObject = z.object({ ID: z.string().min(1), name: z.string(), objCode: z.string() }).loose();

export const WorkfrontProject = WfObject.extend({ objCode: z.literal('PROJ') });
export type WorkfrontProject = z.infer<typeof WorkfrontProject>;
export const WorkfrontTask = WfObject.extend({ objCode: z.literal('TASK') });
export type WorkfrontTask = z.infer<typeof WorkfrontTask>;

const ErrorBody = z.object({
  error: z.object({ message: z.string().optional(), class: z.string().optional() }),
});

export interface NewWorkfrontProject {
  name: string;
  description?: string;
  /** `YYYY-MM-DD`. */
  plannedStartDate?: string;
  plannedCompletionDate?: string;
  /** `CUR` is the one status code the docs confirm. */
  status?: string;
  ownerID?: string;
  /** Our own reference (the campaign id), to find the project again (UNCONFIRMED field). */
  extRefID?: string;
}

export interface NewWorkfrontTask {
  projectID: string;
  name: string;
  status?: string;
  description?: string;
  plannedStartDate?: string;
  plannedCompletionDate?: string;
  assignedToID?: string;
  /** Finish-to-start predecessors by task ID. */
  predecessorIDs?: string[];
  extRefID?: string;
}

/** Longest URI the Workfront CDN accepts (API basics, "Limits and Guidelines"). */
const WORKFRONT_MAX_URI_BYTES = 8_892;
const MAX_DESCRIPTION = 1_500;

export class WorkfrontClient {
  private readonly http: HttpClient;
  private readonly prefix: string;
  private readonly origin: string;
  private readonly apiKeyLength: number;
  private readonly authMode: WorkfrontAuthMode;

  constructor(options: WorkfrontClientOptions) {
    this.authMode = options.authMode ?? 'apiKey-param';
    this.prefix = `/attask/api/v${options.apiVersion ?? '15.0'}`;
    // The host root is expected; tolerate a pasted `/attask` or `/attask/api/v…` suffix.
    this.origin = options.baseUrl.replace(/\/+$/, '').replace(/\/attask(\/api(\/v[\d.]+)?)?$/i, '');
    this.apiKeyLength = options.apiKey.length;
    this.http = new HttpClient({
      service: 'workfront',
      baseUrl: this.origin,
      ...(this.authMode === 'apiKey-param'
        ? { query: { apiKey: options.apiKey } }
        : { headers: { SessionID: options.apiKey } }),
      ...(options.limiter ? { limiter: options.limiter } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.now ? { now: options.now } : {}),
      errorMessage: (body) => {
        const parsed = ErrorBody.safeParse(body);
        if (!parsed.success) return undefined;
        const { message, class: cls } = parsed.data.error;
        return [message, cls ? `(${cls})` : undefined].filter(Boolean).join(' ') || undefined;
      },
    });
  }

  /** The project's page in Workfront (UNCONFIRMED path; the ID is what matters). */
  projectUrl(projectId: string): string {
    return `${this.origin}/project/${encodeURIComponent(projectId)}`;
  }

  async createProject(input: NewWorkfrontProject, options: CallOptions = {}): Promise<WorkfrontProject> {
    const updates = compact({
      name: input.name,
      description: input.description?.slice(0, MAX_DESCRIPTION),
      plannedStartDate: input.plannedStartDate,
      plannedCompletionDate: input.plannedCompletionDate,
      status: input.status,
      ownerID: input.ownerID,
      extRefID: input.extRefID,
    });
    const data = await this.write('POST', 'PROJ', undefined, updates, 'create project', options);
    return parseOne(WorkfrontProject, data, 'create project');
  }

  async getProject(projectId: string, options: CallOptions = {}): Promise<WorkfrontProject> {
    const data = await this.read(`/PROJ/${encodeURIComponent(projectId)}`, {}, 'get project', options);
    return parseOne(WorkfrontProject, data, 'get project');
  }

  async updateProject(
    projectId: string,
    updates: Partial<Omit<NewWorkfrontProject, 'extRefID'>>,
    options: CallOptions = {},
  ): Promise<WorkfrontProject> {
    const data = await this.write('PUT', 'PROJ', projectId, compact(updates), 'update project', options);
    return parseOne(WorkfrontProject, data, 'update project');
  }

  /** Projects carrying our reference (normally zero or one). UNCONFIRMED: `extRefID` as a search filter. */
  async findProjectsByRef(extRefID: string, options: CallOptions = {}): Promise<WorkfrontProject[]> {
    const data = await this.read('/PROJ/search', { extRefID, fields: 'extRefID' }, 'find project', options);
    return parseMany(WorkfrontProject, data, 'find project');
  }

  async createTask(input: NewWorkfrontTask, options: CallOptions = {}): Promise<WorkfrontTask> {
    const updates = compact({
      projectID: input.projectID,
      name: input.name,
      description: input.description?.slice(0, MAX_DESCRIPTION),
      plannedStartDate: input.plannedStartDate,
      plannedCompletionDate: input.plannedCompletionDate,
      assignedToID: input.assignedToID,
      status: input.status,
      extRefID: input.extRefID,
      // UNCONFIRMED shape: nested PRED objects, finish-to-start.
      predecessors: input.predecessorIDs?.length
        ? input.predecessorIDs.map((predecessorID) => ({ predecessorID, predecessorType: 'fs' }))
        : undefined,
    });
    const data = await this.write('POST', 'TASK', undefined, updates, 'create task', options);
    return parseOne(WorkfrontTask, data, 'create task');
  }

  async getTask(taskId: string, options: CallOptions = {}): Promise<WorkfrontTask> {
    const data = await this.read(`/TASK/${encodeURIComponent(taskId)}`, {}, 'get task', options);
    return parseOne(WorkfrontTask, data, 'get task');
  }

  async updateTask(
    taskId: string,
    updates: Partial<Omit<NewWorkfrontTask, 'projectID' | 'predecessorIDs' | 'extRefID'>> & {
      status?: string;
    },
    options: CallOptions = {},
  ): Promise<WorkfrontTask> {
    const data = await this.write('PUT', 'TASK', taskId, compact(updates), 'update task', options);
    return parseOne(WorkfrontTask, data, 'update task');
  }

  /**
   * An object with the fields sync compares (`fields` names them, `DE:` custom parameters included).
   * UNCONFIRMED: a `fields=…,DE:Name` list returning custom parameters at the top level.
   */
  async getState(
    objCode: 'PROJ' | 'TASK',
    id: string,
    fields: string[],
    options: CallOptions = {},
  ): Promise<Record<string, unknown>> {
    const data = await this.read(
      `/${objCode}/${encodeURIComponent(id)}`,
      { fields: fields.join(',') },
      'get state',
      options,
    );
    return parseOne(WfObject, data, `get ${objCode.toLowerCase()}`);
  }

  /** Writes the given fields (the `updates` parameter), returning the object. */
  async updateFields(
    objCode: 'PROJ' | 'TASK',
    id: string,
    updates: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<Record<string, unknown>> {
    const data = await this.write('PUT', objCode, id, updates, `update ${objCode.toLowerCase()}`, options);
    return parseOne(WfObject, data, `update ${objCode.toLowerCase()}`);
  }

  /** Tasks carrying our reference (normally zero or one). UNCONFIRMED: `extRefID` as a search filter. */
  async findTasksByRef(extRefID: string, options: CallOptions = {}): Promise<WorkfrontTask[]> {
    const data = await this.read('/TASK/search', { extRefID, fields: 'extRefID' }, 'find task', options);
    return parseMany(WorkfrontTask, data, 'find task');
  }

  /** A project's tasks (first 2,000, the documented maximum page), with our reference. */
  async listProjectTasks(projectId: string, options: CallOptions = {}): Promise<WorkfrontTask[]> {
    const data = await this.read(
      '/TASK/search',
      { projectID: projectId, fields: 'extRefID', $$LIMIT: '2000' },
      'list tasks',
      options,
    );
    return parseMany(WorkfrontTask, data, 'list tasks');
  }

  private async read(
    path: string,
    query: Record<string, string>,
    label: string,
    options: CallOptions,
  ): Promise<unknown> {
    const response = await this.http.request({
      method: 'GET',
      path: `${this.prefix}${path}`,
      query,
      label,
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
    return dataOf(response.body, label);
  }

  // Only POST and PUT: this client never deletes (see the file comment).
  private async write(
    method: 'POST' | 'PUT',
    objCode: 'PROJ' | 'TASK',
    id: string | undefined,
    updates: Record<string, unknown>,
    label: string,
    options: CallOptions,
  ): Promise<unknown> {
    const path = `${this.prefix}/${objCode}${id ? `/${encodeURIComponent(id)}` : ''}`;
    const encoded = JSON.stringify(updates);
    // The documented way to send fields is the `updates` parameter, so it counts against the URI cap.
    const uriBytes =
      Buffer.byteLength(this.origin + path) +
      Buffer.byteLength(encodeURIComponent(encoded)) +
      (this.authMode === 'apiKey-param' ? this.apiKeyLength + 16 : 0) +
      16;
    if (uriBytes > WORKFRONT_MAX_URI_BYTES) {
      throw new DownstreamError(
        `workfront ${label}: request too long for Workfront (${uriBytes} > ${WORKFRONT_MAX_URI_BYTES} bytes)`,
        'workfront',
        false,
      );
    }
    const response = await this.http.request({
      method,
      path,
      query: { updates: encoded },
      label,
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
    return dataOf(response.body, label);
  }
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function unexpected(label: string, detail: string): DownstreamError {
  return new DownstreamError(`workfront ${label}: unexpected response (${detail})`, 'workfront', false);
}

function dataOf(body: unknown, label: string): unknown {
  if (typeof body !== 'object' || body === null || !('data' in body)) {
    throw unexpected(label, 'no "data"');
  }
  return (body as { data: unknown }).data;
}

/** GET by ID is documented both as `data: {…}` and as `data: [{…}]`; accept exactly one object. */
function parseOne<T>(schema: z.ZodType<T>, data: unknown, label: string): T {
  const candidate = Array.isArray(data) ? (data.length === 1 ? data[0] : undefined) : data;
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) throw unexpected(label, parsed.error.issues[0]?.message ?? 'shape');
  return parsed.data;
}

function parseMany<T>(schema: z.ZodType<T>, data: unknown, label: string): T[] {
  const parsed = z.array(schema).safeParse(data);
  if (!parsed.success) throw unexpected(label, parsed.error.issues[0]?.message ?? 'shape');
  return parsed.data;
}
