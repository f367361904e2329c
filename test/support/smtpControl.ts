import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { SinkMessage, SmtpPhase, SmtpSink } from '../../devstack/smtpSink';

/** A received message as the control API sends it: the raw bytes stay on the server (see `file`). */
export type WireMessage = Omit<SinkMessage, 'raw' | 'receivedAt'> & { receivedAt: string };

export interface RejectNextBody {
  n: number;
  code: number;
  message?: string;
  phase?: SmtpPhase;
}

export interface RejectRecipientBody {
  address: string;
  code?: number;
  message?: string;
}

/**
 * The run's one SMTP server lives in vitest's global setup, out of the test files' reach. This
 * loopback HTTP API lets each test file read and steer the mailbox of its own envelope sender:
 *
 *   GET  /mailboxes/:sender/messages?count=N&timeoutMs=T   (waits for N messages)
 *   POST /mailboxes/:sender/reject-next        {n, code, message?, phase?}
 *   POST /mailboxes/:sender/reject-recipient   {address, code?, message?}
 *   POST /mailboxes/:sender/clear
 *   POST /mailboxes/:sender/hold-next         {n}   (leave the next n messages unanswered after DATA)
 *   GET  /mailboxes/:sender/held                    (how many wait unanswered)
 *   POST /mailboxes/:sender/release                 (accept them)
 */
export async function startSmtpControl(sink: SmtpSink): Promise<{ url: string; stop: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    handle(sink, req).then(
      (body) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body ?? null));
      },
      (err: unknown) => {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(err instanceof Error ? err.message : String(err));
      },
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

async function handle(sink: SmtpSink, req: IncomingMessage): Promise<unknown> {
  const url = new URL(req.url ?? '/', 'http://control');
  const match = /^\/mailboxes\/([^/]+)\/([a-z-]+)$/.exec(url.pathname);
  if (!match) throw new Error(`no such control path: ${url.pathname}`);
  const box = sink.mailbox(decodeURIComponent(match[1]!));
  const action = `${req.method} ${match[2]}`;
  switch (action) {
    case 'GET messages': {
      const count = Number(url.searchParams.get('count') ?? 0);
      const timeoutMs = Number(url.searchParams.get('timeoutMs') ?? 0);
      const messages = count > 0 ? await box.waitFor(count, timeoutMs) : box.messages;
      return messages.map(toWire);
    }
    case 'POST reject-next': {
      const b = (await jsonBody(req)) as RejectNextBody;
      box.rejectNext(b.n, b.code, b.message, b.phase);
      return null;
    }
    case 'POST reject-recipient': {
      const b = (await jsonBody(req)) as RejectRecipientBody;
      box.rejectRecipient(b.address, b.code, b.message);
      return null;
    }
    case 'POST clear':
      box.clear();
      return null;
    case 'POST hold-next':
      box.holdNext(((await jsonBody(req)) as { n: number }).n);
      return null;
    case 'GET held':
      return box.heldCount;
    case 'POST release':
      box.release();
      return null;
    default:
      throw new Error(`no such control action: ${action}`);
  }
}

function toWire({ raw: _raw, receivedAt, ...rest }: SinkMessage): WireMessage {
  return { ...rest, receivedAt: receivedAt.toISOString() };
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}
