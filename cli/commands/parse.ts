import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { parseHouseIndexFile } from '../../sources/house/parseIndex';
import { readHousePtrPdf } from '../../sources/house/readPtr';
import { parseSenatePtr } from '../../sources/senate/parsePtr';
import { printJson } from '../context';

/** Parsers only: no database, no Temporal, no configuration needed. */
export function registerParseCommands(program: Command): void {
  const parse = program.command('parse').description('parse an upstream file and print it as JSON');

  parse
    .command('house-ptr <file>')
    .description('a House PTR PDF → ParsedFiling')
    .action(async (file: string) => printJson(await readHousePtrPdf(await readFile(file), stem(file))));

  parse
    .command('senate-ptr <file>')
    .description('a Senate eFD PTR page (HTML) → ParsedFiling')
    .action(async (file: string) => printJson(parseSenatePtr(await readFile(file, 'utf8'), stem(file))));

  parse
    .command('house-index <file>')
    .description('a House Clerk index (.zip, .xml or .txt) → one row per DocID')
    .action(async (file: string) => printJson(parseHouseIndexFile(await readFile(file), basename(file))));
}

function stem(file: string): string {
  return basename(file, extname(file));
}
