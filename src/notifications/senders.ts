import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../platform/config.js';
import type { Executor } from '../platform/db/index.js';
import type { Clock } from '../platform/clock.js';
import { notificationOutbox } from './tables.js';

export type Channel = 'outbox' | 'smtp' | 'sms';

export interface OutgoingMessage {
  deliveryId: number;
  userId: number;
  address: string | null;
  subject: string;
  body: string;
}

/** One way of pushing a notification; throws when the push failed (the caller retries). */
export interface Sender {
  readonly channel: Channel;
  send(message: OutgoingMessage): Promise<void>;
}

/** The embedded default: the "sent" message is a row staff can read; needs no external service. */
export class OutboxSender implements Sender {
  readonly channel = 'outbox' as const;
  constructor(private readonly db: Executor, private readonly clock: Clock) {}

  async send(message: OutgoingMessage): Promise<void> {
    await this.db
      .insert(notificationOutbox)
      .values({ deliveryId: message.deliveryId, userId: message.userId, address: message.address, subject: message.subject, body: message.body, createdAt: this.clock.now() })
      .onConflictDoNothing();
  }
}

/** E-mail through an SMTP relay (nodemailer). Short timeouts: a dead relay must not hold a worker. */
export class SmtpSender implements Sender {
  readonly channel = 'smtp' as const;
  private readonly transport: Transporter;
  constructor(url: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as never);
  }

  async send(message: OutgoingMessage): Promise<void> {
    if (!message.address) throw new Error('no e-mail address');
    await this.transport.sendMail({ from: this.from, to: message.address, subject: message.subject, text: message.body });
  }
}

/** SMS through an HTTP gateway: POST {mobile, text} as JSON; any non-2xx answer is a failure. */
export class SmsGatewaySender implements Sender {
  readonly channel = 'sms' as const;
  constructor(private readonly url: string) {}

  async send(message: OutgoingMessage): Promise<void> {
    if (!message.address) throw new Error('no mobile number');
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mobile: message.address, text: `${message.subject}\n${message.body}` }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
  }
}

export function createSenders(config: Config, db: Executor, clock: Clock): Map<Channel, Sender> {
  const senders = new Map<Channel, Sender>();
  for (const channel of config.notify.senders) {
    if (channel === 'outbox') senders.set(channel, new OutboxSender(db, clock));
    if (channel === 'smtp') senders.set(channel, new SmtpSender(config.notify.smtpUrl!, config.notify.smtpFrom!));
    if (channel === 'sms') senders.set(channel, new SmsGatewaySender(config.notify.smsGatewayUrl!));
  }
  return senders;
}
