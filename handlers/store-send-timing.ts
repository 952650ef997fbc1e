import diagnosticsChannel from 'node:diagnostics_channel';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The diagnostics channel on which every DynamoDB `send()` of a runtime reports its duration:
 * `{ command, start, end }` in `performance.now()` milliseconds, from the first middleware to the
 * parsed (and unmarshalled) result — marshalling, SigV4 signing, the HTTP round trip and parsing,
 * everything a store round trip costs the caller. `npm run bench` subscribes to it; with no
 * subscriber the middleware only checks `hasSubscribers` and passes the call on.
 */
export const STORE_SEND_CHANNEL = 'command-center:dynamodb:send';

/** One DynamoDB call as reported on `STORE_SEND_CHANNEL`. */
export interface StoreSendTiming {
  command: string;
  start: number;
  end: number;
}

/** Adds the reporting middleware to `db`'s stack (once per client; the runtime calls it). */
export function reportStoreSendTimings(db: Pick<DynamoDBDocumentClient, 'middlewareStack'>): void {
  const channel = diagnosticsChannel.channel(STORE_SEND_CHANNEL);
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (!channel.hasSubscribers) return next(args);
      const start = performance.now();
      try {
        return await next(args);
      } finally {
        const timing: StoreSendTiming = {
          command: String(context.commandName ?? ''),
          start,
          end: performance.now(),
        };
        channel.publish(timing);
      }
    },
    // First in the initialize step, so the document client's marshalling is inside the timing too.
    { step: 'initialize', priority: 'high', name: 'commandCenterStoreSendTiming' },
  );
}
