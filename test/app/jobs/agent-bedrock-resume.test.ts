import { InvokeAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../../../app/ids';
import { agentJobHandlers } from '../../../app/jobs/agent';
import { answerConfirmation } from '../../../app/services/agent/confirmation';
import type { JobContext } from '../../../app/services/job-types';
import { waitForInProcessJobs } from '../../../app/services/jobs-wiring';
import {
  awsError,
  bedrock,
  buttonValue,
  chunk,
  functionResult,
  inDays,
  lastUpdate,
  returnControl,
  script,
  text,
  useBedrockHarness,
  user,
} from '../../helpers/bedrock-agent';
import { type Harness, waitFor } from '../../helpers/harness';
import { PAYLOAD_DEFAULTS } from '../../helpers/payloads';

/** Bedrock mode end to end (set-up in test/helpers/bedrock-agent.ts). */
describe('agent turns in Bedrock mode — confirmation and approval: the turn waits, then resumes', () => {
  const world = useBedrockHarness();
  const { jobContext, ask } = world;
  let h: Harness;
  beforeAll(() => {
    h = world.h;
  });

  it('asks for confirmation; only the asker can confirm; confirming resumes with CONFIRM', async () => {
    const inputs = script(
      [
        returnControl(
          'inv-conf-1',
          'update_task_status',
          { campaign: 'Spring Launch', task: 'Draft press release', status: 'IN_PROGRESS' },
          'USER_CONFIRMATION',
        ),
      ],
      [chunk('Updated the status.')],
    );
    await ask('start the press release task');
    expect(inputs).toHaveLength(1);
    const prompt = lastUpdate(h);
    const pendingRef = buttonValue(prompt?.blocks, ActionIds.agentConfirm);
    expect(pendingRef).toBeTruthy();
    // Someone else presses Confirm: refused, ephemerally; nothing resumes.
    const other = await h.action({
      user: { id: 'U0OTHERUSR', username: 'other', name: 'other', team_id: PAYLOAD_DEFAULTS.teamId },
      action: { action_id: ActionIds.agentConfirm, value: pendingRef ?? '' },
    });
    await waitFor(() => h.standin.responses(other.responseUrl).length > 0);
    expect(h.standin.responses(other.responseUrl)[0]?.body).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
    });
    expect(String(h.standin.responses(other.responseUrl)[0]?.body.text)).toContain(`Only <@${user}>`);
    await waitForInProcessJobs(h.runtime.services.jobs);
    expect(inputs).toHaveLength(1);
    // The asker confirms (twice: the second click finds it already answered).
    await h.action({ action: { action_id: ActionIds.agentConfirm, value: pendingRef ?? '' } });
    await h.action({ action: { action_id: ActionIds.agentConfirm, value: pendingRef ?? '' } });
    await waitForInProcessJobs(h.runtime.services.jobs);
    await waitFor(() => inputs.length >= 2);
    expect(inputs).toHaveLength(2);
    const result = functionResult(inputs[1]);
    expect(result?.confirmationState).toBe('CONFIRM');
    expect(inputs[1]?.sessionState?.invocationId).toBe('inv-conf-1');
    expect(text(lastUpdate(h)?.blocks)).toContain('Updated the status.');
  });

  it('a Confirm click whose resume was never enqueued can be clicked again: it resumes once, with the stored decision', async () => {
    // Prepare: the click's conditional write happened, then the process died before the enqueue.
    const inputs = script(
      [
        returnControl(
          'inv-conf-lost',
          'update_task_status',
          { campaign: 'Spring Launch', task: 'Draft press release', status: 'BLOCKED' },
          'USER_CONFIRMATION',
        ),
      ],
      [chunk('Marked it blocked.')],
    );
    await ask('block the press release task');
    const pendingRef = buttonValue(lastUpdate(h)?.blocks, ActionIds.agentConfirm) ?? '';
    const [conversationKey = '', invocationId = ''] = [
      pendingRef.slice(0, pendingRef.lastIndexOf('|')),
      pendingRef.slice(pendingRef.lastIndexOf('|') + 1),
    ];
    const store = h.runtime.services.conversations;
    const pending = await store.getPending(conversationKey, invocationId);
    if (!pending) throw new Error('the pending action should be stored');
    await store.putPending({ ...pending.data, state: 'confirmed', decidedBy: user }, pending.version);
    // Act: the asker clicks again (Cancel, even): the stored decision wins; a third click is a no-op
    await h.action({ action: { action_id: ActionIds.agentCancel, value: pendingRef } });
    await waitForInProcessJobs(h.runtime.services.jobs);
    await waitFor(() => inputs.length >= 2);
    const third = await h.action({ action: { action_id: ActionIds.agentConfirm, value: pendingRef } });
    await waitFor(() => h.standin.responses(third.responseUrl).length > 0);
    await waitForInProcessJobs(h.runtime.services.jobs);
    // Assess
    expect(inputs).toHaveLength(2);
    const result = functionResult(inputs[1]);
    expect(result?.confirmationState).toBe('CONFIRM');
    expect(text(lastUpdate(h)?.blocks)).toContain('Marked it blocked.');
    expect(String(h.standin.responses(third.responseUrl)[0]?.body.text)).toBe('This was already answered.');
  });

  it('waits for an approval, then resumes the agent with the decision', async () => {
    const inputs = script(
      [
        returnControl('inv-appr-1', 'create_campaign', {
          name: 'Agent Big Launch',
          type: 'standard',
          tier: '1',
          team: 'Growth Marketing',
          budget: '$50,000',
          launch_date: inDays(180),
          channels: 'email, paid social',
        }),
      ],
      [chunk('Your campaign was approved and is being set up.')],
    );
    await ask('create a $50k campaign called Agent Big Launch');
    expect(inputs).toHaveLength(1);
    expect(text(lastUpdate(h)?.blocks)).toContain('waiting for approval');
    const created = (await h.runtime.repositories.campaigns.listAll()).find(
      (c) => c.name === 'Agent Big Launch',
    );
    expect(created?.status).toBe('PENDING_APPROVAL');
    // The approvals service enqueues onDecided when someone decides; here the decision job is enqueued as it would.
    const pending = await h.runtime.services.approvals.pendingFor(created?.campaignId ?? '');
    expect(pending?.onDecided?.jobKind).toBe('agent.resume');
    await h.runtime.services.jobs.enqueue({
      kind: 'agent.resume',
      payload: { ...pending?.onDecided?.payload, approvalId: pending?.approvalId, decision: 'APPROVED' },
      idempotencyKey: 'test-approval-decided',
    });
    await waitForInProcessJobs(h.runtime.services.jobs);
    await waitFor(() => inputs.length >= 2);
    const result = functionResult(inputs[1]);
    expect(result?.responseState).toBeUndefined();
    expect(result?.responseBody?.TEXT?.body).toContain('Approved');
    expect(inputs[1]?.sessionState?.invocationId).toBe('inv-appr-1');
    await waitFor(() => text(lastUpdate(h)?.blocks).includes('approved and is being set up'));
  });

  it('a real rejection by an approver reaches the agent as FAILURE with the reason', async () => {
    const inputs = script(
      [
        returnControl('inv-rej-1', 'create_campaign', {
          name: 'Agent Rejected Launch',
          type: 'standard',
          tier: '2',
          team: 'Growth Marketing',
          budget: '25000',
          launch_date: inDays(210),
        }),
      ],
      [chunk('Sorry, it was rejected.')],
    );
    await ask('create a $25k campaign called Agent Rejected Launch');
    const created = (await h.runtime.repositories.campaigns.listAll()).find(
      (c) => c.name === 'Agent Rejected Launch',
    );
    const pending = await h.runtime.services.approvals.pendingFor(created?.campaignId ?? '');
    expect(pending).toBeDefined();
    // Another leadership member rejects (the asker, U0MAYA, may not decide her own request).
    const decided = await h.runtime.services.approvals.decide({
      approvalId: pending?.approvalId ?? '',
      actorId: 'U0AISHA',
      decision: 'reject',
      reason: 'Over the quarter budget',
    });
    expect(decided.outcome).toBe('rejected');
    await waitFor(async () => {
      await waitForInProcessJobs(h.runtime.services.jobs);
      return inputs.length >= 2;
    });
    const result = functionResult(inputs[1]);
    expect(result?.responseState).toBe('FAILURE');
    expect(result?.responseBody?.TEXT?.body).toContain('Over the quarter budget');
    expect(result?.responseBody?.TEXT?.body).toContain('<@U0AISHA>');
    await waitFor(() => text(lastUpdate(h)?.blocks).includes('Sorry, it was rejected.'));
  });

  it('a resume retried after throttling re-sends the stored results instead of running the action twice', async () => {
    // Prepare: a confirmation-gated create_task, confirmed by the asker.
    script([
      returnControl(
        'inv-retry-1',
        'create_task',
        { campaign: 'Spring Launch', name: 'Exactly once task' },
        'USER_CONFIRMATION',
      ),
    ]);
    await ask('add the exactly once task');
    const pendingRef = buttonValue(lastUpdate(h)?.blocks, ActionIds.agentConfirm) ?? '';
    const accepted = await answerConfirmation(h.runtime.services.conversations, {
      pendingRef,
      userId: user,
      confirm: true,
    });
    expect(accepted.kind).toBe('accepted');
    if (accepted.kind !== 'accepted') return;
    const handlers = agentJobHandlers(h.runtime, h.runtime.slack);
    const ctx = (isFinalAttempt: boolean): JobContext =>
      jobContext('j3', 'agent.resume', accepted.resume, {
        attempt: 1,
        isFinalAttempt: isFinalAttempt,
        deadlineMs: 60_000,
      });
    // Act: the first attempt is throttled after the action ran; the second succeeds.
    bedrock.reset();
    bedrock.on(InvokeAgentCommand).rejectsOnce(awsError('ThrottlingException'));
    await expect(handlers['agent.resume']?.run(accepted.resume, ctx(false))).rejects.toMatchObject({
      retryable: true,
    });
    const inputs = script([chunk('Task added.')]);
    await handlers['agent.resume']?.run(accepted.resume, ctx(false));
    // Assess
    const spring = (await h.runtime.repositories.campaigns.listAll()).find((c) => c.name === 'Spring Launch');
    const tasks = await h.runtime.repositories.tasks.listByCampaign(spring?.campaignId ?? '');
    expect(tasks.filter((t) => t.name === 'Exactly once task')).toHaveLength(1);
    // The mention's placeholder and one "working…" message for the resume, reused by the retry.
    expect(h.standin.calls('chat.postMessage')).toHaveLength(2);
    expect(functionResult(inputs[0])?.confirmationState).toBe('CONFIRM');
    expect(text(lastUpdate(h)?.blocks)).toContain('Task added.');
    // A third delivery of the same job finds the action completed and does nothing.
    await handlers['agent.resume']?.run(accepted.resume, ctx(false));
    expect(inputs).toHaveLength(1);
  });
});
