/**
 * File uploads the way Slack takes them since files.upload was retired (web-api's `filesUploadV2`):
 * `files.getUploadURLExternal` → POST the bytes to the returned `upload_url` → `files.completeUploadExternal`,
 * which shares the file in a channel (or a thread) as a message carrying it. Errors and shapes follow
 * Slack's method pages: `invalid_arguments` (no filename, a length of 0), `alt_txt_too_large` (> 1000),
 * `file_not_found` (an id that was never issued or never received bytes), `channel_not_found`,
 * `not_in_channel`.
 */
import { randomBytes } from 'node:crypto';
import { STAND_IN_BOT_USER_ID, STAND_IN_TEAM_ID } from './fixtures';
import { type Args, SlackApiError } from './support';

/** A file as the stand-in keeps it (its bytes too, so tests can look at the PNG). */
export interface StoredFile {
  id: string;
  name: string;
  title: string;
  length: number;
  alt_txt?: string;
  /** Set once the bytes were POSTed to the upload URL. */
  bytes?: Buffer;
  /** How the bytes came: raw body or a multipart form field (web-api sends the form). */
  uploadedAs?: 'raw' | 'multipart';
  /** Channel and thread it was shared to on completion. */
  channel?: string;
  threadTs?: string;
  completed: boolean;
}

const ALT_TXT_MAX = 1000;

function mimetypeOf(name: string): string {
  const extension = name.split('.').pop()?.toLowerCase();
  if (extension === 'png') return 'image/png';
  if (extension === 'jpg' || extension === 'jpeg') return 'image/jpeg';
  if (extension === 'txt') return 'text/plain';
  return 'application/octet-stream';
}

export class FileStore {
  readonly files = new Map<string, StoredFile>();

  clear(): void {
    this.files.clear();
  }

  /** The Slack file object of a stored file (what `files.completeUploadExternal` and messages carry). */
  fileObject(file: StoredFile, created: number): Record<string, unknown> {
    const mimetype = mimetypeOf(file.name);
    return {
      id: file.id,
      created,
      timestamp: created,
      name: file.name,
      title: file.title,
      mimetype,
      filetype: file.name.split('.').pop()?.toLowerCase() ?? 'binary',
      pretty_type: mimetype === 'image/png' ? 'PNG' : 'Binary',
      user: STAND_IN_BOT_USER_ID,
      user_team: STAND_IN_TEAM_ID,
      size: file.bytes?.length ?? file.length,
      mode: 'hosted',
      is_external: false,
      is_public: file.channel?.startsWith('C') ?? false,
      ...(file.alt_txt ? { alt_txt: file.alt_txt } : {}),
      channels: file.channel?.startsWith('C') ? [file.channel] : [],
      groups: file.channel?.startsWith('G') ? [file.channel] : [],
      ims: [],
    };
  }

  /** `files.getUploadURLExternal`: a file id and where to POST its bytes. */
  getUploadUrl(args: Args, baseUrl: string): Record<string, unknown> {
    const filename = typeof args.filename === 'string' ? args.filename : '';
    const length = Number(args.length);
    if (filename.length === 0 || !Number.isInteger(length) || length <= 0) {
      throw new SlackApiError('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] filename and a positive length are required'] },
      });
    }
    const altTxt = typeof args.alt_txt === 'string' ? args.alt_txt : undefined;
    if (altTxt !== undefined && altTxt.length > ALT_TXT_MAX) throw new SlackApiError('alt_txt_too_large');
    const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
    this.files.set(id, {
      id,
      name: filename,
      title: filename,
      length,
      ...(altTxt !== undefined ? { alt_txt: altTxt } : {}),
      completed: false,
    });
    return { ok: true, upload_url: `${baseUrl}/upload/v1/${id}`, file_id: id };
  }

  /**
   * The POST to an upload URL: raw bytes, or a multipart form whose (first) file field is the
   * content. Slack answers 200 with `OK - <bytes>`; an unknown URL is a 404.
   */
  async receive(id: string, body: Buffer, contentType: string): Promise<{ status: number; text: string }> {
    const file = this.files.get(id);
    if (!file) return { status: 404, text: 'Not Found' };
    let bytes = body;
    let uploadedAs: StoredFile['uploadedAs'] = 'raw';
    if (contentType.toLowerCase().startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(body), {
        headers: { 'content-type': contentType },
      }).formData();
      let part: Blob | undefined;
      for (const value of form.values()) {
        if (typeof value !== 'string') {
          part = value;
          break;
        }
      }
      if (!part) return { status: 400, text: 'no file in the form' };
      bytes = Buffer.from(await part.arrayBuffer());
      uploadedAs = 'multipart';
    }
    file.bytes = bytes;
    file.uploadedAs = uploadedAs;
    return { status: 200, text: `OK - ${bytes.length}` };
  }

  /** Parses `files` (a JSON array, or its string form) of `files.completeUploadExternal`. */
  completions(args: Args): { id: string; title?: string }[] {
    let raw: unknown = args.files;
    if (typeof raw === 'string') {
      try {
        raw = JSON.parse(raw);
      } catch {
        throw new SlackApiError('invalid_arguments');
      }
    }
    if (!Array.isArray(raw) || raw.length === 0) throw new SlackApiError('invalid_arguments');
    return raw.map((entry) => {
      if (entry === null || typeof entry !== 'object' || !('id' in entry) || typeof entry.id !== 'string') {
        throw new SlackApiError('invalid_arguments');
      }
      const title = 'title' in entry && typeof entry.title === 'string' ? entry.title : undefined;
      return { id: entry.id, ...(title !== undefined ? { title } : {}) };
    });
  }

  /** The stored, uploaded files for a completion; `file_not_found` for an unknown or empty one. */
  uploaded(entries: { id: string; title?: string }[]): StoredFile[] {
    return entries.map((entry) => {
      const file = this.files.get(entry.id);
      if (!file?.bytes) throw new SlackApiError('file_not_found');
      if (entry.title) file.title = entry.title;
      return file;
    });
  }
}
