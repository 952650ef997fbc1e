import { z } from 'zod';
import { CAMPAIGN_TYPES } from '../../domain/model';
import { ActionIds, CampaignModalBlocks } from '../../ids';
import { type NewCampaignInput, parseUsdToCents } from '../../services/campaign-inputs';

/** One input's state as Slack sends it in `view.state.values[block][action]` (only what we read). */
const InputState = z.looseObject({
  type: z.string(),
  value: z.string().nullish(),
  selected_date: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
});
export const ViewStateValues = z.record(z.string(), z.record(z.string(), InputState));
export type ViewStateValues = z.infer<typeof ViewStateValues>;

/** The state of one input block (its only element has action id `ActionIds.modalInput`). */
export function inputState(values: ViewStateValues, blockId: string): z.infer<typeof InputState> | undefined {
  return values[blockId]?.[ActionIds.modalInput];
}

/**
 * Reads the new-campaign modal into a `NewCampaignInput`. What can't be parsed (a budget that is
 * not an amount) goes into `errors`, keyed by block id; the service validates the rest.
 */
export function readCampaignForm(values: ViewStateValues): {
  input: NewCampaignInput;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const text = (block: string) => inputState(values, block)?.value?.trim() ?? '';
  const budget = parseUsdToCents(text(CampaignModalBlocks.budgetCents));
  if (!budget.ok) errors[CampaignModalBlocks.budgetCents] = budget.message;
  const typeValue = inputState(values, CampaignModalBlocks.type)?.selected_option?.value ?? '';
  const tierValue = Number(inputState(values, CampaignModalBlocks.tier)?.selected_option?.value ?? 0);
  const type = CAMPAIGN_TYPES.find((t) => t === typeValue);
  const tier = tierValue === 1 || tierValue === 2 || tierValue === 3 ? tierValue : undefined;
  if (!type) errors[CampaignModalBlocks.type] = 'Choose standard, event or partner.';
  if (!tier) errors[CampaignModalBlocks.tier] = 'Choose tier 1, 2 or 3.';
  const input: NewCampaignInput = {
    name: text(CampaignModalBlocks.name),
    type: type ?? 'standard',
    tier: tier ?? 1,
    teamId: inputState(values, CampaignModalBlocks.teamId)?.selected_option?.value ?? '',
    // A budget we could not parse is reported from `errors`; 1 cent keeps the service checking the rest.
    budgetCents: budget.ok ? budget.cents : 1,
    launchDate: inputState(values, CampaignModalBlocks.launchDate)?.selected_date ?? '',
    endDate: inputState(values, CampaignModalBlocks.endDate)?.selected_date ?? undefined,
    audience: text(CampaignModalBlocks.audience) || undefined,
    channels: (inputState(values, CampaignModalBlocks.channels)?.selected_options ?? []).map((o) => o.value),
    description: text(CampaignModalBlocks.description) || undefined,
  };
  return { input, errors };
}

/** Maps a `ValidationError`'s field keys (`NewCampaignInput` keys) to the modal's block ids. */
export function fieldErrorsToBlocks(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields)) {
    const block =
      Object.entries(CampaignModalBlocks).find(([key]) => key === field)?.[1] ?? CampaignModalBlocks.name;
    out[block] ??= message;
  }
  return out;
}
