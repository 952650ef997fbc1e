import { z } from 'zod';
import { digestMessage } from '../../blocks/digest';
import { timelineDrawing } from '../../blocks/digest-timeline';
import type { SvgRasterizer } from '../adapters/png-rasterizer';
import { SCHEDULED_TIME_PLACEHOLDER } from '../adapters/recurring-scheduler';
import type { AppDeps } from '../deps';
import type { DigestOutput } from '../services/digest/runner';
import { DIGEST_RUN_KIND } from '../services/digest/subscriptions';
import type { ScheduledHandler } from './types';

const Payload = z.object({
  channelId: z.string().regex(/^[CG][A-Z0-9]{2,}$/),
  scheduledTime: z.string().optional(),
});

/**
 * How digests are drawn in this process: the Block Kit message always, the timeline picture only
 * where a rasteriser was given (the scheduled function and `npm start`; the worker bundle carries
 * none, so a digest served there goes out without the picture and says nothing is missing).
 */
export function digestOutput(rasterizer: SvgRasterizer | undefined): DigestOutput {
  return {
    render: (content) => digestMessage(content),
    ...(rasterizer
      ? {
          picture: async (content) => {
            const drawing = timelineDrawing(content);
            if (!drawing) return undefined;
            return {
              png: await rasterizer.toPng(drawing.svg),
              altText: drawing.altText,
              title: drawing.title,
              filename: `launch-timeline-${content.localDate}.png`,
            };
          },
        }
      : {}),
  };
}

/**
 * `digest.run`: a channel's scheduled digest (`{ kind, channelId, scheduledTime }`, the time filled
 * in by EventBridge Scheduler or the in-process scheduler). A run another attempt is posting throws
 * `DigestRunBusyError`, so the delivery is retried; everything else is idempotent per channel and day.
 */
export function digestScheduledHandlers(
  deps: AppDeps,
  output: DigestOutput,
): Record<string, ScheduledHandler> {
  return {
    [DIGEST_RUN_KIND]: async (payload) => {
      const parsed = Payload.parse(payload);
      let scheduledTime = parsed.scheduledTime;
      if (
        scheduledTime === SCHEDULED_TIME_PLACEHOLDER ||
        (scheduledTime && Number.isNaN(Date.parse(scheduledTime)))
      ) {
        // The schedule's input was not templated (an invocation by hand, or an unexpected target):
        // the run is served as the latest due one, and the log says why.
        deps.logger.warn(
          { event: 'digest_scheduled_time_missing', channelId: parsed.channelId, scheduledTime },
          'scheduledTime was not filled in; serving the latest due run',
        );
        scheduledTime = undefined;
      }
      const result = await deps.services.digests.run(
        { channelId: parsed.channelId, scheduledTime, trigger: 'schedule' },
        output,
      );
      deps.logger.info({ kind: DIGEST_RUN_KIND, channelId: parsed.channelId, ...result }, 'digest run');
    },
  };
}
