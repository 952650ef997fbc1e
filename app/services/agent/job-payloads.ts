import { z } from 'zod';
import { ReplyTarget } from './conversation-store';

/*
 * The agent's job kinds and payload schemas, apart from the turn runner (`agent-service.ts`) so the
 * listeners that only enqueue (mention, DM, `/mcc ask`, Confirm/Cancel) do not bring the Bedrock
 * client, `marked` and the runner into the HTTP bundle (test/scripts/build.test.ts checks).
 */

/** Job kinds of the agent (registered in `app/jobs/registry.ts`). */
export const AGENT_TURN_JOB = 'agent.turn';
export const AGENT_RESUME_JOB = 'agent.resume';

/** The `agent.turn` payload: where the question came from and where the answer goes. No secrets. */
export const TurnRequest = z.object({
  source: z.enum(['mention', 'dm', 'ask']),
  teamId: z.string().min(1),
  userId: z.string().min(1),
  // Slack caps a message at 40,000 characters; InvokeAgent takes far more. A lower cap here would
  // make a long pasted message fail to parse in the job, long after the listener accepted it.
  text: z.string().max(40_000),
  conversation: z.object({
    teamId: z.string().min(1),
    channelId: z.string().min(1),
    threadTs: z.string().optional(),
  }),
  target: ReplyTarget,
});
export type TurnRequest = z.infer<typeof TurnRequest>;

/** The `agent.resume` payload: a confirmation click, or an approval decision (added by the approvals service). */
export const ResumeRequest = z.object({
  conversationKey: z.string().min(1),
  invocationId: z.string().min(1),
  confirmation: z.enum(['CONFIRM', 'DENY']).optional(),
  callIndex: z.number().int().nonnegative().optional(),
  approvalId: z.string().optional(),
  decision: z.enum(['APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED']).optional(),
});
export type ResumeRequest = z.infer<typeof ResumeRequest>;
