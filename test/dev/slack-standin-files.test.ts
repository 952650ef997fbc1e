import { WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackDigestPublisher } from '../../app/adapters/slack-digest-publisher';
import { SlackPoster } from '../../app/adapters/slack-post-once';
import { type SlackStandIn, STAND_IN_BOT_TOKEN, startSlackStandIn } from '../../dev/slack-standin';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

describe('Slack stand-in: file uploads and message metadata', () => {
  let standin: SlackStandIn;
  let slack: WebClient;
  beforeAll(async () => {
    standin = await startSlackStandIn();
    slack = new WebClient(STAND_IN_BOT_TOKEN, { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(async () => {
    await standin.close();
  });
  beforeEach(() => {
    standin.reset();
  });

  it('takes web-api’s own filesUploadV2 (multipart upload) into a thread', async () => {
    const parent = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'digest' });
    if (!parent.ts) throw new Error('no ts');
    const result = await slack.filesUploadV2({
      channel_id: 'C0GENERAL',
      thread_ts: parent.ts,
      file: PNG,
      filename: 'timeline.png',
      title: 'Launch timeline',
    });
    expect(result.ok).toBe(true);
    const [file] = standin.files();
    expect(file).toMatchObject({
      name: 'timeline.png',
      title: 'Launch timeline',
      uploadedAs: 'multipart',
      completed: true,
    });
    expect(file?.bytes).toEqual(PNG);
    const reply = standin.thread('C0GENERAL', parent.ts).find((m) => m.ts !== parent.ts);
    expect(reply?.files).toEqual([
      expect.objectContaining({ id: file?.id, mimetype: 'image/png', title: 'Launch timeline' }),
    ]);
    expect(standin.calls().map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload_url',
      'files.completeUploadExternal',
    ]);
  });

  it('answers like Slack when an upload is malformed', async () => {
    const error = await slack.files
      .getUploadURLExternal({ filename: 'x.png', length: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe('invalid_arguments');
    const tooLong = { filename: 'x.png', length: 3, alt_txt: 'a'.repeat(1001) };
    const altError = await slack.files.getUploadURLExternal(tooLong).catch((e: unknown) => e);
    expect((altError as WebAPIPlatformError).data.error).toBe('alt_txt_too_large');
    const never = await slack.files
      .completeUploadExternal({ files: [{ id: 'F0NEVER' }], channel_id: 'C0GENERAL' })
      .catch((e: unknown) => e);
    expect((never as WebAPIPlatformError).data.error).toBe('file_not_found');
  });

  it('returns message metadata from history only when asked, as Slack does', async () => {
    await slack.chat.postMessage({
      channel: 'C0GENERAL',
      text: 'digest',
      metadata: { event_type: 'mcc_digest', event_payload: { run_key: 'digest#C0GENERAL#2026-12-03' } },
    });
    const plain = await slack.conversations.history({ channel: 'C0GENERAL' });
    const withMetadata = await slack.conversations.history({
      channel: 'C0GENERAL',
      include_all_metadata: true,
    });
    expect(plain.messages?.[0]).not.toHaveProperty('metadata');
    expect(withMetadata.messages?.[0]?.metadata).toEqual({
      event_type: 'mcc_digest',
      event_payload: { run_key: 'digest#C0GENERAL#2026-12-03' },
    });
  });

  it('the digest publisher: posts with metadata, finds the message by run key, uploads raw bytes with alt text', async () => {
    const publisher = new SlackDigestPublisher(slack, new SlackPoster(slack));
    const records: { ts?: string; since?: string }[] = [];
    const { ts } = await publisher.postOnce(
      {
        read: async () => undefined,
        begin: async (since) => {
          records.push({ since: since.toISOString() });
        },
        posted: async (posted) => {
          records.push({ ts: posted });
        },
      },
      {
        key: 'digest#C0GENERAL#2026-12-03',
        channel: 'C0GENERAL',
        message: { text: 'Digest', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Digest' } }] },
        metadata: {
          event_type: 'mcc_digest',
          event_payload: {
            run_key: 'digest#C0GENERAL#2026-12-03',
            channel_id: 'C0GENERAL',
            local_date: '2026-12-03',
          },
        },
      },
    );
    // The ledger heard of the post before and after the Slack call.
    expect(records).toEqual([{ since: expect.any(String) }, { ts }]);
    const oldest = new Date(Date.now() - 60_000);
    expect(await publisher.findPosted('C0GENERAL', 'digest#C0GENERAL#2026-12-03', oldest)).toBe(ts);
    expect(await publisher.findPosted('C0GENERAL', 'digest#C0GENERAL#2026-12-04', oldest)).toBeUndefined();
    await publisher.uploadPicture('C0GENERAL', ts, {
      png: PNG,
      altText: 'Launch timeline: Spring Launch on Dec 4',
      title: 'Launch timeline',
      filename: 'launch-timeline-2026-12-03.png',
    });
    expect(standin.files()[0]).toMatchObject({
      uploadedAs: 'raw',
      alt_txt: 'Launch timeline: Spring Launch on Dec 4',
      threadTs: ts,
    });
    standin.failNext('upload_url', { status: 500 });
    await expect(
      publisher.uploadPicture('C0GENERAL', ts, { png: PNG, altText: 'a', title: 't', filename: 'f.png' }),
    ).rejects.toThrow(/HTTP 500/);
  });
});
