import { describe, expect, it } from 'vitest';
import { summarizeTasks } from '../../../app/domain/campaign-summary';
import { aTask } from '../../helpers/campaign-fixtures';

describe('summarizeTasks', () => {
  it('counts done, overdue and blocked tasks and finds the next open milestone', () => {
    const tasks = [
      aTask({ taskId: 't1', status: 'DONE', dueDate: '2026-11-01', milestone: true, name: 'Kickoff' }),
      aTask({ taskId: 't2', status: 'IN_PROGRESS', dueDate: '2026-11-20', name: 'Copy' }),
      aTask({ taskId: 't3', status: 'BLOCKED', dueDate: '2026-11-21', name: 'Legal' }),
      aTask({ taskId: 't4', status: 'NOT_STARTED', dueDate: '2026-11-22', name: 'Due today' }),
      aTask({ taskId: 't5', status: 'CANCELLED', dueDate: '2026-11-01', name: 'Dropped' }),
      aTask({ taskId: 't6', status: 'NOT_STARTED', milestone: true, name: 'Undated milestone' }),
      aTask({
        taskId: 't7',
        status: 'NOT_STARTED',
        milestone: true,
        dueDate: '2026-12-01',
        name: 'Creative approved',
      }),
    ];
    const progress = summarizeTasks(tasks, '2026-11-22');
    expect(progress).toEqual({
      total: 6,
      done: 1,
      overdue: 2,
      blocked: 1,
      nextMilestone: {
        taskId: 't7',
        name: 'Creative approved',
        status: 'NOT_STARTED',
        dueDate: '2026-12-01',
      },
    });
  });

  it('judges overdue by the viewer’s day: due "yesterday" in UTC is not overdue yet in Los Angeles', () => {
    const tasks = [aTask({ dueDate: '2026-11-21' })];
    expect(summarizeTasks(tasks, '2026-11-22').overdue).toBe(1); // UTC viewer
    expect(summarizeTasks(tasks, '2026-11-21').overdue).toBe(0); // Los Angeles viewer, same instant
  });

  it('handles no tasks', () => {
    expect(summarizeTasks([], '2026-11-22')).toEqual({ total: 0, done: 0, overdue: 0, blocked: 0 });
  });
});
