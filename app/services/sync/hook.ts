import type { Campaign, Task } from '../../domain/model';

/**
 * What Command Center's own code calls when it changes something that syncs: one call after the
 * write (task services, budget changes and approvals). It never fails the caller: a failure is
 * logged, and the change is still found later (the engine treats an unreported change as one,
 * dated by the record). Kept apart from the service so its callers import nothing else of sync.
 */
export interface SyncHook {
  taskChanged(task: Task, meta: { by: string; before?: Task | undefined }): Promise<void>;
  campaignChanged(campaign: Campaign, meta: { by: string; before?: Campaign | undefined }): Promise<void>;
}
