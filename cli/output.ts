import type { Command } from 'commander';
import { oneLine } from '../mail/tradeFormat';

/**
 * What commands print: aligned tables and plain sentences for people by default, JSON for scripts
 * with `-o json` (`--output json`). `parse` always prints JSON. Errors go to stderr (cli/main.ts).
 */
export type OutputFormat = 'table' | 'json';

/** The global `-o, --output` option; commander accepts it before or after the subcommand. */
export function addOutputOption(program: Command): Command {
  return program.option('-o, --output <format>', 'table (for people) or json (for scripts)', 'table');
}

/** The format a command was asked for; commander hands each action its own Command last. */
export function outputFormat(cmd: Command): OutputFormat {
  const value = String(cmd.optsWithGlobals().output ?? 'table');
  if (value !== 'table' && value !== 'json') {
    throw new Error(`--output must be table or json, not "${value}"`);
  }
  return value;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | Date | null | undefined;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis, so one long reason cannot push the table off the screen. */
  maxWidth?: number;
}

/** Rows as an aligned plain-text table (the style of the `temporal` CLI): a header, two spaces between columns. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => cut(cellText(c.value(row)), c.maxWidth)));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]!))));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? padStart(v, widths[i]!) : padEnd(v, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}

/** Label/value pairs, one a line, labels aligned: for one record (`filings show`, `status`). */
export function renderFields(fields: readonly [string, unknown][]): string {
  const w = Math.max(0, ...fields.map(([label]) => width(label)));
  return (
    fields.map(([label, value]) => `${padEnd(label, w)}  ${cellText(value)}`.trimEnd()).join('\n') + '\n'
  );
}

/**
 * Print a command's result: JSON (the whole value) when asked for, else what `human` renders. Keeping
 * both beside each other means a script and a person always see the same facts.
 */
export function printOutput(format: OutputFormat, value: unknown, human: () => string): void {
  if (format === 'json') printJson(value);
  else process.stdout.write(human());
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** `1 filing`, `3 filings`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** An instant as people read it in a table: `2025-01-17 14:03` (UTC, stated in the header or help). */
export function shortTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return shortTime(v);
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  // Filing text is untrusted and may hold newlines or control characters: one cell, one line.
  return oneLine(String(v));
}

function cut(text: string, max: number | undefined): string {
  if (max === undefined || width(text) <= max) return text;
  return [...text].slice(0, Math.max(1, max - 1)).join('') + '…';
}

/** Width in terminal columns; code points, so `→` and `é` count once. */
function width(text: string): number {
  return [...text].length;
}

function padEnd(text: string, w: number): string {
  return text + ' '.repeat(Math.max(0, w - width(text)));
}

function padStart(text: string, w: number): string {
  return ' '.repeat(Math.max(0, w - width(text))) + text;
}
