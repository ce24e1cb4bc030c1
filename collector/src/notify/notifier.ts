/** A message ready for a channel: rendered, addressed, with its fixed Message-ID (so a retry is the same message). */
export interface OutgoingMessage {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** The first message of the incident's thread, when this one follows it. */
  inReplyTo: string | null;
  /** Files sent along (the report PDF); channels that cannot carry files ignore them. */
  attachments?: Attachment[];
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** One delivery channel. `send` resolves once the channel accepted the message and rejects with the reason otherwise. */
export interface Notifier {
  readonly channel: string;
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}
