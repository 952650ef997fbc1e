import type { AsanaClient } from '../../adapters/asana';
import type { WorkfrontClient } from '../../adapters/workfront';
import type { WorkSystem } from '../../domain/model';
import type { SyncObjectKind } from '../../domain/sync';
import { DownstreamError } from '../../errors';
import { markerReference } from './change';
import type { CustomFieldMap, SystemCodecs } from './codecs';
import { extract, workfrontFields } from './extract';
import type { RemoteCall, RemoteSide, RemoteState } from './ports';

/**
 * Workfront and Asana as the sync engine's remote side, through their REST clients (which carry the
 * shared rate limits, 429 Retry-After and retryable/non-retryable error mapping).
 */
export interface WorkSystemRemoteOptions {
  workfront: WorkfrontClient | undefined;
  asana: AsanaClient | undefined;
  codecs: Record<WorkSystem, SystemCodecs>;
  custom: Record<WorkSystem, CustomFieldMap>;
  /** Workfront's API user (its `lastUpdatedByID` on our writes), when configured. */
  workfrontApiUserId?: string | undefined;
}

const notConfigured = (system: WorkSystem) =>
  new DownstreamError(
    system === 'asana'
      ? 'Asana is not configured (ASANA_ACCESS_TOKEN), so the change could not be sent to Asana.'
      : 'Workfront is not configured (WORKFRONT_BASE_URL, WORKFRONT_API_KEY), so the change could not be sent to Workfront.',
    system,
    false,
  );

export class WorkSystemRemote implements RemoteSide {
  private asanaSelf: Promise<string | undefined> | undefined;

  constructor(private readonly options: WorkSystemRemoteOptions) {}

  async read(
    system: WorkSystem,
    kind: SyncObjectKind,
    externalId: string,
    call: RemoteCall,
  ): Promise<RemoteState> {
    try {
      const record =
        system === 'asana'
          ? kind === 'task'
            ? await this.asana().getTaskState(externalId, call)
            : await this.asana().getProjectState(externalId, call)
          : await this.workfront().getState(
              kind === 'task' ? 'TASK' : 'PROJ',
              externalId,
              workfrontFields(kind, this.options.custom.workfront),
              call,
            );
      const read = extract(system, kind, record, this.options.custom[system], this.options.codecs[system]);
      return {
        exists: true,
        values: read.values,
        parentIds: read.parentIds,
        modifiedAt: read.modifiedAt,
        modifiedBy: read.modifiedBy,
        ref: read.ref,
        name: read.name,
      };
    } catch (error) {
      if (error instanceof DownstreamError && error.status === 404) return { exists: false, values: {} };
      throw error;
    }
  }

  async update(
    system: WorkSystem,
    kind: SyncObjectKind,
    externalId: string,
    patch: Record<string, unknown>,
    call: RemoteCall,
  ): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    if (system === 'asana') {
      if (kind === 'task') await this.asana().updateTaskFields(externalId, patch, call);
      else await this.asana().updateProjectFields(externalId, patch, call);
      return;
    }
    await this.workfront().updateFields(kind === 'task' ? 'TASK' : 'PROJ', externalId, patch, call);
  }

  async createTask(
    system: WorkSystem,
    input: { projectId: string; campaignId: string; taskId: string; patch: Record<string, unknown> },
    call: RemoteCall,
  ): Promise<string> {
    const reference = `${input.campaignId}:${input.taskId}`;
    const name =
      typeof input.patch.name === 'string' && input.patch.name !== '' ? input.patch.name : input.taskId;
    if (system === 'asana') {
      const asana = this.asana();
      // An earlier attempt may have created it before its response was lost: find it by our marker.
      const existing = await asana.listProjectTasks(input.projectId, call);
      const found = existing.find((t) => {
        const ref = markerReference(t.notes);
        return ref?.kind === 'task' && ref.campaignId === input.campaignId && ref.taskId === input.taskId;
      });
      if (found) return found.gid;
      const { name: _name, ...rest } = input.patch;
      const created = await asana.createTask(
        { name, projects: [input.projectId], notes: `Created by Command Center [mcc:${reference}]`, ...rest },
        call,
      );
      return created.gid;
    }
    const workfront = this.workfront();
    const [found] = await workfront.findTasksByRef(reference, call);
    if (found) return found.ID;
    const patch = input.patch;
    const created = await workfront.createTask(
      {
        projectID: input.projectId,
        name,
        extRefID: reference,
        ...(typeof patch.plannedCompletionDate === 'string'
          ? { plannedCompletionDate: patch.plannedCompletionDate }
          : {}),
        ...(typeof patch.assignedToID === 'string' ? { assignedToID: patch.assignedToID } : {}),
        ...(typeof patch.status === 'string' ? { status: patch.status } : {}),
      },
      call,
    );
    return created.ID;
  }

  async moveTask(
    system: WorkSystem,
    externalId: string,
    projectId: string,
    fromProjectId: string | undefined,
    call: RemoteCall,
  ): Promise<void> {
    if (system === 'asana') {
      await this.asana().setTaskProject(externalId, projectId, 'addProject', call);
      if (fromProjectId && fromProjectId !== projectId) {
        await this.asana().setTaskProject(externalId, fromProjectId, 'removeProject', call);
      }
      return;
    }
    // UNCONFIRMED: Workfront moves a task by an update of its `projectID`.
    await this.workfront().updateFields('TASK', externalId, { projectID: projectId }, call);
  }

  async selfUserId(system: WorkSystem): Promise<string | undefined> {
    if (system === 'workfront') return this.options.workfrontApiUserId;
    if (!this.options.asana) return undefined;
    // Asked once per container; a failure is not kept, so the next call asks again.
    this.asanaSelf ??= this.options.asana.me().then(
      (me) => me.gid,
      () => {
        this.asanaSelf = undefined;
        return undefined;
      },
    );
    return this.asanaSelf;
  }

  private asana(): AsanaClient {
    if (!this.options.asana) throw notConfigured('asana');
    return this.options.asana;
  }

  private workfront(): WorkfrontClient {
    if (!this.options.workfront) throw notConfigured('workfront');
    return this.options.workfront;
  }
}
