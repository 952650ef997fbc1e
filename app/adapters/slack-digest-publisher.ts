import type { FilesGetUploadURLExternalArguments, WebClient } from '@slack/web-api';
import { z } from 'zod';
import {
  DIGEST_METADATA_EVENT,
  type DigestMessage,
  type DigestMessageMetadata,
  type DigestPicture,
} from '../domain/digest';
import { SlackApiError } from '../errors';
import { slackErrorCode } from './slack';

const HistoryPage = z.object({
  messages: z
    .array(
      z.looseObject({
        ts: z.string(),
        metadata: z
          .looseObject({
            event_type: z.string(),
            event_payload: z.record(z.string(), z.unknown()).optional(),
          })
          .optional(),
      }),
    )
    .default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/** Pages of history read when looking for an earlier attempt's digest (100 messages each). */
const MAX_HISTORY_PAGES = 5;

/**
 * Slack for digests: posts the rendered message (never renders), finds a digest by the run key in
 * its metadata, and uploads the timeline picture. The upload is files.uploadV2's three steps
 * (`files.getUploadURLExternal` → POST the bytes → `files.completeUploadExternal`) done here rather
 * than through `WebClient.filesUploadV2`, because web-api 8 sends the image description as
 * `alt_text` while Slack documents `alt_txt`: both are sent, so the alt text is not lost either way.
 */
export class SlackDigestPublisher {
  constructor(
    private readonly slack: WebClient,
    private readonly options: { fetch?: typeof fetch; uploadTimeoutMs?: number } = {},
  ) {}

  async post(channelId: string, message: DigestMessage, metadata: DigestMessageMetadata): Promise<string> {
    const posted = await this.slack.chat.postMessage({
      channel: channelId,
      text: message.text,
      blocks: message.blocks,
      metadata,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!posted.ts) throw new SlackApiError('chat.postMessage returned no ts for the digest');
    return posted.ts;
  }

  async findPosted(channelId: string, runKey: string, oldest: Date): Promise<string | undefined> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const raw = await this.slack.conversations.history({
        channel: channelId,
        oldest: (oldest.getTime() / 1000).toFixed(6),
        include_all_metadata: true,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      const parsed = HistoryPage.parse(raw);
      const found = parsed.messages.find(
        (m) =>
          m.metadata?.event_type === DIGEST_METADATA_EVENT && m.metadata.event_payload?.run_key === runKey,
      );
      if (found) return found.ts;
      cursor = parsed.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  async uploadPicture(channelId: string, threadTs: string, picture: DigestPicture): Promise<void> {
    const request: FilesGetUploadURLExternalArguments & { alt_txt: string } = {
      filename: picture.filename,
      length: picture.png.byteLength,
      alt_txt: picture.altText,
      alt_text: picture.altText,
    };
    const target = await this.slack.files.getUploadURLExternal(request);
    if (!target.upload_url || !target.file_id) {
      throw new SlackApiError('files.getUploadURLExternal returned no upload_url or file_id');
    }
    const fetchFn = this.options.fetch ?? fetch;
    const response = await fetchFn(target.upload_url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: picture.png,
      signal: AbortSignal.timeout(this.options.uploadTimeoutMs ?? 10_000),
    });
    if (response.status !== 200) {
      throw new SlackApiError(`file upload to Slack answered HTTP ${response.status}`);
    }
    await this.slack.files.completeUploadExternal({
      files: [{ id: target.file_id, title: picture.title }],
      channel_id: channelId,
      thread_ts: threadTs,
    });
  }
}

/**
 * Channel membership from the Web API: `conversations.info` (`is_member` says whether the bot is in)
 * and `conversations.members`, paged until the user is found (at most 20 pages of 1,000).
 */
export class SlackChannelAccess {
  constructor(private readonly slack: WebClient) {}

  async botIsMember(channelId: string): Promise<boolean | undefined> {
    try {
      const info = await this.slack.conversations.info({ channel: channelId });
      return info.channel?.is_member === true;
    } catch (error) {
      if (slackErrorCode(error) === 'channel_not_found') return undefined;
      throw error;
    }
  }

  async isMember(userId: string, channelId: string): Promise<boolean> {
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const out = await this.slack.conversations.members({
        channel: channelId,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      if ((out.members ?? []).includes(userId)) return true;
      cursor = out.response_metadata?.next_cursor || undefined;
      if (!cursor) return false;
    }
    return false;
  }
}
