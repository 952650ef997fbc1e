import type { Task } from './model';

/** Task progress of one campaign as seen on a given day. */
export interface TaskProgress {
  /** Tasks that count: everything but CANCELLED. */
  total: number;
  done: number;
  /** Due before `today` and neither DONE nor CANCELLED. */
  overdue: number;
  blocked: number;
  /** The earliest milestone not yet done (dated ones first, by due date). */
  nextMilestone?: { taskId: string; name: string; dueDate?: string; status: Task['status'] };
}

const closed = (task: Task) => task.status === 'DONE' || task.status === 'CANCELLED';

/**
 * Summarises a campaign's tasks. `today` is the viewer's calendar day (`YYYY-MM-DD`, see
 * `todayIn`): a task due today is not overdue yet, wherever the viewer is.
 */
export function summarizeTasks(tasks: readonly Task[], today: string): TaskProgress {
  const counted = tasks.filter((task) => task.status !== 'CANCELLED');
  const open = tasks.filter((task) => !closed(task));
  const milestones = open
    .filter((task) => task.milestone)
    .sort((a, b) => compareDue(a.dueDate, b.dueDate) || a.name.localeCompare(b.name));
  const next = milestones[0];
  return {
    total: counted.length,
    done: counted.filter((task) => task.status === 'DONE').length,
    // YYYY-MM-DD strings compare in calendar order.
    overdue: open.filter((task) => task.dueDate !== undefined && task.dueDate < today).length,
    blocked: open.filter((task) => task.status === 'BLOCKED').length,
    ...(next
      ? {
          nextMilestone: {
            taskId: next.taskId,
            name: next.name,
            status: next.status,
            ...(next.dueDate ? { dueDate: next.dueDate } : {}),
          },
        }
      : {}),
  };
}

function compareDue(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}
