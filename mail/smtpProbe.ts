import nodemailer from 'nodemailer';

export interface SmtpProbe {
  ok: boolean;
  latencyMs: number;
  /** The relay's host:port (no credentials), for messages. */
  relay: string;
  error: string | null;
}

/**
 * Connect to the relay, greet it (EHLO, STARTTLS when offered, AUTH when the URL has credentials)
 * and say goodbye: proves the relay would take mail, without sending any. Its own connection, not
 * the alert mailer's pool, so a probe never waits behind (or disturbs) a batch of alerts.
 */
export async function probeSmtp(smtpUrl: string, timeoutMs = 10_000): Promise<SmtpProbe> {
  const url = new URL(smtpUrl);
  const relay = `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 25)}`;
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  const started = performance.now();
  try {
    await transport.verify();
    return { ok: true, latencyMs: performance.now() - started, relay, error: null };
  } catch (err) {
    const e = err as { message?: string; code?: string; responseCode?: number };
    const error = [e.code, e.responseCode, e.message].filter(Boolean).join(' ');
    return { ok: false, latencyMs: performance.now() - started, relay, error: error || String(err) };
  } finally {
    transport.close();
  }
}
