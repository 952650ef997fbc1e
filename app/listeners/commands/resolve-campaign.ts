import type { AppDeps } from '../../deps';
import type { Campaign } from '../../domain/model';
import { escapeMrkdwn } from '../../domain/text';

/**
 * Finds the campaign a subcommand names (id or forgiving name, the same matcher as `/mcc status`).
 * Returns it, or the text to answer with when there is none or several.
 */
export async function resolveCampaignArg(
  deps: AppDeps,
  query: string,
  usage: string,
): Promise<{ campaign: Campaign } | { reply: string }> {
  if (query.trim() === '') return { reply: `Which campaign? Usage: \`${escapeMrkdwn(usage)}\`` };
  const match = await deps.services.campaignQuery.findCampaign(query);
  if (match.kind === 'one') return { campaign: match.item };
  const list = (items: Campaign[]) =>
    items.map((c) => `• *${escapeMrkdwn(c.name)}* — \`${c.campaignId}\``).join('\n');
  if (match.kind === 'no_such_id') {
    return { reply: `No campaign with id \`${escapeMrkdwn(match.id.slice(0, 100))}\`. Usage: \`${usage}\`` };
  }
  if (match.kind === 'several') {
    return {
      reply: `Several campaigns match “${escapeMrkdwn(query.slice(0, 100))}”. Which one? Use its id:\n${list(match.items.slice(0, 10))}`,
    };
  }
  return {
    reply: `I could not find a campaign called “${escapeMrkdwn(query.slice(0, 100))}”.${match.closest.length > 0 ? ` Closest:\n${list(match.closest)}` : ''}`,
  };
}
