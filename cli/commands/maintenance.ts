import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { createMaintenanceActivities } from '../../activities/maintenance';
import { createReportActivities } from '../../activities/reports';
import { CLEANUP_KINDS, type CleanupKindResult } from '../../domain/maintenance';
import { REPORT_PERIODS } from '../../domain/report';
import { createAlertMailer } from '../../mail/mailer';
import { reportSections, periodLabel, reportTitle } from '../../mail/renderReport';
import { parseTableOfContents, restoreBackupFile } from '../../ops/backup';
import { findPgTools, serverMajor } from '../../ops/pgTools';
import { redactUrl } from '../../store/db';
import { serverVersion, userTableCount } from '../../store/backups';
import { exactRowCounts } from '../../store/databaseCare';
import { getReport } from '../../store/reports';
import { withContext, type CommandContext } from '../context';
import { oneOf } from '../options';
import { outputFormat, plural, printOutput, renderFields, renderTable } from '../output';
import { startProgress } from '../progress';

const run = promisify(execFile);

export function registerMaintenanceCommands(program: Command): void {
  program
    .command('backup')
    .description('back up the database now into BACKUP_DIR, read it back, and apply backup retention')
    .action((_opts: object, cmd: Command) =>
      withContext(async (ctx) => {
        const format = outputFormat(cmd);
        const progress = startProgress('Backing up');
        let tables = 0;
        const m = await maintenance(ctx, (note) => progress.update(++tables, note));
        const taken = await m.takeBackup({ stamp: new Date().toISOString() });
        tables = 0;
        const verification = await m.verifyBackup({ backupId: taken.backupId });
        const config = await m.copyBackupConfig({ backupId: taken.backupId });
        const pruned = verification.verified ? await m.pruneBackups({}) : null;
        progress.done(
          verification.verified ? 'Backup written and verified.' : 'Backup written but NOT verified.',
        );
        const result = { ...taken, verification, configFiles: config, backupsRemoved: pruned?.removed ?? [] };
        printOutput(format, result, () =>
          renderFields([
            ['File', join(ctx.config.backup.dir, taken.file)],
            ['Size', `${(taken.bytes / 2 ** 20).toFixed(1)} MiB`],
            ['Took', `${(taken.durationMs / 1000).toFixed(1)} s`],
            ['pg_dump', `${taken.pgDumpVersion} (server ${taken.serverVersion})`],
            [
              'Verified',
              verification.verified
                ? `yes, all ${verification.tablesExpected} tables listed and readable`
                : `NO: ${verification.reason}`,
            ],
            [
              'Configuration',
              config.copied
                ? `${plural(config.copied, 'file')} copied to ${config.folder}, ${plural(config.masked, 'secret')} masked`
                : 'none copied (BACKUP_CONFIG_PATHS)',
            ],
            ['Old backups removed', pruned ? pruned.removed.length : 'none (not verified)'],
          ]),
        );
        if (!verification.verified) process.exitCode = 1;
      }),
    );

  program
    .command('restore <file>')
    .description('load a backup into the database DATABASE_URL names (stop the workers first)')
    .option('--force', 'restore over a database that already holds tables (they are replaced)')
    .action((file: string, opts: { force?: boolean }, cmd: Command) =>
      withContext(async (ctx) => {
        const format = outputFormat(cmd);
        const path = backupPath(file, ctx.config.backup.dir);
        const db = await ctx.db();
        const server = await serverVersion(db);
        const tools = await findPgTools(ctx.config.backup.pgBinDir, serverMajor(server.versionNum));
        const listing = await run(tools.pgRestore, ['--list', path]).catch(
          (err: Error & { stderr?: string }) => {
            throw new Error(`${path} is not a readable backup: ${(err.stderr || err.message).trim()}`);
          },
        );
        const tables = parseTableOfContents(listing.stdout).filter((e) => e.type === 'TABLE');
        if (tables.length === 0) throw new Error(`${path} holds no tables; it is not a CapitolScope backup`);
        const existing = await userTableCount(db);
        if (existing > 0 && !opts.force) {
          throw new Error(
            `the database at ${redactUrl(ctx.config.databaseUrl!)} is not empty (${plural(existing, 'table')}); ` +
              'restore into a new, empty database, or pass --force to replace what it holds',
          );
        }
        const progress = startProgress('Restoring', { total: tables.length });
        let done = 0;
        const { durationMs } = await restoreBackupFile({
          tools,
          file: path,
          databaseUrl: ctx.config.databaseUrl!,
          clean: existing > 0,
          onProgress: (table) => progress.update(++done, table),
        });
        progress.done(`Restored ${plural(tables.length, 'table')}.`);
        const rows = await exactRowCounts(db);
        const result = { file: path, database: redactUrl(ctx.config.databaseUrl!), durationMs, tables: rows };
        printOutput(
          format,
          result,
          () =>
            renderFields([
              ['Restored', path],
              ['Into', result.database],
              ['Took', `${(durationMs / 1000).toFixed(1)} s`],
            ]) +
            '\n' +
            renderTable(Object.entries(rows), [
              { header: 'TABLE', value: ([t]) => t },
              { header: 'ROWS', value: ([, n]) => n, align: 'right' },
            ]),
        );
      }),
    );

  program
    .command('cleanup')
    .description(
      'remove what is past its retention (what weekly-cleanup does), or with --dry-run say what would go',
    )
    .option('--dry-run', 'count what would be removed, remove nothing')
    .action((opts: { dryRun?: boolean }, cmd: Command) =>
      withContext(async (ctx) => {
        const format = outputFormat(cmd);
        const dryRun = Boolean(opts.dryRun);
        const progress = startProgress(dryRun ? 'Counting' : 'Cleaning up', { total: CLEANUP_KINDS.length });
        const m = await maintenance(ctx);
        const kinds: CleanupKindResult[] = [];
        for (const kind of CLEANUP_KINDS) {
          progress.update(kinds.length, kind);
          if (kind === 'log-files') kinds.push(await m.cleanupLogFiles({ dryRun }));
          else if (kind === 'backups') kinds.push(await m.cleanupBackups({ dryRun }));
          else kinds.push(await m.cleanupDatabase({ kind, dryRun }));
        }
        const removed = kinds.reduce((n, k) => n + k.removed, 0);
        progress.done(
          dryRun ? 'Nothing was removed (dry run).' : `Removed ${removed.toLocaleString('en-US')}.`,
        );
        printOutput(format, { dryRun, kinds, removed }, () =>
          renderTable(kinds, [
            { header: 'KIND', value: (k) => k.kind },
            { header: dryRun ? 'WOULD REMOVE' : 'REMOVED', value: (k) => k.removed, align: 'right' },
            {
              header: 'MB',
              value: (k) => (k.bytesFreed === undefined ? '' : (k.bytesFreed / 2 ** 20).toFixed(1)),
              align: 'right',
            },
            { header: 'RETENTION', value: (k) => k.rule },
          ]),
        );
      }),
    );

  program
    .command('report')
    .description(
      'build the analytics report of the previous day or week (stored), print it, or --send it to ADMIN_EMAILS',
    )
    .option('--period <period>', 'day or week', 'day')
    .option('--date <date>', 'report on this day (YYYY-MM-DD), or the week holding it')
    .option('--send', 'email it to ADMIN_EMAILS instead of printing it')
    .action((opts: { period: string; date?: string; send?: boolean }, cmd: Command) =>
      withContext(async (ctx) => {
        const format = outputFormat(cmd);
        const period = oneOf('--period', opts.period, REPORT_PERIODS) ?? 'day';
        const mailer = createAlertMailer(ctx.config.mail);
        try {
          const deps = { config: ctx.config, db: await ctx.db(), logger: ctx.logger };
          const reports = createReportActivities(deps, { mailer });
          const built = await reports.buildReport({
            period,
            date: opts.date ?? null,
            asOf: new Date().toISOString(),
          });
          if (opts.send) {
            const emailed = await reports.emailReport({ reportId: built.reportId });
            printOutput(format, { ...built, emailed }, () =>
              emailed.skipped
                ? `Report ${built.reportId} stored, not sent: ${emailed.skipped}.\n`
                : `Report ${built.reportId} (${built.from} to ${built.to}) sent to ${plural(emailed.sent, 'administrator')}` +
                  (emailed.alreadySent ? `; ${emailed.alreadySent} had it already` : '') +
                  '.\n',
            );
            return;
          }
          const report = (await getReport(deps.db, built.reportId))!;
          printOutput(format, { reportId: built.reportId, ...report }, () =>
            [
              `${reportTitle(report)}, ${periodLabel(report)} (${report.window.timezone})`,
              '',
              ...reportSections(report).flatMap((s) => [s.title, ...s.lines.map((l) => `  ${l}`), '']),
            ].join('\n'),
          );
        } finally {
          mailer.close();
        }
      }),
    );
}

/** The maintenance activities, run in this process (progress on stderr instead of heartbeats). */
async function maintenance(ctx: CommandContext, onProgress?: (note: string) => void) {
  return createMaintenanceActivities(
    { config: ctx.config, db: await ctx.db(), logger: ctx.logger },
    { onProgress },
  );
}

/** A path, or the name of a file in BACKUP_DIR. */
function backupPath(file: string, backupDir: string): string {
  if (existsSync(file)) return resolve(file);
  const inDir = join(backupDir, file);
  if (existsSync(inDir)) return resolve(inDir);
  throw new Error(`no backup at ${file} (nor in BACKUP_DIR ${backupDir})`);
}
