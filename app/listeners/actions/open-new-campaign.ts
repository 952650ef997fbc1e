import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { CAMPAIGN_TYPES } from '../../domain/model';
import { openCampaignModal } from '../shortcuts/new-campaign';
import { ackedAction } from './respond-failure';

/** The optional prefill an agent puts in the button value (see `openNewCampaignButton`). */
const Prefill = z
  .object({
    name: z.string().max(150).optional(),
    type: z.enum(CAMPAIGN_TYPES).optional(),
    tier: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    teamId: z.string().max(100).optional(),
    budget: z.string().max(20).optional(),
    launchDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    endDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    audience: z.string().max(500).optional(),
    channels: z.array(z.string().max(50)).max(20).optional(),
    description: z.string().max(3000).optional(),
  })
  .strip();

const Payload = z.object({
  trigger_id: z.string().min(1),
  channel: z.object({ id: z.string() }).optional(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ value: z.string().optional() })).min(1),
});

function parsePrefill(value: string | undefined) {
  if (!value) return undefined;
  try {
    const parsed = Prefill.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The "Create a campaign" button (offered by the agent or any message): opens the modal, prefilled
 * from the button value; the requester hears back in the thread the button was in. `views.open`
 * stays before the HTTP response: the click's `trigger_id` must be used within 3 seconds.
 */
export function openNewCampaign(deps: AppDeps) {
  return ackedAction('open_new_campaign', deps, async ({ body, client }) => {
    const payload = Payload.parse(body);
    const prefill = parsePrefill(payload.actions[0]?.value);
    const channelId = payload.channel?.id;
    const threadTs = payload.message ? (payload.message.thread_ts ?? payload.message.ts) : undefined;
    await openCampaignModal(deps, client, payload.trigger_id, {
      ...(prefill ? { prefill } : {}),
      context: { ...(channelId ? { channelId } : {}), ...(channelId && threadTs ? { threadTs } : {}) },
    });
  });
}
