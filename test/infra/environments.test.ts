import { describe, expect, it } from 'vitest';
import { deploymentSettings, ENVIRONMENTS } from '../../infra/environments';

const settings = (context: Record<string, unknown>) => deploymentSettings((key) => context[key]);

describe('environments (-c env=…)', () => {
  it('dev by default; staging and prod by name, with their retention, protection and alarms', () => {
    expect(settings({}).name).toBe('dev');
    expect(settings({ env: 'prod' })).toMatchObject({
      protectData: true,
      alarmsEnabled: true,
      logRetention: 90,
    });
    expect(settings({ env: 'staging' })).toMatchObject({
      protectData: false,
      alarmsEnabled: true,
      logRetention: 30,
    });
    expect(settings({ env: 'dev' })).toMatchObject({
      protectData: false,
      alarmsEnabled: false,
      logRetention: 7,
    });
    expect(Object.keys(ENVIRONMENTS)).toEqual(['dev', 'staging', 'prod']);
  });

  it('refuses what it does not know instead of deploying something else', () => {
    expect(() => settings({ env: 'production' })).toThrow(
      '-c env=production: must be one of dev, staging, prod',
    );
    expect(() => settings({ agents: 'maybe' })).toThrow('-c agents=maybe');
    expect(() => settings({ agents: 'existing', agentId: 'A1' })).toThrow('-c agentAliasId');
    expect(() => settings({ knowledgeBaseId: 'kb' })).toThrow('-c knowledgeBaseId=kb');
    expect(() => settings({ approvalThresholdUsd: 'ten' })).toThrow('-c approvalThresholdUsd=ten');
    expect(() => settings({ approvalThresholdUsd: 200_000 })).toThrow('vpThresholdUsd must be greater');
  });

  it('agents: built by the stack (default), an existing one, or none (offline agent)', () => {
    expect(settings({}).agent).toEqual({ kind: 'stack', knowledgeBaseId: undefined });
    expect(settings({ knowledgeBaseId: 'KB12345678' }).agent).toEqual({
      kind: 'stack',
      knowledgeBaseId: 'KB12345678',
    });
    expect(settings({ agents: 'existing', agentId: 'AGENT1', agentAliasId: 'ALIAS1' }).agent).toEqual({
      kind: 'existing',
      agentId: 'AGENT1',
      agentAliasId: 'ALIAS1',
    });
    expect(settings({ agents: 'offline' }).agent).toEqual({ kind: 'offline' });
  });
});
