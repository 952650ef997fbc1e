import { randomBytes } from 'node:crypto';
import { STAND_IN_APP_ID, STAND_IN_BOT_ID, STAND_IN_TEAM_ID } from './fixtures';
import type { StoredView } from './state';
import { bool, type MethodHandler, nonEmpty, SlackApiError, str } from './support';
import { formatIssue, validateView } from './validate-blocks';
import type { Workspace } from './workspace';

/** A modal stack holds the root view and at most two pushed views (platform-facts §1, §3). */
const VIEW_STACK_MAX = 3;

function checkView(view: unknown, expectedType: 'modal' | 'home'): Record<string, unknown> {
  if (view === undefined || view === null || typeof view !== 'object' || Array.isArray(view))
    throw new SlackApiError('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing required field: view'] },
    });
  const issues = validateView(view);
  const record = view as Record<string, unknown>;
  if (issues.length === 0 && record.type !== expectedType)
    issues.push({ pointer: '/view/type', message: `must be ${expectedType}` });
  if (issues.length > 0)
    throw new SlackApiError('invalid_arguments', {
      response_metadata: { messages: issues.map((i) => `[ERROR] ${formatIssue(i)}`) },
    });
  return record;
}

function newHash(ws: Workspace): string {
  return `${Math.floor(ws.clock().getTime() / 1000)}.${randomBytes(4).toString('hex')}`;
}

function buildView(
  ws: Workspace,
  input: Record<string, unknown>,
  base: { id?: string; root?: string | null; previous?: string | null; userId?: string },
): StoredView {
  const id = base.id ?? ws.nextId('V');
  const type = input.type === 'home' ? 'home' : 'modal';
  return {
    id,
    team_id: STAND_IN_TEAM_ID,
    type,
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(type === 'modal' ? { submit: input.submit ?? null, close: input.close ?? null } : {}),
    blocks: Array.isArray(input.blocks) ? input.blocks : [],
    private_metadata: str(input.private_metadata) ?? '',
    callback_id: str(input.callback_id) ?? '',
    external_id: str(input.external_id) ?? '',
    state: { values: {} },
    hash: newHash(ws),
    clear_on_close: bool(input.clear_on_close),
    notify_on_close: bool(input.notify_on_close),
    root_view_id: base.root === undefined ? id : base.root,
    previous_view_id: base.previous ?? null,
    app_id: STAND_IN_APP_ID,
    app_installed_team_id: STAND_IN_TEAM_ID,
    bot_id: STAND_IN_BOT_ID,
    ...(base.userId ? { user_id: base.userId } : {}),
    ...(type === 'modal' ? { open: true } : {}),
  };
}

function checkExternalIdFree(ws: Workspace, externalId: unknown, exceptViewId?: string): void {
  const ext = nonEmpty(externalId);
  if (!ext) return;
  for (const view of ws.views.values())
    if (view.external_id === ext && view.id !== exceptViewId)
      throw new SlackApiError('duplicate_external_id');
}

/** `views.open`, `views.push`, `views.update` and `views.publish`, with Slack's checks. */
export function viewMethods(ws: Workspace): Record<string, MethodHandler> {
  return {
    'views.open': (args) => {
      const input = checkView(args.view, 'modal');
      ws.consumeTrigger(args);
      checkExternalIdFree(ws, input.external_id);
      const view = buildView(ws, input, {});
      ws.views.set(view.id, view);
      ws.stacks.push([view.id]);
      return { ok: true, view: ws.publicView(view) };
    },

    'views.push': (args) => {
      const input = checkView(args.view, 'modal');
      ws.consumeTrigger(args);
      const stack = ws.stacks[ws.stacks.length - 1];
      if (!stack || stack.length === 0) throw new SlackApiError('not_found');
      if (stack.length >= VIEW_STACK_MAX) throw new SlackApiError('push_limit_reached');
      checkExternalIdFree(ws, input.external_id);
      const view = buildView(ws, input, {
        root: stack[0] ?? null,
        previous: stack[stack.length - 1] ?? null,
      });
      ws.views.set(view.id, view);
      stack.push(view.id);
      return { ok: true, view: ws.publicView(view) };
    },

    'views.update': (args) => {
      const viewId = nonEmpty(args.view_id);
      const externalId = nonEmpty(args.external_id);
      if (!viewId && !externalId)
        throw new SlackApiError('invalid_arguments', {
          response_metadata: { messages: ['[ERROR] either view_id or external_id is required'] },
        });
      const existing = viewId
        ? (ws.views.get(viewId) ?? [...ws.homeViews.values()].find((v) => v.id === viewId))
        : [...ws.views.values()].find((v) => v.external_id === externalId);
      if (!existing) throw new SlackApiError('not_found');
      const input = checkView(args.view, existing.type);
      const hash = nonEmpty(args.hash);
      if (hash && hash !== existing.hash) throw new SlackApiError('hash_conflict');
      checkExternalIdFree(ws, input.external_id, existing.id);
      const next = buildView(ws, input, {
        id: existing.id,
        root: existing.root_view_id,
        previous: existing.previous_view_id,
        ...(existing.user_id ? { userId: existing.user_id } : {}),
      });
      // An update that leaves out external_id keeps the view addressable by it.
      if (input.external_id === undefined) next.external_id = existing.external_id;
      if (existing.open === false) next.open = false;
      if (existing.type === 'home' && existing.user_id) ws.homeViews.set(existing.user_id, next);
      else ws.views.set(existing.id, next);
      return { ok: true, view: ws.publicView(next) };
    },

    'views.publish': (args) => {
      const user = ws.userOrThrow(args.user_id);
      const input = checkView(args.view, 'home');
      const existing = ws.homeViews.get(user.id);
      const hash = nonEmpty(args.hash);
      if (hash && existing && hash !== existing.hash) throw new SlackApiError('hash_conflict');
      const view = buildView(ws, input, { ...(existing ? { id: existing.id } : {}), userId: user.id });
      ws.homeViews.set(user.id, view);
      return { ok: true, view: ws.publicView(view) };
    },
  };
}
