/**
 * `permanent`: the receiving server refused this recipient for good (unknown user or mailbox, disabled
 * mailbox); the address may be suppressed.
 * `temporary`: anything worth another try later: 4xx, connection trouble, timeouts, and every refusal
 * that is about us rather than the recipient (see `relay`).
 */
export type SmtpFailureKind = 'permanent' | 'temporary';

/** An SMTP reply: its basic code and, when the server gave one, its enhanced status code (RFC 3463). */
export interface SmtpReply {
  code: number;
  /** `5.1.1`, `5.7.26`; null when the reply has none. */
  enhanced: string | null;
}

/** A failed send, classified. Its message never carries an email address in full (see redactAddresses). */
export class SmtpSendError extends Error {
  override readonly name = 'SmtpSendError';
  constructor(
    readonly kind: SmtpFailureKind,
    readonly responseCode: number | null,
    message: string,
    /** Nodemailer's error code (`EENVELOPE`, `ESOCKET`, ...) and the SMTP command that failed, when known. */
    readonly code: string | null = null,
    readonly command: string | null = null,
    options?: { cause?: unknown },
    /**
     * The relay refuses our mail, whoever it is for: policy, relay access, authentication, DMARC,
     * message size, our sender. Never the recipient's fault: temporary, and worth telling the admins.
     */
    readonly relay = false,
    readonly reply: SmtpReply | null = null,
  ) {
    super(message, options);
  }

  /** `550 5.1.1`, `554`, or the error code when there was no reply: what tells one failure from another. */
  get signature(): string {
    if (this.reply) return [this.reply.code, this.reply.enhanced].filter(Boolean).join(' ');
    return this.code ?? 'unknown';
  }
}

/*
 * 5xx replies to these commands are about our session, sender or credentials, not the recipient:
 * suppressing the user's address for them would be wrong (a bad SMTP password would unsubscribe
 * everyone), so they stay temporary and keep failing loudly until an operator fixes the setup.
 */
const SESSION_COMMANDS = /^(AUTH|MAIL FROM|EHLO|HELO|LHLO|STARTTLS|RSET|CONN|API)\b/i;
const SETUP_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS', 'EREQUIRETLS']);
/** Words of replies that refuse us (relay, policy, reputation), even where the code alone would blame the recipient. */
const ABOUT_US =
  /relay|access denied|not permitted|policy|spf|dkim|dmarc|blocked|blacklist|blocklist|spam|reputation|authenticat|too large|size/i;

interface ErrorShape {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
  message?: unknown;
  response?: unknown;
}

/** Reads `550 5.1.1 ...` (or `550-5.1.1 ...`) into its codes. */
export function parseSmtpReply(response: string | null, responseCode: number | null): SmtpReply | null {
  const m = response ? /^\s*(\d{3})[ -](?:([245]\.\d{1,3}\.\d{1,3})\b)?/.exec(response) : null;
  const code = responseCode ?? (m ? Number(m[1]) : null);
  if (code === null) return null;
  return { code, enhanced: m?.[2] ?? null };
}

/** Enhanced codes that say this recipient cannot receive mail: unknown user or mailbox (5.1.x), disabled (5.2.1). */
function recipientGone(enhanced: string): boolean {
  // 5.1.7 and 5.1.8 are about the sender's address: ours.
  return (
    (/^5\.1\.\d+$/.test(enhanced) && enhanced !== '5.1.7' && enhanced !== '5.1.8') || enhanced === '5.2.1'
  );
}

/**
 * Classifies a send failure. Only a per-recipient permanent failure is `permanent`: an enhanced code
 * of 5.1.x (unknown user or mailbox) or 5.2.1 (mailbox disabled), or, from a server without enhanced
 * codes, 550/551/553 to RCPT TO whose text does not point at us. Every other 5xx (5.7.x policy, relay,
 * authentication and DMARC refusals, 552 size, replies to our own commands, a DATA rejection) is about
 * us: `temporary` with `relay` set. 4xx, connection trouble and unknown errors are `temporary`.
 */
export function classifySmtpError(err: unknown): { kind: SmtpFailureKind; relay: boolean } {
  if (err instanceof SmtpSendError) return { kind: err.kind, relay: err.relay };
  if (typeof err !== 'object' || err === null) return { kind: 'temporary', relay: false };
  const e = err as ErrorShape;
  const code = typeof e.code === 'string' ? e.code : '';
  const command = typeof e.command === 'string' ? e.command : '';
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const text = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : '';
  if (SETUP_CODES.has(code)) return { kind: 'temporary', relay: true };
  const reply = parseSmtpReply(typeof e.response === 'string' ? e.response : null, responseCode);
  if (reply && reply.code >= 500 && reply.code < 600) {
    if (reply.code === 503) return { kind: 'temporary', relay: false };
    if (SESSION_COMMANDS.test(command)) return { kind: 'temporary', relay: true };
    if (reply.enhanced) {
      if (recipientGone(reply.enhanced)) return { kind: 'permanent', relay: false };
      // A full mailbox is the recipient's, and passes.
      return { kind: 'temporary', relay: reply.enhanced !== '5.2.2' };
    }
    const toRecipient = command === '' || /^RCPT/i.test(command);
    const gone = toRecipient && [550, 551, 553].includes(reply.code) && !ABOUT_US.test(text);
    return gone ? { kind: 'permanent', relay: false } : { kind: 'temporary', relay: true };
  }
  // Rejected before anything was sent: the recipient address itself is unusable.
  if (code === 'EENVELOPE' && typeof e.message === 'string' && /^Invalid recipient/.test(e.message)) {
    return { kind: 'permanent', relay: false };
  }
  return { kind: 'temporary', relay: false };
}

/**
 * Email addresses in a text with their local part hidden (`***@example.org`): SMTP replies quote the
 * recipient, and these texts travel into failure messages, workflow histories, the Web UI and logs.
 */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>()[\]"',;:]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)/g, '***@$1');
}

/** Wraps any send failure as an SmtpSendError (addresses redacted), keeping the original as `cause`. */
export function toSmtpSendError(err: unknown): SmtpSendError {
  if (err instanceof SmtpSendError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const { kind, relay } = classifySmtpError(err);
  return new SmtpSendError(
    kind,
    responseCode,
    redactAddresses(message),
    typeof e.code === 'string' ? e.code : null,
    typeof e.command === 'string' ? e.command : null,
    { cause: err },
    relay,
    parseSmtpReply(typeof e.response === 'string' ? e.response : null, responseCode),
  );
}
