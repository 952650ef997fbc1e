/** The Asana stand-in's record shape and the request fields it accepts (unknown ones are a 400, as Asana does). */

/** A project or task as the stand-in stores it: Asana's field names, numeric-string gids. */
export interface AsanaRecord {
  gid: string;
  resource_type: 'project' | 'task';
  name: string;
  [field: string]: unknown;
}

export const PROJECT_FIELDS = new Set([
  'name',
  'workspace',
  'team',
  'notes',
  'html_notes',
  'due_on',
  'start_on',
  'color',
  'privacy_setting',
  'default_view',
]);
export const TASK_FIELDS = new Set([
  'name',
  'projects',
  'workspace',
  'parent',
  'assignee',
  'due_on',
  'start_on',
  'notes',
  'html_notes',
  'resource_subtype',
  'completed',
  'custom_fields',
]);
export const TASK_UPDATE_FIELDS = new Set([
  'name',
  'assignee',
  'due_on',
  'start_on',
  'notes',
  'html_notes',
  'completed',
  'custom_fields',
]);
export const PROJECT_UPDATE_FIELDS = new Set([
  'name',
  'notes',
  'html_notes',
  'due_on',
  'start_on',
  'completed',
  'custom_fields',
  'color',
]);
export const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const errors = (status: number, message: string) => ({ status, body: { errors: [{ message }] } });

export function errorBodyFor(status: number) {
  const message =
    status === 401
      ? 'Not Authorized'
      : status === 429
        ? 'You have made too many requests recently. Please, be chill.'
        : status >= 500
          ? 'Server Error'
          : 'Bad Request';
  return { errors: [{ message }] };
}
