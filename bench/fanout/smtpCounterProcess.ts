import type { ChildProcess } from 'node:child_process';
import { stopChild } from '../../ops/stopChild';
import { forkScript, nextMessage } from './child';
import type { CounterRequest, CounterStats } from './smtpCounter';

type Reply = { id: number; stats: CounterStats };
type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The counting SMTP server (smtpCounter.ts) in its own process. */
export class SmtpCounter {
  private next = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(port = 0): Promise<SmtpCounter> {
    const child = forkScript('./smtpCounter.ts', { SMTP_COUNTER_PORT: String(port) });
    const ready = await nextMessage(
      child,
      (m): m is { ready: true; port: number } => typeof m === 'object' && m !== null && 'ready' in m,
      'the SMTP counter',
    );
    return new SmtpCounter(child, `smtp://127.0.0.1:${ready.port}`);
  }

  get pid(): number {
    return this.child.pid!;
  }

  stats(): Promise<CounterStats> {
    return this.ask({ cmd: 'stats' });
  }

  reset(): Promise<CounterStats> {
    return this.ask({ cmd: 'reset' });
  }

  /** Resolves once `count` messages have been accepted since the last reset. */
  waitFor(count: number): Promise<CounterStats> {
    return this.ask({ cmd: 'waitFor', count });
  }

  stop(): Promise<void> {
    return stopChild(this.child, 15_000);
  }

  private async ask(request: Distribute<CounterRequest>): Promise<CounterStats> {
    const id = ++this.next;
    const reply = nextMessage(
      this.child,
      (m): m is Reply => typeof m === 'object' && m !== null && (m as Reply).id === id,
      'the SMTP counter',
    );
    this.child.send({ ...request, id });
    return (await reply).stats;
  }
}
