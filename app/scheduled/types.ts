/** Runs one scheduled payload (its `kind` picked the handler). Throw to have the delivery retried. */
export type ScheduledHandler = (payload: Record<string, unknown>) => Promise<void>;
