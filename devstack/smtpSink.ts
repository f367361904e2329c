import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** One message as it arrived, parsed. */
export interface SinkMessage {
  /** Envelope sender (MAIL FROM). */
  mailFrom: string;
  /** Envelope recipients (RCPT TO) that were accepted. */
  to: string[];
  /** The From header's addresses. */
  from: string[];
  subject: string;
  text: string | null;
  html: string | null;
  /** Message-ID header, angle brackets included. */
  messageId: string | null;
  /** Raw (unfolded) header values by lower-case name; the first one when a header repeats. */
  headers: Record<string, string>;
  listUnsubscribe: string | null;
  listUnsubscribePost: string | null;
  raw: Buffer;
  /** Where the .eml copy was written, when the sink has a folder. */
  file: string | null;
  receivedAt: Date;
}

export interface SmtpSinkOptions {
  /** Also keep each message as `<timestamp>-<n>.eml` here (the dev stack uses `.data/mail/`). */
  folder?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Largest message accepted, in bytes (default 10 MB). */
  maxSize?: number;
}

/** The SMTP command a test fault answers: RCPT TO or DATA. */
export type SmtpPhase = 'rcpt' | 'data';

interface PendingRejection {
  remaining: number;
  code: number;
  message: string;
  phase: SmtpPhase;
}

/** An SMTP error for smtp-server: it answers with `responseCode` and the message. */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '').filter(Boolean));
}

/** Raw header values from "Name: value" lines, unfolded (RFC 5322: drop the CRLF, keep the space). */
function rawHeaders(lines: ReadonlyArray<{ key: string; line: string }>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of lines) {
    const name = key.toLowerCase();
    if (name in headers) continue;
    const colon = line.indexOf(':');
    headers[name] = line
      .slice(colon + 1)
      .replace(/\r?\n(?=[ \t])/g, '')
      .trim();
  }
  return headers;
}

/**
 * Messages sent by one envelope sender, and the faults to answer that sender with. Keeping them per
 * sender lets one server serve many independent clients (each test file sends from its own address).
 */
export class SinkMailbox {
  readonly messages: SinkMessage[] = [];
  private pending: PendingRejection | null = null;
  private readonly rejectedRecipients = new Map<string, { code: number; message: string }>();
  private waiters: { count: number; resolve: () => void }[] = [];
  private holdCount = 0;
  private readonly held: (() => void)[] = [];

  /**
   * Keep the next `n` messages waiting after DATA, unanswered, until release(): a send in flight, for
   * as long as a test needs one.
   */
  holdNext(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`holdNext: n must be a positive integer, got ${n}`);
    this.holdCount = n;
  }

  /** Messages waiting unanswered now. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Answer every held message (accepted) and hold no more. */
  release(): void {
    this.holdCount = 0;
    for (const answer of this.held.splice(0)) answer();
  }

  /** @internal Whether to hold this message: `answer` is called on release. */
  hold(answer: () => void): boolean {
    if (this.holdCount <= 0) return false;
    this.holdCount -= 1;
    this.held.push(answer);
    return true;
  }

  /** Answer the next `n` messages with an SMTP error at DATA (default) or at RCPT TO. */
  rejectNext(n: number, code: number, message = 'Rejected by test', phase: SmtpPhase = 'data'): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`rejectNext: n must be a positive integer, got ${n}`);
    if (!Number.isInteger(code) || code < 400 || code > 599) {
      throw new Error(`rejectNext: code must be an SMTP error code (4xx or 5xx), got ${code}`);
    }
    if (phase !== 'data' && phase !== 'rcpt')
      throw new Error(`rejectNext: phase must be data or rcpt, got ${phase}`);
    this.pending = { remaining: n, code, message, phase };
  }

  /** Refuse this recipient at RCPT TO from now on (until clear()). */
  rejectRecipient(address: string, code = 550, message = 'No such user here'): void {
    this.rejectedRecipients.set(address.toLowerCase(), { code, message });
  }

  /** Forget received messages and every pending rejection. */
  clear(): void {
    this.messages.length = 0;
    this.pending = null;
    this.rejectedRecipients.clear();
    this.release();
  }

  /** Resolves with the messages once at least `count` have arrived; rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 5000): Promise<SinkMessage[]> {
    if (this.messages.length >= count) return this.messages;
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(`SmtpSink.waitFor: ${this.messages.length} of ${count} messages after ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
    return this.messages;
  }

  /** @internal The error to answer RCPT TO with, if any. */
  checkRecipient(address: string): Error | null {
    const refused = this.rejectedRecipients.get(address.toLowerCase());
    if (refused) return smtpError(refused.code, refused.message);
    return this.takeRejection('rcpt');
  }

  /** @internal The error to answer DATA or RCPT TO with, if one is pending for that phase. */
  takeRejection(phase: SmtpPhase): Error | null {
    const pending = this.pending;
    if (!pending || pending.phase !== phase) return null;
    pending.remaining -= 1;
    if (pending.remaining <= 0) this.pending = null;
    return smtpError(pending.code, pending.message);
  }

  /** @internal */
  deliver(message: SinkMessage): void {
    this.messages.push(message);
    const ready = this.waiters.filter((w) => this.messages.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.messages.length < w.count);
    for (const w of ready) w.resolve();
  }
}

/**
 * A real SMTP server on loopback that keeps every message it receives — in memory for tests, and
 * as .eml files for the local dev stack. No auth, no TLS. Messages and faults are kept per envelope
 * sender (`mailbox(sender)`).
 */
export class SmtpSink {
  private server: SMTPServer | null = null;
  private port = 0;
  private counter = 0;
  private readonly mailboxes = new Map<string, SinkMailbox>();

  constructor(private readonly options: SmtpSinkOptions = {}) {}

  /** The mail sent from this envelope sender (created on first use). */
  mailbox(sender: string): SinkMailbox {
    const key = sender.toLowerCase();
    let box = this.mailboxes.get(key);
    if (!box) {
      box = new SinkMailbox();
      this.mailboxes.set(key, box);
    }
    return box;
  }

  /** Listens on `port` (else the constructor's, else a free one). */
  async start(port = this.options.port ?? 0): Promise<{ host: string; port: number; url: string }> {
    if (this.server) throw new Error('SmtpSink already started');
    const host = this.options.host ?? '127.0.0.1';
    if (this.options.folder) await mkdir(this.options.folder, { recursive: true });
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      size: this.options.maxSize ?? 10 * 1024 * 1024,
      banner: 'CapitolScope dev SMTP sink',
      onRcptTo: (address, session, callback) =>
        callback(this.senderBox(session).checkRecipient(address.address)),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            callback(smtpError(552, 'Message exceeds the size limit'));
            return;
          }
          const box = this.senderBox(session);
          const rejection = box.takeRejection('data');
          if (rejection) {
            callback(rejection);
            return;
          }
          const accept = () =>
            this.store(Buffer.concat(chunks), session).then(
              () => callback(null),
              (err: unknown) => callback(smtpError(451, `Sink could not store the message: ${String(err)}`)),
            );
          if (!box.hold(() => void accept())) void accept();
        });
      },
    });
    server.on('error', () => {
      // Client-side resets during tests are expected; the sink keeps serving.
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    const address = server.server.address();
    if (!address || typeof address === 'string') throw new Error('SmtpSink: no TCP address after listen');
    this.server = server;
    this.port = address.port;
    return { host, port: this.port, url: this.url };
  }

  get url(): string {
    if (!this.server) throw new Error('SmtpSink not started');
    return `smtp://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Pooled clients keep idle connections open; end them now rather than after closeTimeout.
      for (const connection of server.connections) {
        connection.send(421, 'Server shutting down');
        connection.close();
      }
    });
  }

  private senderBox(session: SMTPServerSession): SinkMailbox {
    const from = session.envelope.mailFrom;
    return this.mailbox(from ? from.address : '');
  }

  private async store(raw: Buffer, session: SMTPServerSession): Promise<void> {
    const n = ++this.counter;
    const receivedAt = new Date();
    let file: string | null = null;
    if (this.options.folder) {
      file = join(this.options.folder, `${receivedAt.toISOString().replace(/[:.]/g, '-')}-${n}.eml`);
      await writeFile(file, raw);
    }
    const parsed = await simpleParser(raw, { skipImageLinks: true });
    const headers = rawHeaders(parsed.headerLines);
    const mailFrom = session.envelope.mailFrom;
    const message: SinkMessage = {
      mailFrom: mailFrom ? mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
      from: addresses(parsed.from),
      subject: parsed.subject ?? '',
      text: parsed.text ?? null,
      html: typeof parsed.html === 'string' ? parsed.html : null,
      messageId: headers['message-id'] ?? null,
      headers,
      listUnsubscribe: headers['list-unsubscribe'] ?? null,
      listUnsubscribePost: headers['list-unsubscribe-post'] ?? null,
      raw,
      file,
      receivedAt,
    };
    this.senderBox(session).deliver(message);
  }
}
