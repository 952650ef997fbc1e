import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { actionsOf, resources, roleOfFunction, statementsOfRole, synth } from './synth';

const FUNCTIONS = ['http', 'worker', 'scheduled'] as const;

/** Statements of a function's role whose actions include one starting with `prefix`. */
function statementsWith(context: Record<string, unknown>, fn: string, prefix: string) {
  const { template } = synth(context);
  const env = (context.env as string | undefined) ?? 'dev';
  return statementsOfRole(template, roleOfFunction(template, `mcc-${env}-${fn}`)).filter((s) =>
    actionsOf(s).some((action) => action.startsWith(prefix)),
  );
}

describe('IAM: least privilege through grants', () => {
  it('no statement anywhere allows every action', () => {
    const { template } = synth({ env: 'prod' });
    for (const policy of Object.values(resources(template, 'AWS::IAM::Policy'))) {
      for (const statement of (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
        .Statement) {
        for (const action of actionsOf(statement)) expect(action).not.toMatch(/^\*$|:\*$/);
      }
    }
  });

  it('only the worker may invoke the agent, and only the supervisor’s alias', () => {
    for (const fn of ['http', 'scheduled'])
      expect(statementsWith({ env: 'prod' }, fn, 'bedrock:')).toEqual([]);
    const [statement, ...others] = statementsWith({ env: 'prod' }, 'worker', 'bedrock:');
    expect(others).toEqual([]);
    expect(actionsOf(statement ?? {}).sort()).toEqual([
      'bedrock:InvokeAgent',
      'bedrock:InvokeModelWithResponseStream',
    ]);
    const { template } = synth({ env: 'prod' });
    const [aliasId] = Object.entries(resources(template, 'AWS::Bedrock::AgentAlias')).find(([id]) =>
      id.includes('SupervisorAlias'),
    ) ?? [''];
    expect(aliasId).not.toBe('');
    expect(JSON.stringify(statement?.Resource)).toContain(aliasId);
    expect(JSON.stringify(statement?.Resource)).toContain(':agent-alias/');
  });

  it('an existing agent: InvokeAgent on exactly that alias', () => {
    const context = { env: 'staging', agents: 'existing', agentId: 'AGENT12345', agentAliasId: 'ALIAS12345' };
    const [statement] = statementsWith(context, 'worker', 'bedrock:');
    expect(JSON.stringify(statement?.Resource)).toContain(':agent-alias/AGENT12345/ALIAS12345');
    expect(synth(context).template.findResources('AWS::Bedrock::Agent')).toEqual({});
  });

  it('offline agent: no Bedrock permission and no Bedrock resources', () => {
    for (const fn of FUNCTIONS)
      expect(statementsWith({ env: 'dev', agents: 'offline' }, fn, 'bedrock:')).toEqual([]);
    expect(synth({ env: 'dev', agents: 'offline' }).template.findResources('AWS::Bedrock::Agent')).toEqual(
      {},
    );
  });

  it('every function may invoke the worker (job dispatch) by its ARN, nothing else', () => {
    for (const fn of FUNCTIONS) {
      const statements = statementsWith({ env: 'prod' }, fn, 'lambda:');
      expect(statements).toHaveLength(1);
      expect(actionsOf(statements[0] ?? {})).toEqual(['lambda:InvokeFunction']);
      expect(JSON.stringify(statements[0]?.Resource)).toContain(':function:mcc-prod-worker');
    }
  });

  it('one-time schedules: create/delete only in the app’s group, passing only the scheduler role', () => {
    const { template } = synth({ env: 'prod' });
    const [schedulerRoleId] = Object.keys(
      template.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
          },
        },
      }),
    );
    for (const fn of FUNCTIONS) {
      const scheduler = statementsWith({ env: 'prod' }, fn, 'scheduler:');
      expect(JSON.stringify(scheduler.map((s) => s.Resource))).toContain(':schedule/mcc-prod/*');
      // Every Scheduler call the app makes (app/adapters/*scheduler.ts): digests read then replace.
      expect(scheduler.flatMap(actionsOf)).toEqual(
        expect.arrayContaining([
          'scheduler:CreateSchedule',
          'scheduler:GetSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
        ]),
      );
      const pass = statementsWith({ env: 'prod' }, fn, 'iam:');
      expect(pass.flatMap(actionsOf)).toEqual(['iam:PassRole']);
      expect(pass[0]?.Resource).toEqual({ 'Fn::GetAtt': [schedulerRoleId, 'Arn'] });
    }
  });

  it('the scheduler role is assumed by EventBridge Scheduler of this account and may invoke only the scheduled function', () => {
    const { template } = synth({ env: 'prod' });
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ],
        },
      },
    });
    const [roleId] = Object.keys(roles);
    expect(roleId).toBeDefined();
    const statements = statementsOfRole(template, roleId ?? '');
    expect(statements.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    const resourcesJson = JSON.stringify(statements.map((s) => s.Resource));
    expect(resourcesJson).toContain('ScheduledFunction');
    expect(resourcesJson).not.toContain('WorkerFunction');
    expect(resourcesJson).not.toContain('HttpFunction');
  });

  it('every function reads the one secret, and writes only its own log group', () => {
    const { template } = synth({ env: 'prod' });
    for (const fn of FUNCTIONS) {
      const secrets = statementsWith({ env: 'prod' }, fn, 'secretsmanager:');
      expect(JSON.stringify(secrets.map((s) => s.Resource))).toContain('AppSecret');
      const logs = statementsWith({ env: 'prod' }, fn, 'logs:');
      const logRefs = JSON.stringify(logs.map((s) => s.Resource));
      expect(logRefs).toContain(`${fn.charAt(0).toUpperCase()}${fn.slice(1)}Logs`);
      for (const other of FUNCTIONS.filter((o) => o !== fn))
        expect(logRefs).not.toContain(`${other.charAt(0).toUpperCase()}${other.slice(1)}Logs`);
    }
    // No AWS managed policy: each function's role is the stack's own.
    for (const role of Object.values(resources(template, 'AWS::IAM::Role')))
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('the agents’ roles are assumed by Bedrock for this account’s agents only', () => {
    const { template } = synth({ env: 'prod' });
    const agentRoles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'bedrock.amazonaws.com' } })],
        },
      },
    });
    expect(Object.keys(agentRoles)).toHaveLength(2);
    for (const role of Object.values(agentRoles)) {
      expect(JSON.stringify(role.Properties)).toContain('aws:SourceAccount');
      expect(JSON.stringify(role.Properties)).toContain(':agent/*');
    }
  });
});
