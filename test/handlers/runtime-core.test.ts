import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { buildHttpApp, buildRuntimeCore } from '../../handlers/runtime-core';

describe('buildHttpApp (handlers/runtime-core.ts)', () => {
  it.each([
    ['debug', LogLevel.DEBUG],
    ['warn', LogLevel.WARN],
    ['error', LogLevel.ERROR],
  ] as const)(
    'keeps LOG_LEVEL=%s once Bolt has its logger (Bolt would reset it to INFO)',
    (level, expected) => {
      // Prepare: no store call is made, so the endpoint need not answer.
      const runtime = buildRuntimeCore({
        env: {
          SLACK_SIGNING_SECRET: 'runtime-core-secret',
          DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
          TABLE_PREFIX: 'runtime-core-',
          LOG_LEVEL: level,
        },
        sink: () => undefined,
      });

      // Act
      buildHttpApp(runtime);

      // Assess
      expect(runtime.logger.getLevel()).toBe(expected);
    },
  );
});
