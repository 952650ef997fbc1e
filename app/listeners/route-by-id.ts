/** A listener of one surface (block actions, view submissions): Bolt's arguments in, nothing out. */
type Handler<A> = (args: A) => Promise<void>;

/**
 * One Bolt listener for a whole surface, dispatching on the payload's id (`action_id`,
 * `callback_id`) through a map. Why not one `app.action(id, …)` per handler: Bolt runs every
 * registered listener's middleware chain (type filter, constraint match) for every request, so
 * with 13 actions and 3 views each request paid for ~20 chains; one router per surface pays for a
 * handful and a map lookup (issue 7 item 8, measured in bench/README.md). An id with no handler
 * does nothing: the dedupe middleware acks it empty and logs it, as when no listener matched.
 */
export function routeById<A>(idOf: (args: A) => string | undefined, routes: Record<string, Handler<A>>) {
  const table = new Map<string, Handler<A>>(Object.entries(routes));
  return async (args: A): Promise<void> => {
    const id = idOf(args);
    const handler = id === undefined ? undefined : table.get(id);
    if (handler) await handler(args);
  };
}
