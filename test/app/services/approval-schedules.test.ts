import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeOneTimeScheduler } from '../../../app/adapters/scheduler';
import { AppLogger } from '../../../app/logger';
import {
  type ApprovalsFixture,
  approvalsFixture,
  newCampaignInput,
  U,
} from '../../helpers/approvals/service-fixture';

/** The reminder and expiry schedules as EventBridge Scheduler receives them (the adapter itself is tested by the jobs helper). */
describe('approval schedules through EventBridge Scheduler', () => {
  const sdk = mockClient(SchedulerClient);
  let f: ApprovalsFixture;

  beforeEach(async () => {
    sdk.reset();
    sdk
      .on(CreateScheduleCommand)
      .resolves({ ScheduleArn: 'arn:aws:scheduler:us-east-1:1:schedule/default/x' });
    sdk.on(DeleteScheduleCommand).resolves({});
    const scheduler = new EventBridgeOneTimeScheduler({
      targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:mcc-scheduled',
      roleArn: 'arn:aws:iam::123456789012:role/mcc-scheduler',
      logger: new AppLogger({ level: 'error', sink: () => {} }),
      clock: () => new Date('2026-11-22T10:00:00.000Z'),
      client: new SchedulerClient({ region: 'us-east-1' }),
    });
    f = await approvalsFixture({}, { scheduler });
  });
  afterEach(async () => {
    await f.close();
  });

  it('creates one-time at() schedules that delete themselves, with deterministic names and client tokens; deletes them on decision', async () => {
    // Prepare
    const { approval } = await f.commands.createCampaign(newCampaignInput(), { slackUserId: U.requester });
    if (!approval) throw new Error('expected an approval');
    // Act
    await f.approvals.publish(approval.approvalId);
    await f.approvals.publish(approval.approvalId); // a retried job sends the same idempotent requests
    // Assess
    const creates = sdk.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input);
    expect(creates).toHaveLength(4);
    const [reminder, expiry] = creates;
    expect(reminder).toMatchObject({
      Name: `approval-remind-${approval.approvalId}`,
      ClientToken: `approval-remind-${approval.approvalId}`,
      ScheduleExpression: 'at(2026-11-23T10:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(JSON.parse(reminder?.Target?.Input ?? '{}')).toEqual({
      kind: 'approval.remind',
      approvalId: approval.approvalId,
    });
    expect(expiry).toMatchObject({
      Name: `approval-expire-${approval.approvalId}`,
      ClientToken: `approval-expire-${approval.approvalId}`,
      ScheduleExpression: 'at(2026-11-27T10:00:00)',
      ActionAfterCompletion: 'DELETE',
    });
    expect(JSON.parse(expiry?.Target?.Input ?? '{}')).toEqual({
      kind: 'approval.expire',
      approvalId: approval.approvalId,
    });
    expect(creates[2]).toEqual(reminder);
    expect(creates[3]).toEqual(expiry);

    // Act: decided → both schedules deleted.
    await f.approvals.decide({ approvalId: approval.approvalId, actorId: U.leader, decision: 'approve' });
    await f.approvals.finalize(approval.approvalId);
    expect(
      sdk
        .commandCalls(DeleteScheduleCommand)
        .map((c) => c.args[0].input.Name)
        .sort(),
    ).toEqual([`approval-expire-${approval.approvalId}`, `approval-remind-${approval.approvalId}`].sort());
  });
});
