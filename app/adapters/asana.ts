import { z } from 'zod';
import { DownstreamError } from '../errors';
import { HttpClient } from './http-client';
import type { OutboundLimiter } from './rate-limiter';

/**
 * Asana REST client (`https://app.asana.com/api/1.0`), platform-facts §6 and Asana's OpenAPI
 * definition: bodies are wrapped in `{ "data": … }` both ways, Bearer token, errors are
 * `{ "errors": [{ "message" }] }`, 429 carries `Retry-After` (handled by the shared HTTP client).
 *
 * Notes:
 * - a project needs a `workspace` or a `team` (organisations require the team);
 * - `start_on` on a project is only accepted together with `due_on`;
 * - task dependencies are a paid feature: a free workspace answers 402, which the caller may treat
 *   as "dependencies not set" rather than a failure; a task takes at most 15 dependencies;
 * - `permalink_url` is part of the full project record returned by a create; when absent the
 *   well-known `https://app.asana.com/0/<gid>/list` form is used (UNCONFIRMED for stand-ins).
 */
export interface AsanaClientOptions {
  /** Default `https://app.asana.com/api/1.0`. */
  baseUrl: string;
  accessToken: string;
  limiter?: OutboundLimiter;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface CallOptions {
  deadline?: Date;
}

export const AsanaProject = z
  .object({
    gid: z.string().min(1),
    resource_type: z.literal('project'),
    name: z.string(),
    permalink_url: z.string().optional(),
  })
  .loose();
export type AsanaProject = z.infer<typeof AsanaProject>;

export const AsanaTask = z
  .object({
    gid: z.string().min(1),
    resource_type: z.literal('task'),
    name: z.string(),
    permalink_url: z.string().optional(),
  })
  .loose();
export type AsanaTask = z.infer<typeof AsanaTask>;

const ErrorBody = z.object({ errors: z.array(z.object({ message: z.string().optional() }).loose()).min(1) });

export interface NewAsanaProject {
  name: string;
  workspace?: string;
  team?: string;
  notes?: string;
  /** `YYYY-MM-DD`. */
  due_on?: string;
  start_on?: string;
}

export interface NewAsanaTask {
  name: string;
  projects: string[];
  completed?: boolean;
  /** `{ <custom field gid>: value }`. */
  custom_fields?: Record<string, unknown>;
  /** A user gid (or, per Asana, an email or `me`). */
  assignee?: string;
  due_on?: string;
  notes?: string;
  resource_subtype?: 'default_task' | 'milestone';
}

export type AsanaTaskUpdate = Partial<Pick<NewAsanaTask, 'name' | 'assignee' | 'due_on' | 'notes'>> & {
  completed?: boolean;
};

/** Asana caps dependencies per task. */
const ASANA_MAX_DEPENDENCIES = 15;

const TASK_STATE_FIELDS = [
  'name',
  'completed',
  'assignee',
  'due_on',
  'notes',
  'modified_at',
  'projects',
  'custom_fields',
  'permalink_url',
].join(',');
const PROJECT_STATE_FIELDS = [
  'name',
  'notes',
  'completed',
  'modified_at',
  'custom_fields',
  'permalink_url',
].join(',');

export class AsanaClient {
  private readonly http: HttpClient;

  constructor(options: AsanaClientOptions) {
    this.http = new HttpClient({
      service: 'asana',
      baseUrl: options.baseUrl,
      headers: { authorization: `Bearer ${options.accessToken}` },
      ...(options.limiter ? { limiter: options.limiter } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.now ? { now: options.now } : {}),
      errorMessage: (body) => {
        const parsed = ErrorBody.safeParse(body);
        return parsed.success
          ? parsed.data.errors
              .map((e) => e.message)
              .filter(Boolean)
              .join('; ') || undefined
          : undefined;
      },
    });
  }

  /** The project's page: its `permalink_url`, or the well-known list URL. */
  static projectUrl(project: AsanaProject): string {
    return project.permalink_url ?? `https://app.asana.com/0/${encodeURIComponent(project.gid)}/list`;
  }

  async createProject(input: NewAsanaProject, options: CallOptions = {}): Promise<AsanaProject> {
    if (!input.workspace && !input.team) {
      throw new DownstreamError('asana create project: a workspace or a team is required', 'asana', false);
    }
    const data = compact({ ...input, start_on: input.due_on ? input.start_on : undefined });
    return this.call(AsanaProject, 'POST', '/projects', { data }, 'create project', options);
  }

  async getProject(projectGid: string, options: CallOptions = {}): Promise<AsanaProject> {
    return this.call(AsanaProject, 'GET', `/projects/${enc(projectGid)}`, undefined, 'get project', options);
  }

  /** One page (≤100) of a workspace's projects with their notes, newest last (Asana's order). */
  async listProjects(
    workspaceGid: string,
    offset: string | undefined,
    options: CallOptions = {},
  ): Promise<{ projects: AsanaProject[]; nextOffset: string | undefined }> {
    const response = await this.http.request({
      method: 'GET',
      path: '/projects',
      query: { workspace: workspaceGid, limit: '100', opt_fields: 'name,notes,permalink_url', offset },
      label: 'list projects',
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
    const parsed = z
      .object({
        data: z.array(AsanaProject.partial({ resource_type: true })),
        next_page: z.object({ offset: z.string() }).nullable().optional(),
      })
      .safeParse(response.body);
    if (!parsed.success) throw unexpected('list projects', parsed.error.issues[0]?.message ?? 'shape');
    return {
      projects: parsed.data.data.map((p) => ({ ...p, resource_type: 'project' as const })),
      nextOffset: parsed.data.next_page?.offset,
    };
  }

  async createTask(input: NewAsanaTask, options: CallOptions = {}): Promise<AsanaTask> {
    return this.call(AsanaTask, 'POST', '/tasks', { data: compact({ ...input }) }, 'create task', options);
  }

  async getTask(taskGid: string, options: CallOptions = {}): Promise<AsanaTask> {
    return this.call(AsanaTask, 'GET', `/tasks/${enc(taskGid)}`, undefined, 'get task', options);
  }

  async updateTask(taskGid: string, updates: AsanaTaskUpdate, options: CallOptions = {}): Promise<AsanaTask> {
    return this.call(
      AsanaTask,
      'PUT',
      `/tasks/${enc(taskGid)}`,
      { data: compact({ ...updates }) },
      'update task',
      options,
    );
  }

  /**
   * A task with the fields sync compares (its current state: Asana's webhook events are compact).
   * UNCONFIRMED for stand-ins: `custom_fields[].number_value|text_value|date_value.date`.
   */
  async getTaskState(taskGid: string, options: CallOptions = {}): Promise<AsanaTask> {
    return this.call(
      AsanaTask,
      'GET',
      `/tasks/${enc(taskGid)}?opt_fields=${TASK_STATE_FIELDS}`,
      undefined,
      'get task',
      options,
    );
  }

  /** A project with the fields sync compares. */
  async getProjectState(projectGid: string, options: CallOptions = {}): Promise<AsanaProject> {
    return this.call(
      AsanaProject,
      'GET',
      `/projects/${enc(projectGid)}?opt_fields=${PROJECT_STATE_FIELDS}`,
      undefined,
      'get project',
      options,
    );
  }

  /** Changes only the sent fields (`custom_fields: { <gid>: value }` included). */
  async updateTaskFields(
    taskGid: string,
    data: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<AsanaTask> {
    return this.call(AsanaTask, 'PUT', `/tasks/${enc(taskGid)}`, { data }, 'update task', options);
  }

  async updateProjectFields(
    projectGid: string,
    data: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<AsanaProject> {
    return this.call(
      AsanaProject,
      'PUT',
      `/projects/${enc(projectGid)}`,
      { data },
      'update project',
      options,
    );
  }

  /** Puts a task into a project (`POST /tasks/{gid}/addProject`), or takes it out. */
  async setTaskProject(
    taskGid: string,
    projectGid: string,
    action: 'addProject' | 'removeProject',
    options: CallOptions = {},
  ): Promise<void> {
    await this.call(
      z.object({}).loose(),
      'POST',
      `/tasks/${enc(taskGid)}/${action}`,
      { data: { project: projectGid } },
      action,
      options,
    );
  }

  /**
   * Establishes a webhook on `resourceGid`. Asana POSTs the `X-Hook-Secret` handshake to `target`
   * while this call is in flight; the intake must already be answering there.
   */
  async createWebhook(
    resourceGid: string,
    target: string,
    options: CallOptions = {},
  ): Promise<{ gid: string; active?: boolean | undefined }> {
    return this.call(
      z.object({ gid: z.string().min(1), active: z.boolean().optional() }).loose(),
      'POST',
      '/webhooks',
      { data: { resource: resourceGid, target } },
      'create webhook',
      options,
    );
  }

  /** The user this token acts as: our own changes come back in webhooks with this gid. */
  async me(options: CallOptions = {}): Promise<{ gid: string }> {
    return this.call(
      z.object({ gid: z.string().min(1) }).loose(),
      'GET',
      '/users/me',
      undefined,
      'get me',
      options,
    );
  }

  /** A project's tasks (first 100; templates are far smaller). */
  async listProjectTasks(projectGid: string, options: CallOptions = {}): Promise<AsanaTask[]> {
    const response = await this.http.request({
      method: 'GET',
      path: '/tasks',
      query: { project: projectGid, limit: '100', opt_fields: 'name,notes' },
      label: 'list tasks',
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
    const parsed = z
      .object({ data: z.array(AsanaTask.partial({ resource_type: true })) })
      .safeParse(response.body);
    if (!parsed.success) throw unexpected('list tasks', parsed.error.issues[0]?.message ?? 'shape');
    return parsed.data.data.map((t) => ({ ...t, resource_type: 'task' as const }));
  }

  /** Marks `dependencyGids` as tasks `taskGid` waits on. Asana answers `{ data: {} }`. */
  async addDependencies(taskGid: string, dependencyGids: string[], options: CallOptions = {}): Promise<void> {
    if (dependencyGids.length === 0) return;
    if (dependencyGids.length > ASANA_MAX_DEPENDENCIES) {
      throw new DownstreamError(
        `asana add dependencies: at most ${ASANA_MAX_DEPENDENCIES} per task`,
        'asana',
        false,
      );
    }
    const response = await this.http.request({
      method: 'POST',
      path: `/tasks/${enc(taskGid)}/addDependencies`,
      json: { data: { dependencies: dependencyGids } },
      label: 'add dependencies',
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
    if (!z.object({ data: z.object({}).loose() }).safeParse(response.body).success) {
      throw unexpected('add dependencies', 'no "data" object');
    }
  }

  private async call<T>(
    schema: z.ZodType<T>,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    json: unknown,
    label: string,
    options: CallOptions,
  ): Promise<T> {
    const response = await this.http.request({
      method,
      path,
      ...(json !== undefined ? { json } : {}),
      label,
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
    const body = response.body;
    const data = typeof body === 'object' && body !== null && 'data' in body ? body.data : undefined;
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw unexpected(label, parsed.error.issues[0]?.message ?? 'shape');
    return parsed.data;
  }
}

function enc(gid: string): string {
  return encodeURIComponent(gid);
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function unexpected(label: string, detail: string): DownstreamError {
  return new DownstreamError(`asana ${label}: unexpected response (${detail})`, 'asana', false);
}
