import type { KnownBlock } from '@slack/types';

/**
 * One message as a renderer in blocks/ builds it: Block Kit blocks plus the fallback/notification
 * `text`. Services carry it without looking inside (they hand it to a port that sends it); only
 * blocks/ builds one, so services stay free of Block Kit.
 */
export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}
