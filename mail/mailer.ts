import nodemailer from 'nodemailer';
import { toSmtpSendError } from './smtpError';

export { classifySmtpError, SmtpSendError, type SmtpFailureKind } from './smtpError';

export interface MailerConfig {
  /** `smtp://host:25`, `smtp://user:pass@host:587` (STARTTLS when offered), `smtps://user:pass@host:465`. */
  smtpUrl: string;
  /** MAIL_FROM, e.g. `CapitolScope <alerts@capitolscope.org>`. */
  from: string;
  pool: true;
  /** Open SMTP connections at most (nodemailer's default is 5). */
  maxConnections?: number;
  /** Messages per second at most, across the pool; unlimited when unset. */
  rateLimit?: number;
  /** Give up connecting after this long (default 10 s; nodemailer's own is 2 min, too long for an activity). */
  connectionTimeoutMs?: number;
  /** Give up on a silent server after this long (default 60 s). */
  socketTimeoutMs?: number;
}

export interface OutgoingMessage {
  /** One recipient per message: alerts are personal, and a rejection must point at one address. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<...@domain>`, see alertMessageId. */
  messageId: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (see listUnsubscribeHeaders). */
  headers: Record<string, string>;
  /** Inline images the HTML shows as `<img src="cid:...">` (a report's chart). */
  attachments?: InlineImage[];
}

export interface InlineImage {
  filename: string;
  contentType: string;
  content: Buffer;
  /** The Content-ID the HTML refers to, without `cid:`. */
  cid: string;
}

export interface SendResult {
  messageId: string;
  accepted: string[];
  response: string;
}

export interface Mailer {
  /** Sends one message; a failure is thrown as an SmtpSendError with `kind` permanent or temporary. */
  send(message: OutgoingMessage): Promise<SendResult>;
  /** Checks that the server answers and accepts our credentials. */
  verify(): Promise<void>;
  /** Closes the pooled connections. */
  close(): void;
}

/** RFC 2369 + RFC 8058 headers so mail clients offer a one-click unsubscribe (POSTed to the same URL). */
export function listUnsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

function parseSmtpUrl(smtpUrl: string): URL {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error(`SMTP_URL is not a valid URL: ${JSON.stringify(redact(smtpUrl))}`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, got ${JSON.stringify(redact(smtpUrl))}`);
  }
  if (!url.hostname) throw new Error(`SMTP_URL has no host: ${JSON.stringify(redact(smtpUrl))}`);
  return url;
}

/** The URL without its password, for error messages. */
function redact(smtpUrl: string): string {
  return smtpUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Nodemailer's pool counts whole messages per time window: a whole number per second is that many per
 * second; any other rate (2.5/s, 0.5/s) is one message per 1/rate seconds.
 */
function pacing(perSecond: number | undefined): { rateLimit?: number; rateDelta?: number } {
  if (!perSecond) return {};
  return Number.isInteger(perSecond)
    ? { rateLimit: perSecond, rateDelta: 1000 }
    : { rateLimit: 1, rateDelta: Math.round(1000 / perSecond) };
}

function checkHeaderValue(name: string, value: string): void {
  if (/[\r\n]/.test(value)) throw new Error(`mail header ${name} must not contain line breaks`);
}

export function createMailer(config: MailerConfig): Mailer {
  parseSmtpUrl(config.smtpUrl);
  if (!config.from.trim()) throw new Error('MAIL_FROM must not be empty');
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    pool: true,
    maxConnections: config.maxConnections,
    ...pacing(config.rateLimit),
    connectionTimeout: config.connectionTimeoutMs ?? 10_000,
    greetingTimeout: config.connectionTimeoutMs ?? 10_000,
    socketTimeout: config.socketTimeoutMs ?? 60_000,
    // Messages are plain strings; never let a message make the mailer read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    async send(message) {
      if (!message.to.trim() || /[\r\n,;]/.test(message.to)) {
        throw new Error(`mailer.send: "to" must be exactly one address, got ${JSON.stringify(message.to)}`);
      }
      checkHeaderValue('Subject', message.subject);
      checkHeaderValue('Message-ID', message.messageId);
      for (const [name, value] of Object.entries(message.headers)) checkHeaderValue(name, value);
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          // `prepared` keeps the URLs in List-Unsubscribe exactly as given (no re-encoding).
          headers: Object.fromEntries(
            Object.entries(message.headers).map(([name, value]) => [name, { prepared: true, value }]),
          ),
          attachments: message.attachments?.map((a) => ({ ...a, contentDisposition: 'inline' as const })),
        });
        return { messageId: info.messageId, accepted: info.accepted.map(String), response: info.response };
      } catch (err) {
        throw toSmtpSendError(err);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        throw toSmtpSendError(err);
      }
    },
    close() {
      transport.close();
    },
  };
}

/** The alert mailer of a worker process: one pooled SMTP transport, closed when the workers stop. */
export function createAlertMailer(mail: {
  smtpUrl: string;
  from: string;
  poolSize?: number;
  sendRate?: { perSecond: number | null };
}): Mailer {
  return createMailer({
    smtpUrl: mail.smtpUrl,
    from: mail.from,
    pool: true,
    maxConnections: mail.poolSize ?? 5,
    // The relay's pace; the pool holds back sends beyond it (they wait inside send()).
    rateLimit: mail.sendRate?.perSecond ?? undefined,
  });
}
