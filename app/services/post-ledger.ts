import { z } from 'zod';
import type { StateRecord, WorkflowStateRepository } from '../adapters/dynamo/workflow-state-repo';
import { isoInstant } from '../domain/model';
import type { PostLedger, PostLedgers, PostRecord } from '../domain/outbound-post';

/** How long a post's record is kept: past every retry of the job that posts it (jobs are kept 30 days). */
const POST_RECORD_TTL_DAYS = 30;

const PostData = z.object({
  since: isoInstant.optional(),
  ts: z.string().min(1).optional(),
  channel: z.string().min(1).optional(),
});
type PostData = z.infer<typeof PostData>;

/**
 * The ledger of crash-safe posts (`app/domain/outbound-post.ts`) in `workflow-state`:
 * `pk = post#<key>`, `sk = post`, `{ since, ts, channel }`, kept 30 days (DynamoDB TTL). Each write
 * is conditional on the version read, so two attempts that raced past their own serialisation (a
 * lapsed lease) cannot both record a post: the loser gets `ConflictError` and its job retries.
 */
export function createPostLedgers(state: WorkflowStateRepository, clock: () => Date): PostLedgers {
  return (key) => new WorkflowPostLedger(state, clock, key);
}

class WorkflowPostLedger implements PostLedger {
  private data: PostData | undefined;
  /** The stored version (also of an expired record, which a create would collide with). */
  private version: number | undefined;
  private readonly key: { pk: string; sk: string };

  constructor(
    private readonly state: WorkflowStateRepository,
    private readonly clock: () => Date,
    key: string,
  ) {
    this.key = { pk: `post#${key}`, sk: 'post' };
  }

  async read(): Promise<PostRecord | undefined> {
    const found: StateRecord<PostData> | undefined = await this.state.get(this.key, PostData);
    this.version = found?.version;
    // An expired record (TTL not yet applied) is treated as absent, as every workflow-state reader does.
    const expired = found?.expiresAt !== undefined && found.expiresAt * 1000 <= this.clock().getTime();
    this.data = expired ? undefined : found?.data;
    return this.data;
  }

  async begin(since: Date): Promise<void> {
    await this.write({ ...this.data, since: since.toISOString() });
  }

  async posted(ts: string, channel: string): Promise<void> {
    await this.write({ ...this.data, ts, channel });
  }

  private async write(data: PostData): Promise<void> {
    const expiresAt = new Date(this.clock().getTime() + POST_RECORD_TTL_DAYS * 86_400_000);
    const stored = await this.state.put(this.key, data, PostData, this.version, { expiresAt });
    this.data = stored.data;
    this.version = stored.version;
  }
}
