import { AsyncLocalStorage } from 'node:async_hooks';
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import { emfFields, METRICS, type MetricKey } from './metrics';

/**
 * Structured JSON logs, one line per entry, with the request id of the work in progress.
 *
 * Written here rather than taken from Powertools Logger because two things must hold for every
 * line, including the ones Bolt and the Web API client write through this logger: secrets are
 * scrubbed by value (a token can hide inside any string, e.g. an error message or a URL), and
 * email addresses are masked (DESIGN.md). A formatter hook on another logger would still need
 * this code; it is small and tested.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogContext {
  requestId?: string;
  [key: string]: unknown;
}

const contextStore = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` (e.g. `{ requestId }`) attached to every log line written inside it. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  const parent = contextStore.getStore();
  return contextStore.run({ ...parent, ...context }, fn);
}

function currentLogContext(): LogContext {
  return contextStore.getStore() ?? {};
}

const TOKEN_PATTERN = /\bxox[abeprs]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+|\bxoxe\.xox[bp]-[A-Za-z0-9-]+/g;
const EMAIL_PATTERN = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const SECRET_KEYS = /(token|secret|password|authorization|api[-_]?key|signature|cookie)/i;

/** Masks emails: `jane.doe@example.com` → `j***@example.com`. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL_PATTERN, '$1***@$2');
}

export interface LoggerOptions {
  level?: Level;
  name?: string;
  /** Raw secret values to scrub wherever they appear. */
  secrets?: readonly string[];
  /** Where lines go; defaults to stdout. */
  sink?: (line: string) => void;
  clock?: () => Date;
  /** CloudWatch namespace for `metric()` (EMF); without one, metrics are not written. */
  metricsNamespace?: string;
}

/** The app's logger. Also satisfies Bolt's `Logger`, so Bolt and the Web API client log through it. */
export class AppLogger implements SlackLogger {
  private level: Level;
  private name: string;
  private readonly secrets: string[];
  private readonly sink: (line: string) => void;
  private readonly clock: () => Date;
  private readonly fields: Record<string, unknown>;
  private readonly metricsNamespace: string | undefined;

  /**
   * @param sharedSecrets internal: a child logger shares its parent's list, so secrets added to the
   * parent later (`addSecrets`) are scrubbed from the child's lines too.
   */
  constructor(options: LoggerOptions = {}, fields: Record<string, unknown> = {}, sharedSecrets?: string[]) {
    this.level = options.level ?? 'info';
    this.name = options.name ?? 'command-center';
    // Longest first, so a secret that contains another is scrubbed whole.
    this.secrets =
      sharedSecrets ??
      [...(options.secrets ?? [])].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
    this.sink = options.sink ?? ((line) => process.stdout.write(`${line}\n`));
    this.clock = options.clock ?? (() => new Date());
    this.fields = fields;
    this.metricsNamespace = options.metricsNamespace;
  }

  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): AppLogger {
    const child = new AppLogger(
      {
        level: this.level,
        name: this.name,
        sink: this.sink,
        clock: this.clock,
        ...(this.metricsNamespace ? { metricsNamespace: this.metricsNamespace } : {}),
      },
      { ...this.fields, ...fields },
      this.secrets,
    );
    return child;
  }

  /** Adds secrets discovered after construction (e.g. loaded from Secrets Manager). */
  addSecrets(values: readonly string[]): void {
    for (const value of values)
      if (value.length >= 6 && !this.secrets.includes(value)) this.secrets.push(value);
    this.secrets.sort((a, b) => b.length - a.length);
  }

  debug(...msg: unknown[]): void {
    this.write('debug', msg);
  }
  info(...msg: unknown[]): void {
    this.write('info', msg);
  }
  warn(...msg: unknown[]): void {
    this.write('warn', msg);
  }
  error(...msg: unknown[]): void {
    this.write('error', msg);
  }
  /** Whether `metric()` writes anything (a namespace is configured). */
  get metricsEnabled(): boolean {
    return this.metricsNamespace !== undefined;
  }

  /**
   * Records one value of a metric (`app/metrics.ts`) as an Embedded Metric Format line, whatever the
   * log level (an alarm must not go blind because LOG_LEVEL is `warn`). Does nothing without a
   * metrics namespace (local runs and tests that do not ask for metrics).
   */
  metric(key: MetricKey, value: number, fields: Record<string, unknown> = {}): void {
    if (!this.metricsNamespace || !Number.isFinite(value)) return;
    const entry: Record<string, unknown> = {
      time: this.clock().toISOString(),
      level: 'info',
      logger: this.name,
      ...currentLogContext(),
      ...this.fields,
      ...fields,
      msg: `metric ${METRICS[key].name}`,
      ...emfFields(this.metricsNamespace, METRICS[key], value, this.clock().getTime()),
    };
    this.sink(this.scrub(safeStringify(entry, MAX_LOGGED_STRING)));
  }

  setLevel(level: LogLevel): void {
    this.level =
      level === LogLevel.DEBUG
        ? 'debug'
        : level === LogLevel.WARN
          ? 'warn'
          : level === LogLevel.ERROR
            ? 'error'
            : 'info';
  }
  getLevel(): LogLevel {
    return this.level as LogLevel;
  }
  setName(name: string): void {
    this.name = name;
  }
  isLevelEnabled(level: Level): boolean {
    return order[level] >= order[this.level];
  }

  private write(level: Level, msg: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    const entry: Record<string, unknown> = {
      time: this.clock().toISOString(),
      level,
      logger: this.name,
      ...currentLogContext(),
      ...this.fields,
    };
    const texts: string[] = [];
    for (const part of msg) {
      if (part instanceof Error) {
        entry.error = serializeError(part);
      } else if (part !== null && typeof part === 'object') {
        Object.assign(entry, part);
      } else {
        texts.push(String(part));
      }
    }
    entry.msg = texts.join(' ');
    let line = this.scrub(safeStringify(entry, MAX_LOGGED_STRING));
    // Several long fields (an error's message, its stack, its cause's) can still add up: then every
    // string is cut shorter, so the line stays valid JSON and bounded.
    if (line.length > MAX_LOGGED_LINE) line = this.scrub(safeStringify(entry, SHORT_LOGGED_STRING));
    // Still too long (a great many fields): the essentials only, said to be cut.
    if (line.length > MAX_LOGGED_LINE) {
      const { time, logger, requestId, msg, code } = entry;
      const essentials = { time, level, logger, requestId, code, msg, truncated: true };
      line = this.scrub(safeStringify(essentials, SHORT_LOGGED_STRING));
    }
    this.sink(line);
  }

  /** Scrubs secrets by value and token shapes, and masks emails, in an already serialised line. */
  scrub(line: string): string {
    let out = line;
    for (const secret of this.secrets)
      for (const form of secretForms(secret)) out = out.split(form).join('[REDACTED]');
    return maskEmails(out.replace(TOKEN_PATTERN, '[REDACTED]'));
  }
}

const formsCache = new Map<string, string[]>();

/**
 * The shapes a secret takes in a serialised line: as is; JSON-escaped once (a string field),
 * twice (a JSON body logged as a string, e.g. the Web API client's debug lines) or three times; URL- or
 * form-encoded (a query string or form body). Longest first, so no form leaves a fragment of another.
 */
function secretForms(secret: string): string[] {
  let forms = formsCache.get(secret);
  if (!forms) {
    const escaped = [secret];
    for (let depth = 0; depth < 3; depth += 1)
      escaped.push(JSON.stringify(escaped[escaped.length - 1]).slice(1, -1));
    const url = encodeURIComponent(secret);
    const form = new URLSearchParams({ v: secret }).toString().slice(2);
    forms = [...new Set([...escaped, url, form])].sort((a, b) => b.length - a.length);
    formsCache.set(secret, forms);
  }
  return forms;
}

function serializeError(error: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  const coded = error as Error & { code?: unknown; cause?: unknown };
  if (coded.code !== undefined) out.code = coded.code;
  if (error.stack) out.stack = error.stack.split('\n').slice(0, 8).join('\n');
  if (coded.cause instanceof Error && depth < 3) out.cause = serializeError(coded.cause, depth + 1);
  return out;
}

/**
 * The longest string a log line carries in one field: a line must stay readable and cheap whatever
 * a request held (a 990 KB text would otherwise be logged whole, escaped into megabytes).
 */
export const MAX_LOGGED_STRING = 2_000;
/** A line longer than this is written again with every string cut to `SHORT_LOGGED_STRING`. */
export const MAX_LOGGED_LINE = 4_000;
const SHORT_LOGGED_STRING = 240;

function safeStringify(value: unknown, maxString: number): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (key && SECRET_KEYS.test(key) && typeof v === 'string') return '[REDACTED]';
    if (typeof v === 'string' && v.length > maxString)
      return `${v.slice(0, maxString)}… [${v.length - maxString} more characters]`;
    if (v !== null && typeof v === 'object') {
      if (seen.has(v)) return '[Circular]';
      seen.add(v);
    }
    return v;
  });
}
