import { describe, expect, it } from 'vitest';
import { classifyOffline } from '../../../../app/services/agent/offline-agent';

describe('classifyOffline', () => {
  it.each([
    ['What is the status of Spring Launch?', 'campaign_status'],
    ["how's sprng launch doing", 'campaign_status'],
    ['what launches this week', 'launches'],
    ['anything going live next week?', 'launches'],
    ['Any approvals waiting for me?', 'approvals'],
    ['what needs approving', 'approvals'],
    ['what are my tasks', 'my_tasks'],
    ["what's on my plate", 'my_tasks'],
    ['what is overdue', 'overdue'],
    ['which tasks are late?', 'overdue'],
    ['create a campaign', 'create_campaign'],
    ['I want to start a new campaign', 'create_campaign'],
    ['tell me a joke', 'help'],
    ['what can you do?', 'help'],
    ['help', 'help'],
    ['upcoming launches?', 'launches'],
    ["what's launching next wk", 'launches'],
    ['anything going live soon', 'launches'],
    ['what should I work on today?', 'my_tasks'],
    ['SPRING LAUNCH STATUS!!', 'campaign_status'],
  ])('%s → %s', (text, intent) => {
    expect(classifyOffline(text)).toBe(intent);
  });
});
