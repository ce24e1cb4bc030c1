import type { Test } from 'tap';
import { ChannelError } from '../../../../src/notify/channels/channel.ts';

/** The ChannelError a send that must fail fails with; a send that succeeds, or throws anything else, fails the test. */
export async function refusal(t: Test, send: Promise<void>): Promise<ChannelError> {
  const error = await send.then(() => new Error('the send succeeded'), (e: unknown) => e);
  t.type(error, ChannelError, 'fails with a ChannelError');
  return error instanceof ChannelError ? error : new ChannelError(`not a ChannelError: ${String(error)}`, 'permanent');
}
