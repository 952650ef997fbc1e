import { afterEach, describe, expect, it } from 'vitest';
import { childProcessEnv } from './child-env';

describe('childProcessEnv', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('keeps what programs and faketime need, drops the test settings, and adds `extra`', () => {
    // Prepare
    Object.assign(process.env, {
      PATH: '/usr/bin',
      TZ: 'America/New_York',
      LC_ALL: 'C.UTF-8',
      LD_PRELOAD: '/usr/$LIB/faketime/libfaketime.so.1',
      FAKETIME: '+400d',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      FAKETIME_SHARED: '/faketime_sem_1 /faketime_shm_1',
      SLACK_SIGNING_SECRET: 'from-the-test',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
      TABLE_PREFIX: 'test-',
    });

    // Act
    const env = childProcessEnv({ PORT: '4000' });

    // Assess
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      TZ: 'America/New_York',
      LC_ALL: 'C.UTF-8',
      LD_PRELOAD: '/usr/$LIB/faketime/libfaketime.so.1',
      FAKETIME: '+400d',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      FAKETIME_SHARED: '/faketime_sem_1 /faketime_shm_1',
      PORT: '4000',
    });
    expect(env.SLACK_SIGNING_SECRET).toBeUndefined();
    expect(env.DYNAMODB_ENDPOINT).toBeUndefined();
    expect(env.TABLE_PREFIX).toBeUndefined();
  });
});
