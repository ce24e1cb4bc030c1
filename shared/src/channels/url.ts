/** URL fields of channel targets and settings. */
import { Type } from '@sinclair/typebox';

// No user:password@ in the authority: fetch refuses such URLs, so the send would fail on every retry.
const AUTHORITY = '^https?://[^/?#@\\s]+';

/** An http(s) URL a channel POSTs to, path and query included (webhook URLs carry their credential there). */
export const PostUrl = (description: string, maxLength = 2048) => Type.String({ pattern: `${AUTHORITY}([/?#]\\S*)?$`, maxLength, description });

/**
 * The base URL of a server (ntfy, Bot API, Gotify, signal-cli-rest-api): scheme, host, optional path, no query. Every
 * server URL is configurable: self-hosted services live on the customer's network, and tests point hosted ones at loopback.
 */
export const ServerUrl = (description: string, options: { default?: string } = {}) =>
  Type.String({ pattern: `${AUTHORITY}(/[^?#\\s]*)?$`, maxLength: 512, description, ...options });
