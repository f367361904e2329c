/**
 * Progress of long work (`users import`, `schedules backfill`, `sync --wait`) on stderr, so stdout
 * stays the command's result. On a terminal it redraws one line; elsewhere (a log, CI) it says
 * nothing until `done`, so piped output is not cluttered with carriage returns.
 */
export interface Progress {
  /** `done` of `total` units finished (total may be unknown). */
  update(done: number, note?: string): void;
  /** Clears the progress line, leaving `summary` (if any) in its place. */
  done(summary?: string): void;
}

export function startProgress(
  label: string,
  opts: { total?: number; stream?: NodeJS.WriteStream; minIntervalMs?: number } = {},
): Progress {
  const stream = opts.stream ?? process.stderr;
  const live = Boolean(stream.isTTY);
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  const draw = (text: string) => {
    stream.write(`\r\x1b[2K${text}`);
    drawn = true;
  };
  return {
    update(done, note) {
      if (!live) return;
      const now = Date.now();
      if (now - lastDraw < (opts.minIntervalMs ?? 100)) return;
      lastDraw = now;
      const of = opts.total ? ` of ${opts.total.toLocaleString('en-US')}` : '';
      const pct = opts.total ? ` (${Math.floor((100 * done) / opts.total)}%)` : '';
      const elapsed = Math.round((now - started) / 1000);
      draw(`${label}: ${done.toLocaleString('en-US')}${of}${pct}, ${elapsed}s${note ? ` — ${note}` : ''}`);
    },
    done(summary) {
      if (live && drawn) stream.write('\r\x1b[2K');
      if (live && summary) stream.write(`${summary}\n`);
    },
  };
}
