import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalRepository } from '../../../../app/adapters/dynamo/approval-repo';
import { createDocumentClient } from '../../../../app/adapters/dynamo/client';
import { tableNames } from '../../../../app/adapters/dynamo/tables';
import type { Approval } from '../../../../app/domain/approval';
import { ConflictError } from '../../../../app/errors';
import { type LocalDynamo, startLocalDynamo } from '../../../../dev/local-dynamo';
import { anApproval as anyApproval } from '../../../helpers/approvals/records';

const anApproval = (overrides: Partial<Approval> = {}) => anyApproval({ approvalId: 'apr_1', ...overrides });

let dynamo: LocalDynamo;
let repo: ApprovalRepository;
beforeEach(async () => {
  dynamo = await startLocalDynamo({ prefix: 't-' });
  repo = new ApprovalRepository(
    createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint }),
    tableNames('t-').approvals,
  );
});
afterEach(async () => {
  await dynamo.close();
});

describe('ApprovalRepository', () => {
  it('creates once; a second create with the same id is a ConflictError', async () => {
    await repo.create(anApproval());
    await expect(repo.create(anApproval())).rejects.toThrow(ConflictError);
    expect(await repo.get('apr_1')).toMatchObject({ approvalId: 'apr_1', version: 1 });
    expect(await repo.get('apr_none')).toBeUndefined();
  });

  it('update is conditional on the version and, when asked, on the status', async () => {
    await repo.create(anApproval());
    const decided = await repo.update(anApproval({ status: 'APPROVED' }), 1, { requireStatus: 'PENDING' });
    expect(decided.version).toBe(2);
    // Stale version
    await expect(repo.update(anApproval({ status: 'REJECTED' }), 1)).rejects.toThrow(ConflictError);
    // Right version, wrong status
    await expect(
      repo.update(anApproval({ status: 'REJECTED' }), 2, { requireStatus: 'PENDING' }),
    ).rejects.toThrow(ConflictError);
    expect((await repo.get('apr_1'))?.status).toBe('APPROVED');
  });

  it('lists by status and by campaign through the GSIs, oldest first, across pages', async () => {
    for (let i = 0; i < 5; i++) {
      await repo.create(
        anApproval({
          approvalId: `apr_${i}`,
          campaignId: i < 3 ? 'cmp-1' : 'cmp-2',
          status: i === 4 ? 'APPROVED' : 'PENDING',
          createdAt: `2026-11-2${i}T10:00:00.000Z`,
        }),
      );
    }
    expect((await repo.listByStatus('PENDING')).map((a) => a.approvalId)).toEqual([
      'apr_0',
      'apr_1',
      'apr_2',
      'apr_3',
    ]);
    expect((await repo.listByStatus('PENDING', 2)).map((a) => a.approvalId)).toEqual(['apr_0', 'apr_1']);
    expect((await repo.listByCampaign('cmp-2')).map((a) => a.approvalId)).toEqual(['apr_3', 'apr_4']);
  });
});
