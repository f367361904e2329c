import { describe, expect, it } from 'vitest';
import {
  classifySmtpError,
  parseSmtpReply,
  redactAddresses,
  SmtpSendError,
  toSmtpSendError,
} from '../../../mail/smtpError';

/** A failure as nodemailer reports one: `response` is the server's reply line. */
function smtpErr(fields: Record<string, unknown>): Error {
  const response = fields.response as string | undefined;
  return Object.assign(new Error(`smtp failure${response ? `: ${response}` : ''}`), {
    ...(response ? { responseCode: Number(response.slice(0, 3)) } : {}),
    ...fields,
  });
}

const RECIPIENT = { kind: 'permanent', relay: false };
const ABOUT_US = { kind: 'temporary', relay: true };
const TRANSIENT = { kind: 'temporary', relay: false };

describe('classifySmtpError', () => {
  it('suppresses only for a recipient that is gone: unknown user or mailbox (5.1.x), disabled (5.2.1)', () => {
    for (const response of [
      '550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
      '550-5.1.1 The email account that you tried to reach does not exist.',
      '553 5.1.3 Bad recipient address syntax',
      '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
      '550 5.2.1 The email account that you tried to reach is disabled.',
    ]) {
      expect(
        classifySmtpError(smtpErr({ code: 'EENVELOPE', command: 'RCPT TO', response })),
        response,
      ).toEqual(RECIPIENT);
    }
    // The same at DATA (servers that check recipients late).
    expect(
      classifySmtpError(smtpErr({ code: 'EMESSAGE', command: 'DATA', response: '550 5.1.1 User unknown' })),
    ).toEqual(RECIPIENT);
  });

  it('never blames the recipient for replies about us: policy, relay, auth, DMARC, size', () => {
    for (const [command, response] of [
      ['RCPT TO', '554 5.7.1 <bob@example.com>: Relay access denied'],
      [
        'DATA',
        '550 5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users',
      ],
      ['DATA', '550 5.7.1 Message rejected due to local policy'],
      ['DATA', '552 5.3.4 Message size exceeds fixed maximum message size'],
      ['RCPT TO', '552 Message size exceeds maximum permitted'],
      ['RCPT TO', '550 5.1.8 Sender address rejected: Domain not found'],
      ['RCPT TO', '554 Relay access denied'],
      ['RCPT TO', '550 Relaying not permitted'],
      ['DATA', '554 Transaction failed'],
      ['DATA', '550 Message content rejected'],
    ]) {
      expect(classifySmtpError(smtpErr({ code: 'EENVELOPE', command, response })), response).toEqual(
        ABOUT_US,
      );
    }
  });

  it('reads a server without enhanced codes refusing the recipient (550/551/553 to RCPT TO) as gone', () => {
    expect(
      classifySmtpError(
        smtpErr({ code: 'EENVELOPE', command: 'RCPT TO', response: '550 No such user here' }),
      ),
    ).toEqual(RECIPIENT);
    expect(
      classifySmtpError(smtpErr({ code: 'EENVELOPE', command: 'RCPT TO', response: '551 User not local' })),
    ).toEqual(RECIPIENT);
    expect(classifySmtpError(smtpErr({ responseCode: 550 }))).toEqual(RECIPIENT);
  });

  it('treats 4xx replies and a full mailbox as temporary, not the relay’s fault', () => {
    expect(
      classifySmtpError(smtpErr({ code: 'EMESSAGE', command: 'DATA', response: '451 4.3.0 Try later' })),
    ).toEqual(TRANSIENT);
    expect(
      classifySmtpError(
        smtpErr({ code: 'EENVELOPE', command: 'RCPT TO', response: '452 4.2.2 Mailbox full' }),
      ),
    ).toEqual(TRANSIENT);
    expect(
      classifySmtpError(
        smtpErr({ code: 'EENVELOPE', command: 'RCPT TO', response: '552 5.2.2 Mailbox full' }),
      ),
    ).toEqual(TRANSIENT);
    expect(classifySmtpError(smtpErr({ responseCode: 421, command: 'CONN' }))).toEqual(TRANSIENT);
    expect(classifySmtpError(smtpErr({ responseCode: 503, command: 'DATA' }))).toEqual(TRANSIENT);
  });

  it('treats connection failures and timeouts as temporary', () => {
    for (const code of ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']) {
      expect(classifySmtpError(smtpErr({ code })), code).toEqual(TRANSIENT);
    }
  });

  it('reads our own setup failing (auth, sender, session) as the relay refusing us', () => {
    expect(
      classifySmtpError(
        smtpErr({ code: 'EAUTH', command: 'AUTH PLAIN', response: '535 5.7.8 Bad credentials' }),
      ),
    ).toEqual(ABOUT_US);
    expect(
      classifySmtpError(
        smtpErr({ code: 'EENVELOPE', command: 'MAIL FROM', response: '550 5.1.0 Sender rejected' }),
      ),
    ).toEqual(ABOUT_US);
    expect(classifySmtpError(smtpErr({ responseCode: 554, command: 'CONN' }))).toEqual(ABOUT_US);
  });

  it('treats an address nodemailer refuses to send to as the recipient’s', () => {
    const err = Object.assign(new Error('Invalid recipient "a b"'), { code: 'EENVELOPE', command: 'API' });
    expect(classifySmtpError(err)).toEqual(RECIPIENT);
  });

  it('treats unknown failures as temporary', () => {
    expect(classifySmtpError(new TypeError('boom'))).toEqual(TRANSIENT);
    expect(classifySmtpError('string thrown')).toEqual(TRANSIENT);
    expect(classifySmtpError(null)).toEqual(TRANSIENT);
  });
});

describe('parseSmtpReply', () => {
  it('reads the basic and the enhanced code', () => {
    expect(parseSmtpReply('550 5.1.1 User unknown', 550)).toEqual({ code: 550, enhanced: '5.1.1' });
    expect(parseSmtpReply('550-5.7.26 Unauthenticated', null)).toEqual({ code: 550, enhanced: '5.7.26' });
    expect(parseSmtpReply('554 Relay access denied', 554)).toEqual({ code: 554, enhanced: null });
    expect(parseSmtpReply(null, 421)).toEqual({ code: 421, enhanced: null });
    expect(parseSmtpReply(null, null)).toBeNull();
  });
});

describe('redactAddresses', () => {
  it('hides the local part of every address, keeping the domain for diagnosis', () => {
    expect(redactAddresses('550 5.1.1 <bob.smith+alerts@example.com>: User unknown')).toBe(
      '550 5.1.1 <***@example.com>: User unknown',
    );
    expect(redactAddresses('to "x@a.org", y@b.co.uk; done')).toBe('to "***@a.org", ***@b.co.uk; done');
    expect(redactAddresses('no address here')).toBe('no address here');
  });
});

describe('toSmtpSendError', () => {
  it('keeps the kind, reply, nodemailer code, command and cause; redacts addresses from the message', () => {
    const cause = smtpErr({
      code: 'EENVELOPE',
      command: 'RCPT TO',
      response: '550 5.1.1 <bob@example.com>: User unknown',
    });
    const err = toSmtpSendError(cause);
    expect(err).toBeInstanceOf(SmtpSendError);
    expect(err).toMatchObject({
      kind: 'permanent',
      relay: false,
      responseCode: 550,
      code: 'EENVELOPE',
      command: 'RCPT TO',
      reply: { code: 550, enhanced: '5.1.1' },
      signature: '550 5.1.1',
    });
    expect(err.message).toBe('smtp failure: 550 5.1.1 <***@example.com>: User unknown');
    expect(err.cause).toBe(cause);
    expect(classifySmtpError(err)).toEqual(RECIPIENT);
    expect(toSmtpSendError(err)).toBe(err);
  });

  it('names a failure without a reply by its error code', () => {
    expect(toSmtpSendError(smtpErr({ code: 'ECONNECTION' })).signature).toBe('ECONNECTION');
  });
});
