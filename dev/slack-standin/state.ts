/**
 * Shapes the Slack Web API stand-in keeps and hands back: messages, ephemeral messages, views,
 * response_url posts and the call log. Plain data, so tests and the sandbox page can read them.
 */

/** A channel message as `conversations.history` (and `chat.postMessage`'s `message`) returns it. */
export interface StoredMessage {
  type: 'message';
  ts: string;
  /** Not part of Slack's message object; kept so a message knows where it lives. */
  channel: string;
  text: string;
  user: string;
  team: string;
  bot_id?: string;
  app_id?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  metadata?: unknown;
  /** Files shared with the message (`files.completeUploadExternal`). */
  files?: unknown[];
  upload?: boolean;
  edited?: { user: string; ts: string };
  reactions?: { name: string; users: string[]; count: number }[];
  bot_profile?: { id: string; app_id: string; name: string; deleted: boolean; team_id: string };
}

/** A message only one person sees (`chat.postEphemeral`, or an ephemeral response_url post). */
export interface StoredEphemeral {
  channel: string;
  user: string;
  /** The `message_ts` Slack returns; ephemeral messages cannot be updated or deleted through the API. */
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  /** `chat.postEphemeral` or `response_url`. */
  via: 'chat.postEphemeral' | 'response_url';
}

/** A view object as `views.*` return it, plus where it is in the stand-in. */
export interface StoredView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
  /** For a Home tab: whose it is. Not part of Slack's view object. */
  user_id?: string;
  /** Whether the modal is still on a stack (closed modals stay listed). Not part of Slack's object. */
  open?: boolean;
}

/** One POST to a response_url, whatever the stand-in answered. */
export interface ResponsePost {
  id: string;
  at: Date;
  status: number;
  body: Record<string, unknown>;
}

/** One Web API call, as received (blocks, view and attachments parsed back to objects). */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: Date;
}

/** An injected failure for the next call(s) of a method. */
export interface InjectedFailure {
  /** HTTP status; 429 answers `ratelimited` with a `Retry-After` header. Default 200. */
  status?: number;
  /** Seconds for `Retry-After` (429 only). Default 1. */
  retryAfter?: number;
  /** The `error` of an `{ ok: false }` answer (with status 200). */
  error?: string;
  /** How many calls fail. Default 1. */
  times?: number;
}

/** What GET `/_standin/state` returns: everything a page needs to render the workspace. */
export interface StandInSnapshot {
  team: { id: string; domain: string };
  bot: { userId: string; botId: string; appId: string };
  users: { id: string; name: string; realName: string; tz: string }[];
  channels: {
    id: string;
    name: string;
    isPrivate: boolean;
    isIm: boolean;
    user?: string;
    messages: StoredMessage[];
  }[];
  ephemerals: StoredEphemeral[];
  views: StoredView[];
  homeViews: StoredView[];
  responses: ResponsePost[];
}

/** A response_url the stand-in handed out, and how many posts it has taken. */
export interface ResponseTarget {
  id: string;
  createdAt: Date;
  channel?: string;
  user?: string;
  messageTs?: string;
  posts: number;
}

export interface ResponseUrlOptions {
  /** The channel the command or action came from (in_channel responses post there). */
  channel?: string;
  /** Who sees ephemeral responses. */
  user?: string;
  /** The message a block action came from (replace_original / delete_original act on it). */
  messageTs?: string;
}
