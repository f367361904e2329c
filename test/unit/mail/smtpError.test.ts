import { describe, expect, it } from 'vitest';
import { classifySmtpError, SmtpSendError, toSmtpSendError } from '../../../mail/smtpError';

function smtpErr(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('smtp failure'), fields);
}

describe('classifySmtpError', () => {
  it('treats 5xx replies to RCPT TO and DATA as permanent', () => {
    expect(classifySmtpError(smtpErr({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }))).toBe(
      'permanent',
    );
    expect(classifySmtpError(smtpErr({ code: 'EMESSAGE', responseCode: 554, command: 'DATA' }))).toBe(
      'permanent',
    );
    expect(classifySmtpError(smtpErr({ responseCode: 550 }))).toBe('permanent');
  });

  it('treats 4xx replies as temporary', () => {
    expect(classifySmtpError(smtpErr({ code: 'EMESSAGE', responseCode: 451, command: 'DATA' }))).toBe(
      'temporary',
    );
    expect(classifySmtpError(smtpErr({ code: 'EENVELOPE', responseCode: 452, command: 'RCPT TO' }))).toBe(
      'temporary',
    );
    expect(classifySmtpError(smtpErr({ responseCode: 421, command: 'CONN' }))).toBe('temporary');
  });

  it('treats connection failures and timeouts as temporary', () => {
    for (const code of ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']) {
      expect(classifySmtpError(smtpErr({ code })), code).toBe('temporary');
    }
  });

  it('never blames the recipient for our own setup: auth, sender or session errors stay temporary', () => {
    expect(classifySmtpError(smtpErr({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }))).toBe(
      'temporary',
    );
    expect(classifySmtpError(smtpErr({ code: 'EENVELOPE', responseCode: 550, command: 'MAIL FROM' }))).toBe(
      'temporary',
    );
    expect(classifySmtpError(smtpErr({ responseCode: 554, command: 'CONN' }))).toBe('temporary');
    expect(classifySmtpError(smtpErr({ responseCode: 503, command: 'DATA' }))).toBe('temporary');
  });

  it('treats an address nodemailer refuses to send to as permanent', () => {
    const err = Object.assign(new Error('Invalid recipient "a b"'), { code: 'EENVELOPE', command: 'API' });
    expect(classifySmtpError(err)).toBe('permanent');
  });

  it('treats unknown failures as temporary', () => {
    expect(classifySmtpError(new TypeError('boom'))).toBe('temporary');
    expect(classifySmtpError('string thrown')).toBe('temporary');
    expect(classifySmtpError(null)).toBe('temporary');
  });
});

describe('toSmtpSendError', () => {
  it('keeps the kind, reply code, nodemailer code, command and cause', () => {
    const cause = smtpErr({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' });
    const err = toSmtpSendError(cause);
    expect(err).toBeInstanceOf(SmtpSendError);
    expect(err).toMatchObject({
      kind: 'permanent',
      responseCode: 550,
      code: 'EENVELOPE',
      command: 'RCPT TO',
    });
    expect(err.message).toBe('smtp failure');
    expect(err.cause).toBe(cause);
    expect(classifySmtpError(err)).toBe('permanent');
    expect(toSmtpSendError(err)).toBe(err);
  });
});
