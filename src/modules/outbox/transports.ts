/**
 * How outbox messages leave: SMTP for e-mail (nodemailer), a signed JSON webhook for SMS (point it at
 * your SMS provider or a small relay). A channel without a transport keeps its messages in the outbox,
 * status `stored`, so development never silently drops a message (`jobr outbox list` shows them).
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';
import type { OutgoingMessage } from './outbox.ts';

export type Transport = (message: OutgoingMessage) => Promise<void>;
export type Transports = { email: Transport | null; sms: Transport | null };

const SEND_TIMEOUT_MS = 10_000;

export function smtpTransport(smtpUrl: string, from: string): Transport {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const mailer = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  return async (message) => {
    await mailer.sendMail({
      from,
      to: message.recipient,
      subject: message.subject,
      text: message.body,
      attachments: (message.attachments ?? []).map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.content,
      })),
    });
  };
}

/** The header carrying `sha256=<hex HMAC of the raw body>`, so the receiver can reject forgeries. */
export const SMS_SIGNATURE_HEADER = 'x-jobr-signature';

export function smsWebhookTransport(url: string, secret: string | undefined): Transport {
  return async (message) => {
    const body = JSON.stringify({ to: message.recipient, body: message.body });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret) headers[SMS_SIGNATURE_HEADER] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`SMS webhook answered ${res.status}`);
  };
}

export function transportsFor(config: Pick<Config, 'mail' | 'sms'>): Transports {
  return {
    email: config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl, config.mail.from) : null,
    sms: config.sms.webhookUrl ? smsWebhookTransport(config.sms.webhookUrl, config.sms.webhookSecret) : null,
  };
}
