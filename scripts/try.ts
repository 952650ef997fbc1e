/**
 * Talk to the bot that `npm start` runs, the way Slack would: signs a slash command, an
 * @-mention or a DM with the local signing secret, posts it to /slack/events, prints the
 * immediate answer (the ack), then prints what the bot posted afterwards, as the Slack
 * stand-in recorded it.
 *
 *   npx tsx scripts/try.ts "/mcc status spring launch"
 *   npx tsx scripts/try.ts "@mcc what launches this week?"
 *   npx tsx scripts/try.ts "dm: my tasks"
 *   npx tsx scripts/try.ts --user U0PRIYA "/mcc approvals"
 */
import { randomBytes } from 'node:crypto';
import { LOCAL_SIGNING_SECRET, localStandInPort } from '../dev/local-constants';
import { signSlackRequest } from '../dev/slack-signature';

const port = Number(process.env.PORT ?? 3000);
const botUrl = `http://localhost:${port}/slack/events`;
const standinUrl = `http://127.0.0.1:${localStandInPort(process.env)}`;
const secret = process.env.SLACK_SIGNING_SECRET ?? LOCAL_SIGNING_SECRET;
const BOT_USER = 'U0LOCALBOT';

interface Snapshot {
  channels: {
    id: string;
    name: string;
    messages: { ts: string; text: string; thread_ts?: string; blocks?: unknown[] }[];
  }[];
  responses: { id: string; at: string; status: number; body: { text?: string; blocks?: unknown[] } }[];
  ephemerals: { channel: string; user: string; text?: string; blocks?: unknown[] }[];
}

function sign(body: string): Record<string, string> {
  return { ...signSlackRequest(body, secret) };
}

async function snapshot(): Promise<Snapshot> {
  const res = await fetch(`${standinUrl}/_standin/state`);
  return (await res.json()) as Snapshot;
}

/** Block Kit flattened to readable text: what a person would see, minus the styling. */
function render(blocks: unknown[] | undefined, text: string | undefined): string {
  if (!blocks?.length) return text ?? '';
  const lines: string[] = [];
  const textOf = (t: unknown): string =>
    t && typeof t === 'object' && 'text' in t ? String((t as { text: unknown }).text) : '';
  for (const block of blocks as Record<string, unknown>[]) {
    switch (block.type) {
      case 'header':
        lines.push(`# ${textOf(block.text)}`);
        break;
      case 'section':
        if (block.text) lines.push(textOf(block.text));
        if (Array.isArray(block.fields)) lines.push(block.fields.map(textOf).join('  |  '));
        if (block.accessory)
          lines.push(`  [${textOf((block.accessory as { text?: unknown }).text) || 'menu'}]`);
        break;
      case 'context':
        lines.push(`  ${(block.elements as unknown[]).map(textOf).join(' · ')}`);
        break;
      case 'actions':
        lines.push(
          `  ${(block.elements as { text?: unknown; type: string }[]).map((e) => `[${textOf(e.text) || e.type}]`).join(' ')}`,
        );
        break;
      case 'divider':
        lines.push('  ───');
        break;
      default:
        lines.push(`  (${String(block.type)} block)`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let user = 'U0MAYA';
  const userFlag = args.indexOf('--user');
  if (userFlag !== -1) {
    user = args[userFlag + 1] ?? user;
    args.splice(userFlag, 2);
  }
  const input = args.join(' ').trim();
  if (!input) {
    console.log('usage: npx tsx scripts/try.ts [--user U0…] "/mcc help" | "@mcc question" | "dm: question"');
    process.exit(2);
  }
  const before = await snapshot().catch(() => {
    throw new Error(`The Slack stand-in does not answer on ${standinUrl}: is \`npm start\` running?`);
  });
  const seen = new Set(before.channels.flatMap((c) => c.messages.map((m) => `${c.id}/${m.ts}/${m.text}`)));
  const seenResponses = before.responses.length;
  const seenEphemerals = before.ephemerals.length;

  let body: string;
  let contentType: string;
  const channel = 'C0GENERAL';
  if (input.startsWith('/')) {
    const [command = '/mcc', ...rest] = input.split(/\s+/);
    const minted = (await (
      await fetch(`${standinUrl}/_standin/response-url`, {
        method: 'POST',
        body: JSON.stringify({ channel, user }),
      })
    ).json()) as { url: string };
    body = new URLSearchParams({
      token: 'unused',
      team_id: 'T0LOCAL',
      team_domain: 'command-center-local',
      channel_id: channel,
      channel_name: 'marketing',
      user_id: user,
      user_name: user.toLowerCase(),
      command,
      text: rest.join(' '),
      api_app_id: 'A0LOCALAPP',
      response_url: minted.url,
      trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    }).toString();
    contentType = 'application/x-www-form-urlencoded';
  } else {
    const dm = input.toLowerCase().startsWith('dm:');
    const text = dm ? input.slice(3).trim() : input.replace(/^@\S+\s*/, `<@${BOT_USER}> `);
    const ts = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const event = dm
      ? { type: 'message', channel_type: 'im', channel: `D${user.slice(1)}`, user, text, ts, event_ts: ts }
      : { type: 'app_mention', channel, user, text, ts, event_ts: ts };
    body = JSON.stringify({
      token: 'unused',
      team_id: 'T0LOCAL',
      api_app_id: 'A0LOCALAPP',
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T0LOCAL', user_id: BOT_USER, is_bot: true }],
      event,
    });
    contentType = 'application/json';
  }

  const res = await fetch(botUrl, {
    method: 'POST',
    headers: { 'content-type': contentType, ...sign(body) },
    body,
  });
  const ack = await res.text();
  console.log(`→ ${res.status} ${res.statusText}`);
  if (ack) {
    try {
      const parsed = JSON.parse(ack) as { text?: string; blocks?: unknown[] };
      console.log(render(parsed.blocks, parsed.text));
    } catch {
      console.log(ack);
    }
  }
  // Work after the ack (response_url posts, jobs) lands a moment later.
  const deadline = Date.now() + Number(process.env.TRY_WAIT_MS ?? 4000);
  let printed = 0;
  let printedEphemerals = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 400));
    const now = await snapshot();
    // Successful response_url posts show up below as the ephemeral or channel message they made.
    for (const response of now.responses.slice(seenResponses + printed)) {
      printed += 1;
      if (response.status !== 200) console.log(`\n↳ response_url refused (${response.status})`);
    }
    for (const eph of now.ephemerals.slice(seenEphemerals + printedEphemerals)) {
      printedEphemerals += 1;
      console.log(`\n↳ ephemeral in ${eph.channel} to ${eph.user}:\n${render(eph.blocks, eph.text)}`);
    }
    for (const c of now.channels) {
      for (const m of c.messages) {
        const key = `${c.id}/${m.ts}/${m.text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        console.log(
          `\n↳ #${c.name}${m.thread_ts ? ` (thread ${m.thread_ts})` : ''}:\n${render(m.blocks, m.text)}`,
        );
      }
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
