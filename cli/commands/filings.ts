import type { Command } from 'commander';
import type { Chamber } from '../../domain/filing';
import type { DbClient } from '../../store/db';
import { FILING_STATUSES } from '../../domain/sync';
import {
  RETRYABLE_FILING_STATUSES,
  findFilingsBySourceIds,
  getFilingDetail,
  listFilings,
  retryFilings,
} from '../../store/filingViews';
import { printJson, withContext } from '../context';
import { oneOf, positiveInt } from '../options';

const SOURCES: readonly Chamber[] = ['house', 'senate'];

export function registerFilingCommands(program: Command): void {
  const filings = program
    .command('filings')
    .description('the stored filings: what failed and why, and retrying them');

  filings
    .command('list')
    .description('filings, most recently seen first')
    .option('--status <status>', FILING_STATUSES.join(', '))
    .option('--source <source>', 'house or senate')
    .option('--limit <n>', 'at most this many', '50')
    .action((opts: { status?: string; source?: string; limit: string }) =>
      withContext(async (ctx) => {
        const status = oneOf('--status', opts.status, FILING_STATUSES);
        const chamber = oneOf('--source', opts.source, SOURCES);
        const limit = positiveInt('--limit', opts.limit);
        printJson(await listFilings(await ctx.db(), { status, chamber, limit }));
      }),
    );

  filings
    .command('show <filingId>')
    .description('one filing (House DocID or Senate report UUID) with its transactions')
    .option('--source <source>', 'house or senate (when the id exists in both)')
    .action((filingId: string, opts: { source?: string }) =>
      withContext(async (ctx) => {
        const chamber = oneOf('--source', opts.source, SOURCES);
        const db = await ctx.db();
        const [filing] = await resolveFilings(db, [filingId], chamber);
        printJson(await getFilingDetail(db, filing!.id));
      }),
    );

  filings
    .command('retry [filingIds...]')
    .description(
      'put failed (or not_posted) filings back in the queue: the next trade sync fetches and parses them again',
    )
    .option('--all-failed', 'every failed filing (of --source, if given)')
    .option('--source <source>', 'house or senate')
    .option('--no-alerts', 'store them without alerting anyone (e.g. old filings fixed long after the fact)')
    .action((filingIds: string[], opts: { allFailed?: boolean; source?: string; alerts: boolean }) =>
      withContext(async (ctx) => {
        const chamber = oneOf('--source', opts.source, SOURCES);
        if (opts.allFailed && filingIds.length > 0)
          throw new Error('give filing ids or --all-failed, not both');
        if (!opts.allFailed && filingIds.length === 0) throw new Error('give filing ids, or --all-failed');
        const db = await ctx.db();
        let ids: number[] | undefined;
        if (!opts.allFailed) {
          const found = await resolveFilings(db, filingIds, chamber);
          // Refuse the whole command, changing nothing, when any filing named cannot be retried.
          const refused = found
            .filter((f) => !RETRYABLE_FILING_STATUSES.includes(f.status))
            .map(
              (f) =>
                `filing ${f.filingId} (${f.source}) is ${f.status}: ` +
                (f.status === 'discovered'
                  ? 'the next trade sync ingests it already'
                  : `only ${RETRYABLE_FILING_STATUSES.join(' or ')} filings can be retried`),
            );
          if (refused.length > 0) throw new Error(refused.join('; '));
          ids = found.map((f) => f.id);
        }
        const reset = await retryFilings(db, {
          ids,
          chamber,
          statuses: opts.allFailed ? ['failed'] : RETRYABLE_FILING_STATUSES,
          alerts: opts.alerts,
        });
        printJson({
          retried: reset.length,
          filings: reset,
          alerts: opts.alerts,
          next:
            reset.length === 0
              ? 'nothing to retry'
              : 'the next trade sync fetches and parses them again; to sync now: capitolscope sync --wait',
        });
      }),
    );
}

/**
 * The stored filings named by upstream ids, one per id: an error for an id not stored, or one stored
 * for both chambers when no `--source` says which.
 */
async function resolveFilings(db: DbClient, filingIds: string[], chamber: Chamber | undefined) {
  const wanted = [...new Set(filingIds.map((id) => id.trim()))];
  const found = await findFilingsBySourceIds(db, wanted, chamber);
  const problems: string[] = [];
  for (const id of wanted) {
    const matches = found.filter((f) => f.filingId === id);
    if (matches.length === 0) {
      problems.push(`no ${chamber ? `${chamber} ` : ''}filing ${id} (see \`capitolscope filings list\`)`);
    } else if (matches.length > 1) {
      problems.push(`filing ${id} exists for both house and senate: pass --source house or --source senate`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return found;
}
