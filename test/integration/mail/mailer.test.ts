import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMailer,
  listUnsubscribeHeaders,
  SmtpSendError,
  type Mailer,
  type OutgoingMessage,
} from '../../../mail/mailer';
import { alertMessageId } from '../../../mail/messageId';
import { renderAlertEmail } from '../../../mail/renderAlert';
import { signUnsubscribeToken, unsubscribeUrl } from '../../../mail/unsubscribeToken';
import { TestMailbox } from '../../support/mailbox';
import { alertInput, alertTrade } from '../../support/trades';

const FROM = 'CapitolScope <alerts@capitolscope.test>';

function plainMessage(to: string, n = 1): OutgoingMessage {
  return {
    to,
    subject: `Test ${n}`,
    text: `text ${n}`,
    html: `<p>html ${n}</p>`,
    messageId: alertMessageId(`test-claim-${n}`, FROM),
    headers: listUnsubscribeHeaders(`https://capitolscope.test/unsubscribe?token=t${n}`),
  };
}

async function sendError(promise: Promise<unknown>): Promise<SmtpSendError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SmtpSendError);
    return err as SmtpSendError;
  }
  throw new Error('expected the send to fail');
}

describe('mailer against a real SMTP server', () => {
  const sink = new TestMailbox();
  let mailer: Mailer;

  beforeAll(() => {
    expect(sink.smtpUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    mailer = createMailer({ smtpUrl: sink.smtpUrl, from: sink.from, pool: true, maxConnections: 2 });
  });

  afterAll(() => mailer.close());

  beforeEach(() => sink.clear());

  it('delivers a rendered alert as multipart text + HTML with the unsubscribe and Message-ID headers', async () => {
    const secret = 'integration-secret-0123456789';
    const link = unsubscribeUrl('https://capitolscope.test/app', signUnsubscribeToken('user-7', secret));
    const email = renderAlertEmail(alertInput({ unsubscribeUrl: link }));
    const messageId = alertMessageId('test-claim-1001', FROM);

    const result = await mailer.send({
      to: 'reader@example.com',
      ...email,
      messageId,
      headers: listUnsubscribeHeaders(link),
    });

    expect(result).toMatchObject({ messageId, accepted: ['reader@example.com'] });
    expect(result.response).toMatch(/^250/);
    const [got] = await sink.waitFor(1);
    expect(got!.to).toEqual(['reader@example.com']);
    expect(got!.mailFrom).toBe(sink.address);
    expect(got!.from).toEqual([sink.address]);
    expect(got!.subject).toBe('Nancy Pelosi bought NVDA');
    expect(got!.messageId).toBe(messageId);
    expect(got!.listUnsubscribe).toBe(`<${link}>`);
    expect(got!.listUnsubscribePost).toBe('List-Unsubscribe=One-Click');
    expect(got!.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(got!.text).toContain('Amount: $1,001 – $15,000');
    expect(got!.html).toContain('<a href="https://capitolscope.test/app/unsubscribe?token=');
    expect(got!.html).toBe(email.html);
  });

  it('keeps HTML-escaped filing values escaped after the trip through SMTP', async () => {
    const email = renderAlertEmail(
      alertInput({ trades: [alertTrade({ assetName: '<script>alert(1)</script>' })] }),
    );
    await mailer.send({ ...plainMessage('reader@example.com'), ...email });
    const [got] = await sink.waitFor(1);
    expect(got!.html).not.toContain('<script>');
    expect(got!.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('sends many messages through the pool', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => mailer.send(plainMessage(`user${i}@example.com`, i))),
    );
    expect(results.every((r) => r.accepted.length === 1)).toBe(true);
    const got = await sink.waitFor(12);
    expect(new Set(got.map((m) => m.to[0])).size).toBe(12);
  });

  it('reports a 4xx answer to DATA as temporary, and the next message goes through', async () => {
    await sink.rejectNext(1, 451, 'Try again later');
    const err = await sendError(mailer.send(plainMessage('reader@example.com')));
    expect(err).toMatchObject({ kind: 'temporary', responseCode: 451 });
    expect(err.message).toContain('451 Try again later');

    await mailer.send(plainMessage('reader@example.com', 2));
    expect((await sink.messages()).map((m) => m.subject)).toEqual(['Test 2']);
  });

  it('reports a 4xx answer to RCPT TO as temporary', async () => {
    await sink.rejectNext(1, 450, 'Mailbox busy', 'rcpt');
    const err = await sendError(mailer.send(plainMessage('reader@example.com')));
    expect(err).toMatchObject({ kind: 'temporary', responseCode: 450, command: 'RCPT TO' });
  });

  it('reports a 5xx answer to DATA about the message (spam) as the relay refusing us, not the recipient', async () => {
    await sink.rejectNext(1, 554, 'Message rejected as spam');
    const err = await sendError(mailer.send(plainMessage('reader@example.com')));
    expect(err).toMatchObject({ kind: 'temporary', relay: true, responseCode: 554 });
    expect(await sink.messages()).toHaveLength(0);
  });

  it('reports an unknown mailbox refused at DATA (550 5.1.1) as permanent', async () => {
    await sink.rejectNext(1, 550, '5.1.1 <reader@example.com>: mailbox unknown');
    const err = await sendError(mailer.send(plainMessage('reader@example.com')));
    expect(err).toMatchObject({ kind: 'permanent', relay: false, reply: { code: 550, enhanced: '5.1.1' } });
    expect(err.message).not.toContain('reader@example.com');
  });

  it('reports a rejected recipient as permanent while others still get their mail', async () => {
    await sink.rejectRecipient('gone@example.com', 550);
    const err = await sendError(mailer.send(plainMessage('gone@example.com')));
    expect(err).toMatchObject({ kind: 'permanent', responseCode: 550, command: 'RCPT TO' });

    await mailer.send(plainMessage('present@example.com'));
    expect((await sink.messages()).map((m) => m.to)).toEqual([['present@example.com']]);
  });

  it('rejectNext refuses exactly n messages, and clear() drops pending rejections', async () => {
    await sink.rejectNext(2, 452, 'Too busy');
    await sendError(mailer.send(plainMessage('reader@example.com', 1)));
    await sendError(mailer.send(plainMessage('reader@example.com', 2)));
    await mailer.send(plainMessage('reader@example.com', 3));
    expect((await sink.messages()).map((m) => m.subject)).toEqual(['Test 3']);

    await sink.rejectNext(5, 550, 'No');
    await sink.rejectRecipient('reader@example.com');
    await sink.clear();
    await mailer.send(plainMessage('reader@example.com', 4));
    expect((await sink.messages()).map((m) => m.subject)).toEqual(['Test 4']);
  });

  it("keeps each sender's mail and faults to itself on the shared server", async () => {
    const other = new TestMailbox('other');
    const otherMailer = createMailer({ smtpUrl: other.smtpUrl, from: other.from, pool: true });
    try {
      await other.rejectNext(1, 451, 'Only for the other sender');
      await mailer.send(plainMessage('reader@example.com', 51));
      await sendError(otherMailer.send(plainMessage('reader@example.com', 52)));
      await otherMailer.send(plainMessage('reader@example.com', 53));
      expect((await sink.messages()).map((m) => m.subject)).toEqual(['Test 51']);
      expect((await other.messages()).map((m) => m.subject)).toEqual(['Test 53']);
    } finally {
      otherMailer.close();
    }
  });

  it('writes each message as a <timestamp>-<n>.eml file', async () => {
    await mailer.send(plainMessage('reader@example.com', 41));
    await mailer.send(plainMessage('reader@example.com', 42));
    const got = await sink.waitFor(2);
    expect(got).toHaveLength(2);
    for (const message of got) {
      expect(basename(message.file!)).toMatch(/^\d{4}-\d{2}-\d{2}T[\d-]+Z-\d+\.eml$/);
      const parsed = await simpleParser(await readFile(message.file!));
      expect(parsed.messageId).toBe(message.messageId);
      expect(parsed.subject).toBe(message.subject);
    }
  });

  it('waitFor gives up after its timeout, saying how many arrived', async () => {
    await expect(sink.waitFor(1, 50)).rejects.toThrow(/0 of 1 messages after 50 ms/);
  });
});

describe('mailer with no server', () => {
  it('reports a refused connection as temporary', async () => {
    // A port that was free a moment ago and has nobody listening now.
    const probe = createServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((ok) => probe.close(() => ok()));

    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, pool: true });
    try {
      const err = await sendError(mailer.send(plainMessage('reader@example.com')));
      expect(err.kind).toBe('temporary');
      expect(err.responseCode).toBeNull();
      expect(err.message).toMatch(/ECONNREFUSED/);
    } finally {
      mailer.close();
    }
  });

  it('refuses a malformed SMTP_URL or recipient with a clear error', async () => {
    expect(() => createMailer({ smtpUrl: 'http://x', from: FROM, pool: true })).toThrow(
      /SMTP_URL must start with smtp/,
    );
    expect(() => createMailer({ smtpUrl: 'smtp://user:hunter2@', from: FROM, pool: true })).toThrow(
      /SMTP_URL/,
    );
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: FROM, pool: true });
    try {
      await expect(mailer.send(plainMessage('a@example.com, b@example.com'))).rejects.toThrow(
        /exactly one address/,
      );
      await expect(
        mailer.send({
          ...plainMessage('a@example.com'),
          headers: { 'List-Unsubscribe': '<https://x>\r\nBcc: evil@x' },
        }),
      ).rejects.toThrow(/line breaks/);
    } finally {
      mailer.close();
    }
  });
});
