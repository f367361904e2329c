/** One measured figure of a benchmark run; every value printed comes from one of these. */
export interface Measurement {
  section: string;
  name: string;
  value: number | string;
  unit: string;
}

/** Milliseconds since `start` (a `performance.now()` reading). */
export function msSince(start: number): number {
  return performance.now() - start;
}

export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

function format(value: number | string): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 1000 || Number.isInteger(value) ? 0 : abs >= 100 ? 1 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A plain-text table: section, what was measured, value (right-aligned), unit. */
export function formatTable(rows: Measurement[]): string {
  const cells = rows.map((r) => [r.section, r.name, format(r.value), r.unit]);
  const header = ['section', 'measure', 'value', 'unit'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...cells.map(line)].join('\n');
}

/** What one benchmark returns: its figures, and longer text (query plans) printed after the table. */
export interface BenchResult {
  rows: Measurement[];
  appendix?: { title: string; text: string }[];
}
