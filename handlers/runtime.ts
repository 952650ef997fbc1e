import { createJobHandlers } from '../app/jobs/registry';
import { buildRuntimeCore, type Runtime, type RuntimeOptions } from './runtime-core';

export { buildHttpApp, type Runtime, type RuntimeOptions } from './runtime-core';

/**
 * The runtime with every job handler attached (`app/jobs/registry.ts`, unless `options.jobHandlers`
 * says otherwise): what the worker and scheduled functions, `npm start` and the tests use. The HTTP
 * Lambda builds `buildRuntimeCore` without handlers instead, so none of them is in its bundle.
 */
export function buildRuntime(options: RuntimeOptions = {}): Runtime {
  return buildRuntimeCore({ jobHandlers: createJobHandlers, ...options });
}
