/**
 * The whole bot on loopback for integration tests: dynalite (own table prefix), the Slack Web API
 * stand-in, and the real HTTP app (Bolt's HTTPReceiver with the replay guard), driven with
 * Slack-signed requests exactly as Slack would send them.
 */
import type { AddressInfo } from 'node:net';
import type { HTTPReceiver, SlashCommand } from '@slack/bolt';
import type { AppMentionEvent, GenericMessageEvent } from '@slack/types';
import { InProcessJobDispatcher } from '../../app/adapters/job-dispatch';
import { waitForInProcessJobs } from '../../app/services/jobs-wiring';
import { type LocalDynamo, startLocalDynamo } from '../../dev/local-dynamo';
import { seedDemoData } from '../../dev/seed';
import { signSlackRequest } from '../../dev/slack-signature';
import { type SlackStandIn, startSlackStandIn } from '../../dev/slack-standin';
import type { StoredView } from '../../dev/slack-standin/state';
import { buildHttpApp, buildRuntime, type Runtime } from '../../handlers/runtime';
import {
  appMentionEvent,
  type BlockActionsOverrides,
  blockActionsPayload,
  directMessageEvent,
  eventCallback,
  interactionBody,
  PAYLOAD_DEFAULTS,
  slashCommandBody,
  type ViewSubmissionOverrides,
  viewSubmissionPayload,
} from './payloads';

const TEST_SIGNING_SECRET = 'test-signing-secret';

export interface HarnessOptions {
  /** Extra or overriding environment (after the harness's own). */
  env?: Record<string, string>;
  /**
   * The app's (domain) clock; any instant, past or future. Request signatures always use the wall
   * clock, which is what Bolt's staleness check and the receiver's future-timestamp guard compare to.
   */
  clock?: () => Date;
  /** Seed the demo portfolio (dev/seed.ts) with the harness clock before the app starts. */
  seed?: boolean;
}

export interface HarnessResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON; throws if it is not JSON. */
  json<T = unknown>(): T;
}

interface PostSlackOptions {
  /** Signing timestamp in seconds; default now (wall clock). */
  timestamp?: number;
  /** Use this signature instead of a correct one. */
  signature?: string;
  headers?: Record<string, string>;
}

type EventOverrides = Record<string, unknown> & { type?: string };

export interface Harness {
  /** `http://127.0.0.1:PORT` of the app. */
  baseUrl: string;
  standin: SlackStandIn;
  /** The harness's dynalite (e.g. `writeCount()` to assert a request wrote nothing). */
  dynamo: LocalDynamo;
  runtime: Runtime;
  receiver: HTTPReceiver;
  /** Every log line the app wrote (JSON strings). */
  logs: string[];
  /** POSTs a raw body to /slack/events, signed unless `opts.signature` says otherwise. */
  postSlack(rawBody: string, contentType: string, opts?: PostSlackOptions): Promise<HarnessResponse>;
  /**
   * `/mcc <text>` as a signed slash command; returns the HTTP response (the ack body) and the
   * stand-in response_url it carried (see `standin.responses(responseUrl)`).
   */
  command(
    text: string,
    overrides?: Partial<SlashCommand>,
    opts?: PostSlackOptions,
  ): Promise<HarnessResponse & { responseUrl: string; rawBody: string }>;
  /** A signed block_actions request; response_url defaults to a stand-in URL tied to the source message. */
  action(
    overrides?: BlockActionsOverrides,
    opts?: PostSlackOptions,
  ): Promise<HarnessResponse & { responseUrl: string }>;
  /**
   * A signed view_submission request. When the view is one the stand-in holds, the ack is applied
   * to it as Slack would: an empty ack closes the view, `response_action: 'clear'` the whole stack.
   */
  viewSubmission(overrides?: ViewSubmissionOverrides, opts?: PostSlackOptions): Promise<HarnessResponse>;
  /**
   * A signed Events API callback. `type: 'message'` builds a DM (`channel_type: 'im'`); no type or
   * `app_mention` builds a mention; any other type is sent as given.
   */
  event(
    eventOverrides?: EventOverrides,
    envelopeOverrides?: Record<string, unknown>,
    opts?: PostSlackOptions,
  ): Promise<HarnessResponse & { eventId: string }>;
  /**
   * Resolves when in-process jobs have nothing running or queued to run now (delayed retries
   * excepted): the effects of work dispatched after an ack have landed.
   */
  idle(): Promise<void>;
  /** Lets running jobs finish (bounded), stops job timers, then stops the app, stand-in and dynalite. */
  close(): Promise<void>;
}

let harnessCount = 0;

async function toResponse(response: Response): Promise<HarnessResponse> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}

/** Starts dynalite, the stand-in and the app; `close()` stops all three. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  harnessCount += 1;
  const prefix = `t${process.pid}-${harnessCount}-${Date.now().toString(36)}-`;
  const dynamo = await startLocalDynamo({ prefix });
  const standin = await startSlackStandIn();
  const logs: string[] = [];
  let receiver: HTTPReceiver | undefined;
  let runtime: Runtime | undefined;
  try {
    runtime = buildRuntime({
      env: {
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_API_URL: standin.apiUrl,
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        TABLE_PREFIX: prefix,
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      ...(options.clock ? { clock: options.clock } : {}),
      sink: (line) => {
        logs.push(line);
      },
    });
    if (options.seed) {
      await seedDemoData(runtime.repositories, { clock: runtime.clock });
    }
    receiver = buildHttpApp(runtime).receiver;
    const server = await receiver.start({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    const signingSecret = runtime.config.slack.signingSecret;
    const builtRuntime = runtime;
    const builtReceiver = receiver;

    const postSlack = async (rawBody: string, contentType: string, opts: PostSlackOptions = {}) => {
      const signed = signSlackRequest(rawBody, signingSecret, opts.timestamp);
      const response = await fetch(`${baseUrl}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          ...signed,
          ...(opts.signature !== undefined ? { 'x-slack-signature': opts.signature } : {}),
          ...opts.headers,
        },
        body: rawBody,
      });
      return toResponse(response);
    };

    const harness: Harness = {
      baseUrl,
      standin,
      dynamo,
      runtime: builtRuntime,
      receiver: builtReceiver,
      logs,
      postSlack,
      async command(text, overrides = {}, opts) {
        const channel = overrides.channel_id ?? PAYLOAD_DEFAULTS.channelId;
        const user = overrides.user_id ?? PAYLOAD_DEFAULTS.userId;
        const responseUrl = overrides.response_url ?? standin.responseUrl({ channel, user });
        const rawBody = slashCommandBody({ text, ...overrides, response_url: responseUrl });
        const response = await postSlack(rawBody, 'application/x-www-form-urlencoded', opts);
        return { ...response, responseUrl, rawBody };
      },
      async action(overrides = {}, opts) {
        const base = blockActionsPayload(overrides);
        const responseUrl =
          overrides.response_url ??
          standin.responseUrl({
            ...(base.channel ? { channel: base.channel.id } : {}),
            user: base.user.id,
            ...(base.message ? { messageTs: base.message.ts } : {}),
          });
        const payload = { ...base, response_url: responseUrl };
        const response = await postSlack(interactionBody(payload), 'application/x-www-form-urlencoded', opts);
        return { ...response, responseUrl };
      },
      async viewSubmission(overrides = {}, opts) {
        const payload = viewSubmissionPayload(overrides);
        const response = await postSlack(interactionBody(payload), 'application/x-www-form-urlencoded', opts);
        applyViewAck(standin, payload.view.id, response);
        return response;
      },
      async event(eventOverrides = {}, envelopeOverrides = {}, opts) {
        const inner =
          eventOverrides.type === 'message'
            ? directMessageEvent(eventOverrides as Partial<GenericMessageEvent>)
            : eventOverrides.type === undefined || eventOverrides.type === 'app_mention'
              ? appMentionEvent(eventOverrides as Partial<AppMentionEvent>)
              : { ...eventOverrides, type: eventOverrides.type };
        const envelope = eventCallback(inner, envelopeOverrides);
        const response = await postSlack(JSON.stringify(envelope), 'application/json', opts);
        return { ...response, eventId: envelope.event_id };
      },
      idle: () => waitForInProcessJobs(builtRuntime.services.jobs),
      async close() {
        // Jobs still running would hit closed servers and log noise into the next test.
        await Promise.race([
          waitForInProcessJobs(builtRuntime.services.jobs).catch(() => undefined),
          new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref()),
        ]);
        const dispatcher = builtRuntime.services.jobs.dispatcher;
        if (dispatcher instanceof InProcessJobDispatcher) dispatcher.close();
        await builtReceiver.stop().catch(() => undefined);
        builtRuntime.db.destroy();
        await standin.close();
        await dynamo.close();
      },
    };
    return harness;
  } catch (error) {
    if (receiver) await receiver.stop().catch(() => undefined);
    runtime?.db.destroy();
    await standin.close();
    await dynamo.close();
    throw error;
  }
}

const CLOSE_GRACE_MS = 5_000;

/** What Slack does with a view_submission ack (only for views the stand-in holds). */
function applyViewAck(standin: SlackStandIn, viewId: string, response: HarnessResponse): void {
  if (response.status !== 200) return;
  const held: StoredView | undefined = standin.views().find((v) => v.id === viewId);
  if (!held?.open) return;
  if (response.text.trim() === '') {
    standin.closeView(viewId);
    return;
  }
  let ack: unknown;
  try {
    ack = JSON.parse(response.text);
  } catch {
    return;
  }
  const action = (ack as { response_action?: unknown } | null)?.response_action;
  if (action === 'clear') standin.closeView(viewId, { all: true });
}

/**
 * Polls `predicate` until it returns something truthy (which is returned), for effects that land
 * after the ack (jobs dispatched in-process). Not a timing assertion: the timeout only bounds a
 * failure.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${options.message ?? 'waitFor: condition not met'} within ${timeoutMs} ms${reason}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
