/**
 * `permanent`: the receiving server refused this recipient or message for good (5xx at RCPT or DATA);
 * the caller suppresses the address and does not retry.
 * `temporary`: anything worth another try later (4xx, connection, timeout, and our own setup problems).
 */
export type SmtpFailureKind = 'permanent' | 'temporary';

/** A failed send, classified. `responseCode` is the SMTP reply code when the server gave one. */
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
  ) {
    super(message, options);
  }
}

/*
 * 5xx replies to these commands are about our session, sender or credentials, not the recipient:
 * suppressing the user's address for them would be wrong (a bad SMTP password would unsubscribe
 * everyone), so they stay temporary and keep failing loudly until an operator fixes the setup.
 */
const SESSION_COMMANDS = /^(AUTH|MAIL FROM|EHLO|HELO|LHLO|STARTTLS|RSET|CONN|API)\b/i;
const SETUP_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS', 'EREQUIRETLS']);

interface ErrorShape {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
  message?: unknown;
}

/**
 * Classifies a send failure. 5xx replies (except 503, a command-sequence error that a fresh
 * connection clears) to RCPT TO or DATA are permanent; so is a recipient address nodemailer refuses
 * to send to. Everything else — 4xx, refused or dropped connections, timeouts, DNS, unknown errors —
 * is temporary.
 */
export function classifySmtpError(err: unknown): SmtpFailureKind {
  if (err instanceof SmtpSendError) return err.kind;
  if (typeof err !== 'object' || err === null) return 'temporary';
  const e = err as ErrorShape;
  const code = typeof e.code === 'string' ? e.code : '';
  const command = typeof e.command === 'string' ? e.command : '';
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (SETUP_CODES.has(code)) return 'temporary';
  if (responseCode !== null) {
    const permanentReply = responseCode >= 500 && responseCode < 600 && responseCode !== 503;
    return permanentReply && !SESSION_COMMANDS.test(command) ? 'permanent' : 'temporary';
  }
  // Rejected before anything was sent: the recipient address itself is unusable.
  if (code === 'EENVELOPE' && typeof e.message === 'string' && /^Invalid recipient/.test(e.message)) {
    return 'permanent';
  }
  return 'temporary';
}

/** Wraps any send failure as an SmtpSendError, keeping the original as `cause`. */
export function toSmtpSendError(err: unknown): SmtpSendError {
  if (err instanceof SmtpSendError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorShape;
  const message = typeof e.message === 'string' ? e.message : String(err);
  return new SmtpSendError(
    classifySmtpError(err),
    typeof e.responseCode === 'number' ? e.responseCode : null,
    message,
    typeof e.code === 'string' ? e.code : null,
    typeof e.command === 'string' ? e.command : null,
    { cause: err },
  );
}
