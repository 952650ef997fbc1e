import { describe, expect, it } from 'vitest';
import { AGENT_FUNCTION_CATALOGUE, actionGroupName } from '../../app/services/agent/function-catalogue';
import { resources, synth } from './synth';

interface AgentProps {
  AgentName: string;
  Instruction: string;
  FoundationModel: string;
  AutoPrepare: boolean;
  AgentCollaboration?: string;
  AgentCollaborators?: { CollaboratorName: string; AgentDescriptor: { AliasArn: unknown } }[];
  KnowledgeBases?: { KnowledgeBaseId: string }[];
  ActionGroups?: {
    ActionGroupName: string;
    ActionGroupExecutor: { CustomControl: string };
    FunctionSchema: {
      Functions: {
        Name: string;
        Description: string;
        RequireConfirmation: string;
        Parameters: Record<string, { Type: string; Description: string; Required: boolean }>;
      }[];
    };
  }[];
}

function agents(context: Record<string, unknown>): AgentProps[] {
  return Object.values(resources(synth(context).template, 'AWS::Bedrock::Agent')).map(
    (a) => a.Properties as unknown as AgentProps,
  );
}

describe('Bedrock agents as code', () => {
  it('a supervisor with Strategy, Production, Analytics and Knowledge collaborators, each behind an alias', () => {
    const all = agents({ env: 'prod' });
    expect(all.map((a) => a.AgentName).sort()).toEqual(
      ['analytics', 'knowledge', 'production', 'strategy', 'supervisor'].map((n) => `mcc-prod-${n}`),
    );
    const supervisor = all.find((a) => a.AgentName === 'mcc-prod-supervisor');
    expect(supervisor?.AgentCollaboration).toBe('SUPERVISOR');
    expect(supervisor?.AgentCollaborators?.map((c) => c.CollaboratorName).sort()).toEqual([
      'Analytics',
      'Knowledge',
      'Production',
      'Strategy',
    ]);
    for (const c of supervisor?.AgentCollaborators ?? [])
      expect(JSON.stringify(c.AgentDescriptor.AliasArn)).toContain('Alias');
    expect(
      Object.keys(synth({ env: 'prod' }).template.findResources('AWS::Bedrock::AgentAlias')),
    ).toHaveLength(5);
    for (const agent of all) {
      expect(agent.FoundationModel).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
      expect(agent.AutoPrepare).toBe(true);
      expect(agent.Instruction.length).toBeGreaterThanOrEqual(40);
      expect(agent.Instruction.length).toBeLessThanOrEqual(4000);
      expect(agent.Instruction).toContain('$10,000');
    }
  });

  it('the action groups return control, with function schemas that are exactly the catalogue', () => {
    const groups = agents({ env: 'prod' }).flatMap((a) => a.ActionGroups ?? []);
    for (const group of groups)
      expect(group.ActionGroupExecutor).toEqual({ CustomControl: 'RETURN_CONTROL' });
    const deployed = groups.flatMap((group) =>
      group.FunctionSchema.Functions.map((fn) => ({
        group: group.ActionGroupName,
        name: fn.Name,
        description: fn.Description,
        requireConfirmation: fn.RequireConfirmation,
        parameters: Object.entries(fn.Parameters)
          .map(([name, p]) => ({ name, type: p.Type, description: p.Description, required: p.Required }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      })),
    );
    const catalogue = AGENT_FUNCTION_CATALOGUE.map((fn) => ({
      group: actionGroupName(fn.collaborator),
      name: fn.name,
      description: fn.description,
      requireConfirmation: fn.requireConfirmation ? 'ENABLED' : 'DISABLED',
      parameters: fn.parameters
        .map((p) => ({ name: p.name, type: p.type, description: p.description, required: p.required }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(deployed.sort(byName)).toEqual(catalogue.sort(byName));
  });

  it('a knowledge base is attached to the Knowledge collaborator only when given', () => {
    expect(agents({ env: 'prod' }).some((a) => a.KnowledgeBases)).toBe(false);
    const withKb = agents({ env: 'prod', knowledgeBaseId: 'KB12345678' });
    expect(withKb.filter((a) => a.KnowledgeBases).map((a) => a.AgentName)).toEqual(['mcc-prod-knowledge']);
    const { template } = synth({ env: 'prod', knowledgeBaseId: 'KB12345678' });
    expect(JSON.stringify(template.toJSON())).toContain(':knowledge-base/KB12345678');
  });

  it('an alias’s description changes with its agent’s definition, so a changed agent gets a new version', () => {
    const descriptions = (context: Record<string, unknown>) =>
      Object.values(resources(synth(context).template, 'AWS::Bedrock::AgentAlias'))
        .map((a) => String(a.Properties.Description))
        .sort();
    const sonnet = descriptions({ env: 'staging' });
    const haiku = descriptions({ env: 'staging', agentModel: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' });
    expect(sonnet).toHaveLength(5);
    for (const d of sonnet) expect(d).toMatch(/definition [0-9a-f]{12}\)$/);
    expect(haiku.filter((d) => sonnet.includes(d))).toEqual([]);
    expect(descriptions({ env: 'staging' })).toEqual(sonnet);
  });

  it('dev uses the smaller model; -c agentModel overrides it', () => {
    expect(new Set(agents({ env: 'dev' }).map((a) => a.FoundationModel))).toEqual(
      new Set(['us.anthropic.claude-haiku-4-5-20251001-v1:0']),
    );
    expect(
      new Set(
        agents({ env: 'dev', agentModel: 'anthropic.claude-3-haiku-20240307-v1:0' }).map(
          (a) => a.FoundationModel,
        ),
      ),
    ).toEqual(new Set(['anthropic.claude-3-haiku-20240307-v1:0']));
  });
});
