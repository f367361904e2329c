// The baseline a fan-out is compared with: a raw pooled nodemailer loop sending `count` messages to
// the same SMTP server, with the same pool size and the same message, as fast as it can. Runs in a
// process of its own; takes a RawLoopJob over IPC and answers a RawLoopReport.
import nodemailer from 'nodemailer';

export interface RawLoopJob {
  smtpUrl: string;
  from: string;
  count: number;
  poolSize: number;
  message: { subject: string; text: string; html: string; headers: Record<string, string> };
}

export interface RawLoopReport {
  wallMs: number;
  cpuSeconds: number;
}

process.once('message', (job: RawLoopJob) => {
  void run(job).then(
    (report) => process.send!({ report }),
    (err: Error) => process.send!({ error: err.stack ?? String(err) }),
  );
});

async function run(job: RawLoopJob): Promise<RawLoopReport> {
  const transport = nodemailer.createTransport({
    url: job.smtpUrl,
    pool: true,
    maxConnections: job.poolSize,
  });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.count }, (_, i) =>
      transport.sendMail({
        from: job.from,
        to: `raw.user${i}@example.com`,
        subject: job.message.subject,
        text: job.message.text,
        html: job.message.html,
        messageId: `<raw.${i}.${Date.now()}@capitolscope.bench>`,
        headers: Object.fromEntries(
          Object.entries(job.message.headers).map(([name, value]) => [name, { prepared: true, value }]),
        ),
      }),
    ),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  transport.close();
  return { wallMs, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}
