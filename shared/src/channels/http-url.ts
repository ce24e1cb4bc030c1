import { Type } from '@sinclair/typebox';

/**
 * An http(s) base URL of a service, without query or fragment. Every server URL is configurable: self-hosted services
 * (Gotify, signal-cli-rest-api) live on the customer's network, and tests point hosted ones at loopback.
 */
export function HttpUrl(description: string, options: { default?: string } = {}) {
  return Type.String({ pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$', maxLength: 500, description, ...options });
}
