import { ChannelError } from '../../../../src/notify/channels/channel.ts';

/** The ChannelError a send rejected with; fails (throws) when it resolved or rejected with anything else. */
export async function channelErrorOf(sending: Promise<unknown>): Promise<ChannelError> {
  try {
    await sending;
  } catch (error) {
    if (error instanceof ChannelError) return error;
    throw new Error(`expected a ChannelError, got ${String(error)}`);
  }
  throw new Error('expected the send to fail, it succeeded');
}
