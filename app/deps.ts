import type { Config } from './config';
import type { AppLogger } from './logger';
import type { Services } from './services';

/** What every listener and route gets: configuration, logger, services and a clock. */
export interface AppDeps {
  config: Config;
  logger: AppLogger;
  services: Services;
  clock: () => Date;
  /** Modes reported by /healthz. */
  modes: RuntimeModes;
}

export interface RuntimeModes {
  dynamodb: 'local' | 'cloud';
  agent: 'offline' | 'bedrock';
  slack: 'stand-in' | 'real';
  transport: 'http' | 'socket-mode';
  jobs: 'in-process' | 'lambda';
  scheduler: 'in-process' | 'eventbridge';
}
