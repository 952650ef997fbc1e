import type { AsanaRecord } from './shapes';
import type { AsanaWebhooks, CompactEvent } from './webhooks';

/**
 * What the Asana stand-in needs for sync: custom fields on projects and tasks, webhook events for
 * every change (with the acting user), and the changes a person makes in Asana itself (not
 * through the token) — the external side of a two-way sync test.
 */
export function asanaSyncHelpers(ctx: {
  records: Map<string, AsanaRecord>;
  webhooks: AsanaWebhooks;
  meGid: string;
  compactRef: (r: AsanaRecord) => { gid: string; resource_type: string; name: string };
}) {
  const { records, webhooks } = ctx;
  const customFields: { gid: string; name: string; type: 'number' | 'text' | 'date' }[] = [];
  const projectsOf = (r: AsanaRecord): string[] =>
    r.resource_type === 'project'
      ? [r.gid]
      : ((r.projects as { gid: string }[] | undefined) ?? []).map((p) => p.gid);
  const ref = (r: AsanaRecord): CompactEvent['resource'] => ({
    gid: r.gid,
    resource_type: r.resource_type,
    ...(r.resource_type === 'task' ? { resource_subtype: String(r.resource_subtype ?? 'default_task') } : {}),
  });
  const emitChanges = (r: AsanaRecord, fields: string[], user: string) => {
    const at = new Date().toISOString();
    webhooks.emit(
      projectsOf(r),
      fields.map((field) => ({
        user: { gid: user, resource_type: 'user' },
        created_at: at,
        action: 'changed',
        resource: ref(r),
        parent: null,
        change: { field, action: 'changed' },
      })),
    );
  };
  /** Applies `custom_fields: {gid: value}` to a record's custom field list. */
  const applyCustom = (r: AsanaRecord, values: unknown): string | undefined => {
    if (values === undefined) return undefined;
    if (typeof values !== 'object' || values === null) return 'custom_fields: must be an object';
    const list = (r.custom_fields as Record<string, unknown>[] | undefined) ?? [];
    for (const [gid, value] of Object.entries(values)) {
      const field = list.find((f) => f.gid === gid);
      if (!field) return `custom_fields: Unknown custom field ${gid}`;
      if (field.type === 'number') field.number_value = value;
      else if (field.type === 'date') field.date_value = value === null ? null : { date: value };
      else field.text_value = value;
      field.display_value = value === null ? null : String(value);
    }
    return undefined;
  };
  const withCustomFields = () =>
    customFields.map((f) => ({
      gid: f.gid,
      name: f.name,
      type: f.type,
      resource_subtype: f.type,
      ...(f.type === 'number'
        ? { number_value: null }
        : f.type === 'date'
          ? { date_value: null }
          : { text_value: null }),
      display_value: null,
    }));

  return {
    projectsOf,
    ref,
    emitChanges,
    applyCustom,
    withCustomFields,
    defineCustomField(gid: string, name: string, type: 'number' | 'text' | 'date') {
      customFields.push({ gid, name, type });
      for (const record of records.values()) {
        const list = (record.custom_fields as unknown[] | undefined) ?? [];
        record.custom_fields = [...list, ...withCustomFields().filter((f) => f.gid === gid)];
      }
    },
    humanChange(gid: string, fields: Record<string, unknown>, userGid = '1400000000000001'): AsanaRecord {
      const record = records.get(gid);
      if (!record) throw new Error(`no Asana object ${gid}`);
      const { custom_fields: custom, ...plain } = fields;
      const customError = applyCustom(record, custom);
      if (customError) throw new Error(customError);
      Object.assign(record, plain, { modified_at: new Date().toISOString() });
      if (typeof fields.assignee === 'string')
        record.assignee = { gid: fields.assignee, resource_type: 'user' };
      emitChanges(record, Object.keys(fields), userGid);
      return { ...record };
    },
    humanDelete(gid: string, userGid = '1400000000000001') {
      const record = records.get(gid);
      if (!record) throw new Error(`no Asana object ${gid}`);
      records.delete(gid);
      webhooks.emit(projectsOf(record), [
        {
          user: { gid: userGid, resource_type: 'user' },
          created_at: new Date().toISOString(),
          action: 'deleted',
          resource: ref(record),
          parent: null,
        },
      ]);
    },
    humanMove(gid: string, toProject: string, userGid = '1400000000000001') {
      const task = records.get(gid);
      const target = records.get(toProject);
      if (task?.resource_type !== 'task' || target?.resource_type !== 'project')
        throw new Error('no such task or project');
      const from = projectsOf(task);
      task.projects = [ctx.compactRef(target)];
      const at = new Date().toISOString();
      const user = { gid: userGid, resource_type: 'user' as const };
      webhooks.emit(
        from,
        from.map((p) => ({
          user,
          created_at: at,
          action: 'removed' as const,
          resource: ref(task),
          parent: { gid: p, resource_type: 'project' as const },
        })),
      );
      webhooks.emit(
        [toProject],
        [
          {
            user,
            created_at: at,
            action: 'added',
            resource: ref(task),
            parent: { gid: toProject, resource_type: 'project' },
          },
        ],
      );
    },
  };
}
