// A real SMTP server in a process of its own (so its CPU is measured apart): it accepts every message,
// keeps nothing but counts, and tells Message-IDs apart, so a benchmark sees duplicates at the server.
// Started by forkScript with an IPC channel; see SmtpCounter.
import { SMTPServer } from 'smtp-server';

export interface CounterStats {
  /** Messages accepted. */
  count: number;
  /** Different Message-IDs among them. */
  distinct: number;
  bytes: number;
  /** Date.now() of the first and last acceptance; null before any. */
  firstAt: number | null;
  lastAt: number | null;
}

export type CounterRequest =
  { id: number; cmd: 'stats' } | { id: number; cmd: 'reset' } | { id: number; cmd: 'waitFor'; count: number };

const ids = new Map<string, number>();
let stats: CounterStats = { count: 0, distinct: 0, bytes: 0, firstAt: null, lastAt: null };
let waiters: { count: number; id: number }[] = [];

function messageId(raw: Buffer): string {
  const head = raw.subarray(0, Math.min(raw.length, 8192)).toString('latin1');
  const end = head.indexOf('\r\n\r\n');
  const m = /^message-id:\s*(\S+)/im.exec(end >= 0 ? head.slice(0, end) : head);
  return m?.[1] ?? '';
}

function accepted(raw: Buffer): void {
  const id = messageId(raw);
  ids.set(id, (ids.get(id) ?? 0) + 1);
  const now = Date.now();
  stats = {
    count: stats.count + 1,
    distinct: ids.size,
    bytes: stats.bytes + raw.length,
    firstAt: stats.firstAt ?? now,
    lastAt: now,
  };
  const ready = waiters.filter((w) => stats.count >= w.count);
  waiters = waiters.filter((w) => stats.count < w.count);
  for (const w of ready) process.send!({ id: w.id, stats });
}

const server = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  disableReverseLookup: true,
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      accepted(Buffer.concat(chunks));
      callback(null);
    });
  },
});
server.on('error', () => undefined);

process.on('message', (m: CounterRequest) => {
  if (m.cmd === 'stats') process.send!({ id: m.id, stats });
  else if (m.cmd === 'reset') {
    ids.clear();
    stats = { count: 0, distinct: 0, bytes: 0, firstAt: null, lastAt: null };
    process.send!({ id: m.id, stats });
  } else if (m.cmd === 'waitFor') {
    if (stats.count >= m.count) process.send!({ id: m.id, stats });
    else waiters.push({ count: m.count, id: m.id });
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(Number(process.env.SMTP_COUNTER_PORT ?? 0), '127.0.0.1', () => {
  const address = server.server.address();
  process.send!({ ready: true, port: typeof address === 'object' && address ? address.port : 0 });
});
