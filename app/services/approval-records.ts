import { type Approval, currentLevel } from '../domain/approval';
import type { ApprovalStatus } from '../domain/model';
import { ConflictError, NotFoundError } from '../errors';
import type { ApprovalServiceDeps, ApprovalView } from './approval-ports';
import { withdrawn } from './approval-transitions';

/** Conditional writes lost to a concurrent change are retried this many times (re-reading each time). */
export const MAX_WRITE_ATTEMPTS = 8;

/** Reads and version-conditioned writes of approval records, shared by the service and its follow-up. */
export class ApprovalRecords {
  constructor(
    private readonly deps: Pick<ApprovalServiceDeps, 'repo' | 'campaigns' | 'directory' | 'clock'>,
  ) {}

  /** What a request message shows now. */
  async view(approval: Approval): Promise<ApprovalView> {
    const campaign = await this.deps.campaigns.get(approval.campaignId);
    return { approval, campaign, mentions: this.deps.directory.mentions(currentLevel(approval)) };
  }

  /** Read-modify-write with the version condition, retried on a stale read (bookkeeping fields only). */
  async patch(
    approvalId: string,
    change: (current: Approval) => Approval,
    requireStatus?: ApprovalStatus,
  ): Promise<Approval> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.deps.repo.get(approvalId);
      if (!current) throw new NotFoundError(`approval ${approvalId} no longer exists`);
      if (requireStatus && current.status !== requireStatus) {
        throw new ConflictError(`approval ${approvalId} is ${current.status}`);
      }
      try {
        return await this.deps.repo.update(
          { ...change(current), updatedAt: this.deps.clock().toISOString() },
          current.version,
          requireStatus ? { requireStatus } : {},
        );
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new ConflictError(`approval ${approvalId} kept changing`);
  }

  /** Withdraws a PENDING request nobody could decide (CANCELLED by `system`, in its history). */
  withdrawBySystem(approvalId: string, reason: string): Promise<Approval> {
    const at = this.deps.clock().toISOString();
    return this.patch(approvalId, (current) => withdrawn(current, reason, at), 'PENDING');
  }
}
