import { z } from 'zod';

/**
 * Webhook payloads as they arrive, parsed at the edge (platform-facts §6, §7). Anything that does
 * not fit is a 400 and nothing is stored.
 */

/** Asana event (webhook form: compact; `change` values are only `{gid, resource_type}`). */
export const AsanaEvent = z
  .object({
    user: z
      .object({ gid: z.string().min(1) })
      .loose()
      .nullable()
      .optional(),
    created_at: z.iso.datetime({ offset: true }),
    action: z.enum(['changed', 'added', 'removed', 'deleted', 'undeleted']),
    resource: z
      .object({
        gid: z.string().min(1),
        resource_type: z.string().min(1),
        resource_subtype: z.string().optional(),
      })
      .loose(),
    parent: z
      .object({ gid: z.string().min(1), resource_type: z.string().min(1) })
      .loose()
      .nullable()
      .optional(),
    change: z
      .object({ field: z.string().min(1), action: z.string().min(1) })
      .loose()
      .optional(),
  })
  .loose();
export type AsanaEvent = z.infer<typeof AsanaEvent>;

/** `{"events": [...]}`; an empty list is a heartbeat. */
export const AsanaDelivery = z.object({ events: z.array(AsanaEvent).max(20_000) }).loose();

/** The objects our Workfront subscriptions deliver. */
export const WORKFRONT_OBJ_CODES = ['PROJ', 'TASK', 'OPTASK', 'NOTE', 'DOCU'] as const;
export type WorkfrontObjCode = (typeof WORKFRONT_OBJ_CODES)[number];

/** `newState`/`oldState`: an object, or (with `base64Encoding`) base64 of its JSON. */
const WorkfrontState = z.union([z.record(z.string(), z.unknown()), z.string()]);

export const WorkfrontDelivery = z
  .object({
    eventType: z.enum(['CREATE', 'UPDATE', 'DELETE', 'SHARE']),
    subscriptionId: z.string().min(1),
    eventTime: z.object({
      epochSecond: z.number().int().nonnegative(),
      nano: z.number().int().nonnegative(),
    }),
    newState: WorkfrontState.optional(),
    oldState: WorkfrontState.optional(),
  })
  .loose();
export type WorkfrontDelivery = z.infer<typeof WorkfrontDelivery>;

/** A Workfront delivery with both states decoded into objects. */
export interface DecodedWorkfrontEvent {
  eventType: WorkfrontDelivery['eventType'];
  subscriptionId: string;
  /** ISO instant of `eventTime` (millisecond precision). */
  at: string;
  /** Nanosecond-exact ordering key. */
  eventTime: { epochSecond: number; nano: number };
  objCode: WorkfrontObjCode;
  id: string;
  newState: Record<string, unknown>;
  oldState: Record<string, unknown>;
  base64: boolean;
}

/** Decodes a base64 state; throws with a message naming what is wrong. */
export function decodeState(state: unknown, which: string): Record<string, unknown> {
  if (state === undefined || state === null) return {};
  if (typeof state !== 'string') return state as Record<string, unknown>;
  const text = Buffer.from(state, 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${which} is not base64-encoded JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${which} does not decode to an object`);
  }
  return parsed as Record<string, unknown>;
}
