import { type BlockIssue, formatIssue } from './validate-blocks';

/* Small pieces shared by the stand-in's workspace and its Web API method families. */

/** An `{ ok: false, error }` answer (HTTP 200), with optional extra fields (`errors`, `response_metadata`). */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
    this.name = 'SlackApiError';
  }
}

export type Args = Record<string, unknown>;
export type MethodHandler = (args: Args) => Record<string, unknown>;

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function nonEmpty(value: unknown): string | undefined {
  const s = str(value);
  return s !== undefined && s.length > 0 ? s : undefined;
}

export function blockErrors(issues: BlockIssue[]): Record<string, unknown> {
  const errors = issues.map(formatIssue);
  return { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } };
}

/** `America/New_York` at `at` → offset in seconds (e.g. -18000) and label (e.g. `Eastern Standard Time`). */
export function timeZoneInfo(tz: string, at: Date): { offset: number; label: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    timeZoneName: 'long',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const offset = Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000) * 60;
  const label = parts.find((p) => p.type === 'timeZoneName')?.value ?? tz;
  return { offset, label };
}

/** Orders Slack timestamps (`seconds.micros`) numerically. */
export function compareTs(a: string, b: string): number {
  const [as = '0', am = '0'] = a.split('.');
  const [bs = '0', bm = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(am.padEnd(6, '0')) - Number(bm.padEnd(6, '0'));
}
