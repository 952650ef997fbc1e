/**
 * How long a job may run and how long its claim lasts, apart from `jobs.ts` so the CDK stack can size
 * the worker's timeout from the same numbers (`infra/stacks/command-center-stack.ts`): the worker's
 * timeout must leave room for the time budget and stay under the lease, or a job still running could
 * be claimed a second time.
 */
export const JOB_TIME_BUDGET_MS = 60_000;

/** A claim lasts the time budget plus this margin (the worker's timeout must end before it). */
export const JOB_LEASE_MARGIN_MS = 30_000;
