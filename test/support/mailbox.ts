import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { inject } from 'vitest';
import type { SmtpPhase } from '../../devstack/smtpSink';
import type { RejectNextBody, RejectRecipientBody, WireMessage } from './smtpControl';

/**
 * One test file's view of the run's SMTP server: the mail sent from its own envelope sender, and
 * the faults the server answers that sender with. Send with `from` (or `address`) as the sender.
 */
export class TestMailbox {
  /** The envelope sender this mailbox collects, unique to this mailbox. */
  readonly address: string;
  /** A From header with `address`, for MAIL_FROM or a mailer. */
  readonly from: string;
  /** The run's SMTP server. */
  readonly smtpUrl = inject('smtpUrl');
  private readonly base: string;

  constructor(name = 'alerts') {
    this.address = `${name}+${randomUUID().slice(0, 8)}@capitolscope.test`;
    this.from = `CapitolScope Alerts <${this.address}>`;
    this.base = `${inject('smtpControlUrl')}/mailboxes/${encodeURIComponent(this.address)}`;
  }

  /** Every message received so far from this sender, oldest first. */
  messages(): Promise<WireMessage[]> {
    return this.call('GET', 'messages') as Promise<WireMessage[]>;
  }

  /** The messages once at least `count` have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 5000): Promise<WireMessage[]> {
    return this.call('GET', `messages?count=${count}&timeoutMs=${timeoutMs}`) as Promise<WireMessage[]>;
  }

  /** Answer this sender's next `n` messages with an SMTP error at DATA (default) or RCPT TO. */
  async rejectNext(n: number, code: number, message?: string, phase?: SmtpPhase): Promise<void> {
    await this.call('POST', 'reject-next', { n, code, message, phase } satisfies RejectNextBody);
  }

  /** Refuse this recipient of this sender's mail at RCPT TO (until clear()). */
  async rejectRecipient(address: string, code?: number, message?: string): Promise<void> {
    await this.call('POST', 'reject-recipient', { address, code, message } satisfies RejectRecipientBody);
  }

  /** Leave this sender's next `n` messages unanswered after DATA (a send in flight) until release(). */
  async holdNext(n = 1): Promise<void> {
    await this.call('POST', 'hold-next', { n });
  }

  /** How many of this sender's messages wait unanswered. */
  held(): Promise<number> {
    return this.call('GET', 'held') as Promise<number>;
  }

  /** Accept the held messages. */
  async release(): Promise<void> {
    await this.call('POST', 'release');
  }

  /** Forget this sender's messages and pending rejections. */
  async clear(): Promise<void> {
    await this.call('POST', 'clear');
  }

  private async call(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
    const res = await request(`${this.base}/${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(text);
    return JSON.parse(text);
  }
}
