import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { oneLine } from '../../mail/tradeFormat';
import { printJson } from '../output';
import { startProgress } from '../progress';

/**
 * Parsers only: no database, no Temporal, no configuration needed. Each reader is loaded when its
 * command runs: the PDF and OCR reader alone takes about a second to load, which `parse senate-ptr`
 * and `--help` need not wait for.
 */
export function registerParseCommands(program: Command): void {
  const parse = program.command('parse').description('parse an upstream file and print it as JSON');

  parse
    .command('house-ptr <file>')
    .description(
      'a House PTR PDF → ParsedFiling; a scanned paper one is read from its images, with a confidence per field',
    )
    .option('--filed-date <YYYY-MM-DD>', 'when the filing was filed (checks the dates read from a scan)')
    .option('--no-scan', 'leave a scanned filing unread (kind paper, no rows)')
    .action(async (file: string, opts: { filedDate?: string; scan: boolean }) => {
      if (opts.filedDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.filedDate)) {
        throw new Error(`--filed-date must be YYYY-MM-DD, not ${JSON.stringify(opts.filedDate)}`);
      }
      const { readHousePtrPdf } = await import('../../sources/house/readPtr');
      const progress = startProgress('reading the scanned pages');
      const scans = opts.scan
        ? {
            filedDate: opts.filedDate ?? null,
            // A one-off read on an operator's machine: generous limits, one scan at a time.
            limits: { timeoutMs: 30 * 60_000, memoryMb: 1024 },
            onPage: (page: number) => progress.update(page),
          }
        : undefined;
      const filing = await readHousePtrPdf(await readFile(file), stem(file), { scans }).finally(() =>
        progress.done(),
      );
      printJson(filing);
    });

  parse
    .command('senate-ptr <file>')
    .description('a Senate eFD PTR page (HTML) → ParsedFiling')
    .action(async (file: string) => {
      const { parseSenatePtr } = await import('../../sources/senate/parsePtr');
      printJson(parseSenatePtr(await readFile(file, 'utf8'), stem(file)));
    });

  parse
    .command('house-index <file>')
    .description(
      'a House Clerk index (.zip, .xml or .txt) → one row per DocID; records that cannot be read are named on stderr',
    )
    .action(async (file: string) => {
      const { parseHouseIndexFile } = await import('../../sources/house/parseIndex');
      const { rows, rejected } = parseHouseIndexFile(await readFile(file), basename(file));
      for (const r of rejected)
        process.stderr.write(`rejected: ${r.reason}: ${oneLine(r.row).slice(0, 200)}\n`);
      printJson(rows);
    });
}

function stem(file: string): string {
  return basename(file, extname(file));
}
