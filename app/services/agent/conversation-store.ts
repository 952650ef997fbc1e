import { z } from 'zod';
import type { StateRecord } from '../../adapters/dynamo/workflow-state-repo';
import { ConflictError } from '../../errors';
import { type ConversationAddress, conversationKey, sessionIdFor } from './session-id';

/**
 * The agent's conversation state in `workflow-state`, one partition per conversation
 * (`pk = thread#<team>.<channel>.<thread ts | dm>`):
 * - `sk = conversation`: the Bedrock session id, who took part, how many turns — so a follow-up in
 *   the same thread continues the same session;
 * - `sk = pending#<invocationId>`: a return-of-control waiting for the user's confirmation or an
 *   approval, with the results already computed, so the resume job can answer the agent;
 * - `sk = ask#<id>`: a `/mcc ask` turn's `response_url` and, once answered, the answer (for
 *   "Share in channel"). The `response_url` is a short-lived capability, so it is kept here and
 *   never in a job payload or a log line.
 * Raw questions are not stored; answers only for `/mcc ask` (Share needs them).
 */
export interface WorkflowStatePort {
  get<S extends z.ZodType>(
    key: { pk: string; sk: string },
    schema: S,
  ): Promise<StateRecord<z.output<S>> | undefined>;
  put<S extends z.ZodType>(
    key: { pk: string; sk: string },
    data: z.input<S>,
    schema: S,
    expectedVersion?: number,
    options?: { expiresAt?: Date },
  ): Promise<StateRecord<z.output<S>>>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * How long each record lives (DynamoDB TTL on `expiresAt`, refreshed on every write). Reads treat an
 * expired record as absent, because DynamoDB deletes late (up to days) and the local engine never.
 * - conversation: 30 days after the last turn (Bedrock keeps a session at most 90 minutes idle;
 *   the record only keeps the thread's turn count and participants after that);
 * - pending action: 30 days, well past an approval's expiry (APPROVAL_EXPIRY_DAYS, default 5);
 * - ask: 1 day — its response_url dies after 30 minutes; the answer is kept for "Share in channel".
 */
export const RECORD_TTL_MS = { conversation: 30 * DAY_MS, pending: 30 * DAY_MS, ask: DAY_MS } as const;

export const ConversationData = z.object({
  sessionId: z.string(),
  teamId: z.string(),
  channelId: z.string(),
  threadTs: z.string().optional(),
  startedBy: z.string(),
  participants: z.array(z.string()),
  turns: z.number().int().nonnegative(),
  lastTurnAt: z.string(),
});
export type ConversationData = z.infer<typeof ConversationData>;

const ThreadTarget = z.object({
  kind: z.literal('thread'),
  channelId: z.string(),
  /** Thread to answer in; absent for a top-level DM reply. */
  threadTs: z.string().optional(),
  /** The "working…" message to update; absent when it could not be posted. */
  placeholderTs: z.string().optional(),
});
const EphemeralTarget = z.object({
  kind: z.literal('ephemeral'),
  channelId: z.string(),
  userId: z.string(),
  /** Key of the `ask#…` record holding the response_url. */
  askId: z.string(),
});
/** Where a turn's answer goes. Serialisable: it travels in job payloads (no secrets in it). */
export const ReplyTarget = z.discriminatedUnion('kind', [ThreadTarget, EphemeralTarget]);
export type ReplyTarget = z.infer<typeof ReplyTarget>;

const FunctionCallData = z.object({
  actionGroup: z.string(),
  function: z.string(),
  parameters: z.record(z.string(), z.string()),
  needsConfirmation: z.boolean(),
  agentId: z.string().optional(),
  collaboratorName: z.string().optional(),
});

/** An OpenAPI action the agent asked for; never executed, answered with FAILURE (see `AgentApiCall`). */
const ApiCallData = z.object({
  actionGroup: z.string(),
  apiPath: z.string(),
  httpMethod: z.string(),
  needsConfirmation: z.boolean(),
  agentId: z.string().optional(),
});

export const FunctionOutcomeData = z.object({
  state: z.enum(['done', 'failed', 'reprompt', 'denied', 'pending_approval']),
  /** Text returned to the agent (and shown to the user for failures). */
  body: z.string(),
  approvalId: z.string().optional(),
});
export type FunctionOutcomeData = z.infer<typeof FunctionOutcomeData>;

export const PendingData = z.object({
  invocationId: z.string(),
  conversationKey: z.string(),
  sessionId: z.string(),
  teamId: z.string(),
  userId: z.string(),
  target: ReplyTarget,
  calls: z.array(FunctionCallData),
  /** OpenAPI actions in the same hand-back; each gets a FAILURE result with the function results. */
  apiCalls: z.array(ApiCallData).default([]),
  /** One per call once known; `pending_approval` ones are filled when the decision arrives. */
  outcomes: z.array(FunctionOutcomeData.nullable()),
  /**
   * `results_ready`: every call has its result, stored before the agent is re-invoked, so a retried
   * resume job re-sends the results instead of running the actions twice.
   */
  state: z.enum([
    'awaiting_confirmation',
    'confirmed',
    'denied',
    'awaiting_approval',
    'results_ready',
    'completed',
  ]),
  /** The user's answer to a confirmation, once given. */
  confirmation: z.enum(['CONFIRM', 'DENY']).optional(),
  /** The message showing the confirmation buttons / the waiting note. */
  messageTs: z.string().optional(),
  decidedBy: z.string().optional(),
});
export type PendingData = z.infer<typeof PendingData>;

/**
 * One action run by one job (`sk = action#<job id>#<function>#<n>`): claimed before the action
 * runs and given its outcome after, so a retried job (a crash or timeout after the action ran)
 * never runs it twice — the retry re-uses the outcome, or says it may already have happened.
 */
const ActionRunData = z.object({
  state: z.enum(['running', 'done']),
  startedAt: z.string(),
  outcome: FunctionOutcomeData.optional(),
});

export const AskData = z.object({
  userId: z.string(),
  channelId: z.string(),
  responseUrl: z.string().url(),
  /** response_url posts used so far (Slack allows 5 in 30 minutes). */
  posts: z.number().int().nonnegative(),
  createdAt: z.string(),
  answerMrkdwn: z.string().optional(),
  /** Who answered and what was cited, so a shared answer keeps its attribution and sources. */
  collaborators: z.array(z.string()).optional(),
  citations: z.array(z.object({ title: z.string(), url: z.string().optional() })).optional(),
  shared: z.boolean().optional(),
  /** The job sharing it: a retry of that job carries on, any other Share click is told it is shared. */
  sharedBy: z.string().optional(),
});
export type AskData = z.infer<typeof AskData>;

const CONVERSATION_SK = 'conversation';

export class ConversationStore {
  constructor(
    private readonly state: WorkflowStatePort,
    private readonly clock: () => Date,
  ) {}

  static partition(key: string): string {
    return `thread#${key}`;
  }

  /** The conversation for `address`, created on first use; counts this turn and its participant. */
  async beginTurn(address: ConversationAddress, userId: string): Promise<ConversationData & { key: string }> {
    const key = conversationKey(address);
    const pk = ConversationStore.partition(key);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const now = this.clock().toISOString();
      const existing = await this.state.get({ pk, sk: CONVERSATION_SK }, ConversationData);
      // An expired record starts the conversation afresh but is replaced at its version (it still exists).
      const live = existing && !this.expired(existing) ? existing.data : undefined;
      const base: ConversationData = live ?? {
        sessionId: sessionIdFor(address),
        teamId: address.teamId,
        channelId: address.channelId,
        ...(address.threadTs ? { threadTs: address.threadTs } : {}),
        startedBy: userId,
        participants: [],
        turns: 0,
        lastTurnAt: now,
      };
      const next: ConversationData = {
        ...base,
        participants: base.participants.includes(userId)
          ? base.participants
          : [...base.participants, userId].slice(-50),
        turns: base.turns + 1,
        lastTurnAt: now,
      };
      try {
        await this.state.put({ pk, sk: CONVERSATION_SK }, next, ConversationData, existing?.version, {
          expiresAt: this.expiry('conversation'),
        });
        return { ...next, key };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new ConflictError(`conversation ${key} kept changing`);
  }

  async getPending(
    conversation: string,
    invocationId: string,
  ): Promise<StateRecord<PendingData> | undefined> {
    return this.live(
      await this.state.get(
        { pk: ConversationStore.partition(conversation), sk: `pending#${invocationId}` },
        PendingData,
      ),
    );
  }

  /** Creates (no version) or replaces exactly `expectedVersion`; `ConflictError` when someone else won. */
  async putPending(data: PendingData, expectedVersion?: number): Promise<StateRecord<PendingData>> {
    return this.state.put(
      { pk: ConversationStore.partition(data.conversationKey), sk: `pending#${data.invocationId}` },
      data,
      PendingData,
      expectedVersion,
      { expiresAt: this.expiry('pending') },
    );
  }

  /**
   * Claims an action run (create-only write). `claimed: false` when an earlier attempt got there
   * first: its outcome when it finished, undefined when it was interrupted while running.
   */
  async claimAction(
    conversation: string,
    runKey: string,
  ): Promise<
    { claimed: true; version: number } | { claimed: false; outcome: FunctionOutcomeData | undefined }
  > {
    const key = { pk: ConversationStore.partition(conversation), sk: `action#${runKey}` };
    try {
      const record = await this.state.put(
        key,
        { state: 'running', startedAt: this.clock().toISOString() },
        ActionRunData,
        undefined,
        { expiresAt: this.expiry('pending') },
      );
      return { claimed: true, version: record.version };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const earlier = await this.state.get(key, ActionRunData);
      return { claimed: false, outcome: earlier?.data.outcome };
    }
  }

  /** Stores the outcome of a claimed action run. */
  async finishAction(
    conversation: string,
    runKey: string,
    version: number,
    outcome: FunctionOutcomeData,
  ): Promise<void> {
    const key = { pk: ConversationStore.partition(conversation), sk: `action#${runKey}` };
    const claimed = await this.state.get(key, ActionRunData);
    await this.state.put(
      key,
      { state: 'done', startedAt: claimed?.data.startedAt ?? this.clock().toISOString(), outcome },
      ActionRunData,
      version,
      { expiresAt: this.expiry('pending') },
    );
  }

  async createAsk(askId: string, data: AskData): Promise<void> {
    await this.state.put({ pk: `ask#${askId}`, sk: 'ask' }, data, AskData, undefined, {
      expiresAt: this.expiry('ask'),
    });
  }

  /** The ask, or undefined when unknown or expired (its response_url is long dead by then). */
  async getAsk(askId: string): Promise<StateRecord<AskData> | undefined> {
    return this.live(await this.state.get({ pk: `ask#${askId}`, sk: 'ask' }, AskData));
  }

  async putAsk(askId: string, data: AskData, expectedVersion: number): Promise<StateRecord<AskData>> {
    // The ask keeps the expiry it was created with: a Share click does not extend the answer's life.
    const createdAt = Date.parse(data.createdAt);
    const expiresAt = Number.isNaN(createdAt) ? this.expiry('ask') : new Date(createdAt + RECORD_TTL_MS.ask);
    return this.state.put({ pk: `ask#${askId}`, sk: 'ask' }, data, AskData, expectedVersion, { expiresAt });
  }

  private expiry(kind: keyof typeof RECORD_TTL_MS): Date {
    return new Date(this.clock().getTime() + RECORD_TTL_MS[kind]);
  }

  private expired(record: { expiresAt?: number | undefined }): boolean {
    return record.expiresAt !== undefined && record.expiresAt * 1000 <= this.clock().getTime();
  }

  private live<T extends { expiresAt?: number | undefined }>(record: T | undefined): T | undefined {
    return record && !this.expired(record) ? record : undefined;
  }
}
