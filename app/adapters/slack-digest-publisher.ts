import type { FilesGetUploadURLExternalArguments, WebClient } from '@slack/web-api';
import { DIGEST_METADATA_EVENT, type DigestPicture } from '../domain/digest';
import type { OncePost, OncePostOutcome, PostLedger } from '../domain/outbound-post';
import { SlackApiError } from '../errors';
import { slackErrorCode } from './slack';
import type { SlackPoster } from './slack-post-once';

/**
 * Slack for digests: posts the rendered message (never renders) through the shared crash-safe post
 * (`SlackPoster`, the run record being its ledger), finds a digest by its run key in the message
 * metadata, and uploads the timeline picture. The upload is files.uploadV2's three steps
 * (`files.getUploadURLExternal` → POST the bytes → `files.completeUploadExternal`) done here rather
 * than through `WebClient.filesUploadV2`, because web-api 8 sends the image description as
 * `alt_text` while Slack documents `alt_txt`: both are sent, so the alt text is not lost either way.
 */
export class SlackDigestPublisher {
  constructor(
    private readonly slack: WebClient,
    private readonly poster: SlackPoster,
    private readonly options: { fetch?: typeof fetch; uploadTimeoutMs?: number } = {},
  ) {}

  async postOnce(ledger: PostLedger, post: OncePost): Promise<{ ts: string; outcome: OncePostOutcome }> {
    const { ts, outcome } = await this.poster.postOnce(ledger, post);
    return { ts, outcome };
  }

  async findPosted(channelId: string, runKey: string, oldest: Date): Promise<string | undefined> {
    const found = await this.poster.find(
      { key: runKey, channel: channelId, metadata: { event_type: DIGEST_METADATA_EVENT, event_payload: {} } },
      oldest,
    );
    return found?.ts;
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
