import { createHash } from 'node:crypto';
import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  type ActionCollaborator,
  AGENT_FUNCTION_CATALOGUE,
  actionGroupName,
} from '../../app/services/agent/function-catalogue';
import {
  COLLABORATION_INSTRUCTIONS,
  COLLABORATOR_INSTRUCTIONS,
  SUPERVISOR_INSTRUCTION,
} from './agent-instructions';
import { acknowledge } from './nag';

export interface AppAgentsProps {
  /** Prefix of every agent's name, e.g. `mcc-prod`. */
  namePrefix: string;
  /** Foundation model id, or a cross-Region inference profile id (`us.…`, `eu.…`, `apac.…`, `global.…`). */
  modelId: string;
  /** A Bedrock knowledge base for the Knowledge collaborator (optional). */
  knowledgeBaseId: string | undefined;
}

type CollaboratorName = keyof typeof COLLABORATOR_INSTRUCTIONS;
const COLLABORATORS = Object.keys(COLLABORATOR_INSTRUCTIONS) as CollaboratorName[];

/** Bedrock keeps a conversation's session this long after its last turn (60–5400 s). */
const IDLE_SESSION_TTL_SECONDS = 3_600;

const PROFILE_PREFIX = /^(us|eu|apac|us-gov|global|jp|au|ca)\./;

/**
 * The supervisor agent and its Strategy, Production, Analytics and Knowledge collaborators
 * (Bedrock multi-agent collaboration), each with an alias. Their action groups return control to
 * Command Center (`RETURN_CONTROL`), with function schemas generated from the app's catalogue
 * (`app/services/agent/function-catalogue.ts`) — the functions the worker executes, no second list.
 *
 * An alias points at a version made from the agent's prepared draft when the alias is created or
 * updated; its description carries a hash of the agent's whole definition, so changing an
 * instruction, a function or the model updates the alias and so makes a new version.
 */
export class AppAgents extends Construct {
  readonly supervisor: bedrock.CfnAgent;
  readonly supervisorAlias: bedrock.CfnAgentAlias;
  readonly collaborators: Record<CollaboratorName, { agent: bedrock.CfnAgent; alias: bedrock.CfnAgentAlias }>;

  constructor(scope: Construct, id: string, props: AppAgentsProps) {
    super(scope, id);
    const collaboratorRole = this.role('CollaboratorRole', props);
    if (props.knowledgeBaseId) {
      collaboratorRole.addToPolicy(
        new iam.PolicyStatement({
          actions: ['bedrock:Retrieve', 'bedrock:RetrieveAndGenerate'],
          resources: [
            Stack.of(this).formatArn({
              service: 'bedrock',
              resource: 'knowledge-base',
              resourceName: props.knowledgeBaseId,
            }),
          ],
        }),
      );
    }

    const built = COLLABORATORS.map((name) => {
      const definition: bedrock.CfnAgentProps = {
        agentName: `${props.namePrefix}-${name}`,
        description: `Command Center ${name} collaborator`,
        agentResourceRoleArn: collaboratorRole.roleArn,
        foundationModel: props.modelId,
        instruction: COLLABORATOR_INSTRUCTIONS[name],
        idleSessionTtlInSeconds: IDLE_SESSION_TTL_SECONDS,
        autoPrepare: true,
        actionGroups: name === 'knowledge' ? [] : actionGroups(name),
        ...(name === 'knowledge' && props.knowledgeBaseId
          ? {
              knowledgeBases: [
                {
                  knowledgeBaseId: props.knowledgeBaseId,
                  description: 'The marketing team’s brand guidelines, playbooks and campaign briefs',
                  knowledgeBaseState: 'ENABLED',
                },
              ],
            }
          : {}),
      };
      const agent = new bedrock.CfnAgent(this, `${capitalise(name)}Agent`, definition);
      const hash = definitionHash(definition);
      const alias = new bedrock.CfnAgentAlias(this, `${capitalise(name)}Alias`, {
        agentId: agent.attrAgentId,
        agentAliasName: 'live',
        description: `Command Center ${name} (definition ${hash})`,
      });
      return [name, { agent, alias, hash }] as const;
    });
    const byName = Object.fromEntries(built) as Record<
      CollaboratorName,
      { agent: bedrock.CfnAgent; alias: bedrock.CfnAgentAlias; hash: string }
    >;
    this.collaborators = byName;

    const supervisorRole = this.role('SupervisorRole', props);
    supervisorRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['bedrock:GetAgentAlias', 'bedrock:InvokeAgent'],
        resources: COLLABORATORS.map((name) => byName[name].alias.attrAgentAliasArn),
      }),
    );
    const supervisorDefinition: bedrock.CfnAgentProps = {
      agentName: `${props.namePrefix}-supervisor`,
      description: 'Command Center supervisor: routes Slack requests to its collaborators',
      agentResourceRoleArn: supervisorRole.roleArn,
      foundationModel: props.modelId,
      instruction: SUPERVISOR_INSTRUCTION,
      idleSessionTtlInSeconds: IDLE_SESSION_TTL_SECONDS,
      autoPrepare: true,
      agentCollaboration: 'SUPERVISOR',
      agentCollaborators: COLLABORATORS.map((name) => ({
        collaboratorName: capitalise(name),
        collaborationInstruction: COLLABORATION_INSTRUCTIONS[name],
        agentDescriptor: { aliasArn: byName[name].alias.attrAgentAliasArn },
        relayConversationHistory: 'TO_COLLABORATOR',
      })),
    };
    this.supervisor = new bedrock.CfnAgent(this, 'SupervisorAgent', supervisorDefinition);
    // The supervisor's version also depends on its collaborators' versions (their hashes).
    const supervisorHash = definitionHash({
      ...supervisorDefinition,
      agentCollaborators: COLLABORATORS.map((name) => byName[name].hash),
    });
    this.supervisorAlias = new bedrock.CfnAgentAlias(this, 'SupervisorAlias', {
      agentId: this.supervisor.attrAgentId,
      agentAliasName: 'live',
      description: `Command Center supervisor (definition ${supervisorHash})`,
    });
  }

  /** A service role Bedrock assumes for this account's agents, allowed to call the model only. */
  private role(id: string, props: AppAgentsProps): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'bedrock',
              resource: 'agent',
              resourceName: '*',
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          },
        },
      }),
      description: 'Command Center Bedrock agents: invoke their model',
    });
    for (const statement of modelStatements(this, props.modelId)) role.addToPolicy(statement);
    const profile = PROFILE_PREFIX.exec(props.modelId);
    if (profile) {
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${props.modelId.slice(profile[0].length)}]`,
        'A cross-Region inference profile routes to this one foundation model in several Regions, so its ARN ' +
          'names every Region; the profile itself is named exactly.',
      );
    }
    return role;
  }
}

/** The RETURN_CONTROL action group of one collaborator, from the catalogue. */
function actionGroups(collaborator: CollaboratorName): bedrock.CfnAgent.AgentActionGroupProperty[] {
  const functions = AGENT_FUNCTION_CATALOGUE.filter((fn) => fn.collaborator === collaborator);
  if (functions.length === 0) return [];
  return [
    {
      actionGroupName: actionGroupName(collaborator as ActionCollaborator),
      description: `Command Center ${collaborator} actions; Command Center runs them and returns the result`,
      actionGroupExecutor: { customControl: 'RETURN_CONTROL' },
      actionGroupState: 'ENABLED',
      functionSchema: {
        functions: functions.map((fn) => ({
          name: fn.name,
          description: fn.description,
          requireConfirmation: fn.requireConfirmation ? 'ENABLED' : 'DISABLED',
          parameters: Object.fromEntries(
            fn.parameters.map((p) => [
              p.name,
              { type: p.type, description: p.description, required: p.required },
            ]),
          ),
        })),
      },
    },
  ];
}

/** InvokeModel on the model, or on the inference profile and the model it routes to. */
function modelStatements(scope: Construct, modelId: string): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const actions = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
  const profile = PROFILE_PREFIX.exec(modelId);
  if (!profile) {
    return [
      new iam.PolicyStatement({
        actions,
        resources: [
          stack.formatArn({
            service: 'bedrock',
            account: '',
            resource: 'foundation-model',
            resourceName: modelId,
          }),
        ],
      }),
    ];
  }
  const baseModel = modelId.slice(profile[0].length);
  return [
    new iam.PolicyStatement({
      actions: [...actions, 'bedrock:GetInferenceProfile'],
      resources: [
        stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: modelId }),
      ],
    }),
    new iam.PolicyStatement({
      actions,
      resources: [`arn:${Aws.PARTITION}:bedrock:*::foundation-model/${baseModel}`],
    }),
  ];
}

/** A short, deterministic fingerprint of an agent's definition (tokens render as their logical names). */
function definitionHash(definition: object): string {
  const text = JSON.stringify(definition, (_key, value: unknown) =>
    typeof value === 'string' && value.includes('${Token[') ? 'token' : value,
  );
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

function capitalise(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
