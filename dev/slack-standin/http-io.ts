import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Args } from './support';

/* Reading requests and writing answers the way the Web API does, for the stand-in's HTTP server. */

/** Fields Slack takes as JSON inside a form body (web-api v8 JSON-stringifies objects and arrays). */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'files',
]);
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** A form field that should hold JSON and does not (Slack answers `invalid_arguments`). */
export class BadJson extends Error {
  constructor(readonly field: string) {
    super(`bad JSON in ${field}`);
  }
}

/** The request body, at most `max` bytes. */
export async function readBytes(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > max) throw new Error('body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

/** Web API arguments from the query, a JSON body or a form body (with its JSON fields parsed). */
export function parseArgs(raw: string, contentType: string, query: URLSearchParams): Args {
  const args: Args = {};
  for (const [key, value] of query) args[key] = value;
  if (raw.length === 0) return args;
  if (contentType.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(args, parsed);
    return args;
  }
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(key)) {
      try {
        args[key] = JSON.parse(value);
      } catch {
        throw new BadJson(key);
      }
    } else {
      args[key] = value;
    }
  }
  return args;
}

/** A JSON answer. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
