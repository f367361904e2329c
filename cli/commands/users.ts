import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { cleanUser, type UserInput } from '../../domain/users';
import { STALE_AFTER_DAYS } from '../../store/notifications';
import {
  addRule,
  getUserByEmail,
  inactiveAmong,
  listRules,
  listUsers,
  reactivateUsers,
  removeRule,
  removeUser,
  upsertUsers,
  type UserRow,
} from '../../store/users';
import { withContext } from '../context';
import { pastTime, positiveInt } from '../options';
import { outputFormat, plural, printOutput, renderTable, shortTime } from '../output';
import { startProgress } from '../progress';

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('the people who receive alerts');

  users
    .command('add')
    .description('add a user, or update the settings given of an existing one')
    .requiredOption('--email <email>')
    .option('--timezone <tz>', 'IANA time zone, e.g. America/Chicago')
    .option('--digest <mode>', 'instant, daily or weekly')
    .option('--quiet-hours <from-to>', 'local hours without instant alerts, e.g. 22-7')
    .action(
      (opts: { email: string; timezone?: string; digest?: string; quietHours?: string }, cmd: Command) =>
        withContext(async (ctx) => {
          const user = cleanUser(opts);
          const db = await ctx.db();
          await upsertUsers(db, [user]);
          const saved = (await getUserByEmail(db, user.email))!;
          printOutput(
            outputFormat(cmd),
            { email: saved.email, saved: true },
            () => `Saved ${describeUser(saved)}.\n`,
          );
        }),
    );

  users
    .command('list')
    .option('--limit <n>', 'at most this many', '1000')
    .action((opts: { limit: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const rows = await listUsers(await ctx.db(), positiveInt('--limit', opts.limit));
        printOutput(outputFormat(cmd), rows, () =>
          rows.length === 0
            ? 'No users yet (add one with `capitolscope users add --email ...`).\n'
            : renderTable(rows, [
                { header: 'ID', value: (u) => u.id, align: 'right' },
                { header: 'EMAIL', value: (u) => u.email },
                { header: 'DELIVERY', value: (u) => u.digest },
                { header: 'TIME ZONE', value: (u) => u.timezone },
                { header: 'QUIET HOURS', value: (u) => quietHours(u) },
                { header: 'RULES', value: (u) => u.rules, align: 'right' },
                {
                  header: 'STATUS',
                  value: (u) => (u.statusReason ? `${u.status}: ${u.statusReason}` : u.status),
                  maxWidth: 60,
                },
              ]),
        );
      }),
    );

  users
    .command('remove')
    .description('remove a user with their rules and notifications')
    .requiredOption('--email <email>')
    .action((opts: { email: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const removed = await removeUser(await ctx.db(), opts.email);
        if (!removed) throw new Error(`no user with email ${opts.email}`);
        printOutput(
          outputFormat(cmd),
          { email: opts.email, removed },
          () => `Removed ${opts.email} and their rules.\n`,
        );
      }),
    );

  users
    .command('import <file>')
    .description('bulk load a JSON array of {email, timezone?, digest?, rules: [...]}; idempotent by email')
    .action((file: string, _opts: unknown, cmd: Command) =>
      withContext(async (ctx) => {
        const data: unknown = JSON.parse(await readFile(file, 'utf8'));
        if (!Array.isArray(data)) throw new Error(`${file}: expected a JSON array of users`);
        // Validate everything first: a bad row stops the import before anything is written.
        const clean = (data as UserInput[]).map((u, i) => cleanUser(u, `${file}: user ${i + 1}`));
        const started = performance.now();
        const progress = startProgress('Importing users', { total: clean.length });
        const result = await upsertUsers(await ctx.db(), clean, {
          onProgress: (done) => progress.update(done),
        });
        const seconds = Math.round((performance.now() - started) / 100) / 10;
        progress.done();
        // Importing never turns anyone's mail back on: say who stays without it.
        const notReceiving = await inactiveAmong(
          await ctx.db(),
          clean.map((u) => u.email),
        );
        printOutput(
          outputFormat(cmd),
          { ...result, seconds, notReceiving },
          () =>
            `${plural(result.users, 'user')} saved, ${plural(result.rulesAdded, 'new rule')} added, in ${seconds} s.\n` +
            notReceivingText(notReceiving),
        );
      }),
    );

  users
    .command('reactivate')
    .description(
      'send mail again to addresses suppressed after a refusal (one user, or all suppressed since a time); ' +
        'their alerts suppressed with them are pending again. Unsubscribed users are never touched.',
    )
    .option('--email <email>', 'one suppressed user')
    .option(
      '--suppressed-since <time>',
      'everyone suppressed since: 2025-06-01, 2025-06-01T14:00Z, or 2h, 3d ago',
    )
    .action((opts: { email?: string; suppressedSince?: string }, cmd: Command) =>
      withContext(async (ctx) => {
        if ((opts.email === undefined) === (opts.suppressedSince === undefined))
          throw new Error('give --email or --suppressed-since (one of them)');
        const db = await ctx.db();
        if (opts.email !== undefined) {
          const user = await getUserByEmail(db, opts.email);
          if (!user) throw new Error(`no user with email ${opts.email}`);
          if (user.status === 'unsubscribed')
            throw new Error(`${user.email} unsubscribed themselves; only they can subscribe again`);
        }
        const which =
          opts.email !== undefined
            ? { email: opts.email }
            : { suppressedSince: pastTime('--suppressed-since', opts.suppressedSince!) };
        const alertsNewerThan = new Date(Date.now() - STALE_AFTER_DAYS.weekly * 86_400_000);
        const reactivated = await reactivateUsers(db, which, alertsNewerThan);
        const alerts = reactivated.reduce((n, u) => n + u.alertsRestored, 0);
        printOutput(outputFormat(cmd), { reactivated, alertsRestored: alerts }, () => {
          if (reactivated.length === 0)
            return opts.email !== undefined
              ? `${opts.email} is not suppressed: nothing to do.\n`
              : `Nobody was suppressed since ${shortTime(which.suppressedSince!)} UTC.\n`;
          return (
            renderTable(reactivated, [
              { header: 'EMAIL', value: (u) => u.email },
              { header: 'SUPPRESSED (UTC)', value: (u) => u.suppressedAt },
              { header: 'ALERTS RESTORED', value: (u) => u.alertsRestored, align: 'right' },
              { header: 'REASON', value: (u) => u.reason, maxWidth: 60 },
            ]) +
            `\nReactivated ${plural(reactivated.length, 'user')}; ${plural(alerts, 'alert')} pending again ` +
            `(notification-processing sends them on its next run; to send now: ` +
            `capitolscope schedules trigger notification-processing).\n`
          );
        });
      }),
    );

  const rules = program.command('rules').description('what each user follows');

  rules
    .command('add')
    .description('add a rule: every condition given must hold for a trade to match')
    .requiredOption('--email <email>')
    .option('--member <name>', 'the filer: a name ("Pelosi", "Nancy Pelosi") or a bioguide id')
    .option('--ticker <symbol>')
    .option('--party <party>', 'D, R or I')
    .option('--chamber <chamber>', 'house or senate')
    .option('--type <type>', 'purchase or sale (sale includes partial sales)')
    .option('--min-amount <dollars>', 'matches when the trade’s bracket can reach this amount')
    .action(
      (
        opts: {
          email: string;
          member?: string;
          ticker?: string;
          party?: string;
          chamber?: string;
          type?: string;
          minAmount?: string;
        },
        cmd: Command,
      ) =>
        withContext(async (ctx) => {
          const { email, ...rule } = opts;
          const added = await addRule(await ctx.db(), email, rule);
          printOutput(outputFormat(cmd), added, () =>
            added.created
              ? `Added rule ${added.id} for ${email}: ${added.label}.\n`
              : `${email} already has that rule (${added.id}: ${added.label}).\n`,
          );
        }),
    );

  rules
    .command('list')
    .requiredOption('--email <email>')
    .action((opts: { email: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const db = await ctx.db();
        if (!(await getUserByEmail(db, opts.email))) throw new Error(`no user with email ${opts.email}`);
        const rows = await listRules(db, opts.email);
        printOutput(outputFormat(cmd), rows, () =>
          rows.length === 0
            ? `${opts.email} follows nothing yet (add a rule with \`capitolscope rules add --email ${opts.email} ...\`).\n`
            : renderTable(rows, [
                { header: 'ID', value: (r) => r.id, align: 'right' },
                { header: 'RULE', value: (r) => r.label },
                { header: 'CREATED (UTC)', value: (r) => r.createdAt },
              ]),
        );
      }),
    );

  rules
    .command('remove <id>')
    .requiredOption('--email <email>')
    .action((id: string, opts: { email: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const removed = await removeRule(await ctx.db(), opts.email, positiveInt('rule id', id));
        if (!removed) throw new Error(`no rule ${id} for ${opts.email}`);
        printOutput(
          outputFormat(cmd),
          { id: Number(id), removed },
          () => `Removed rule ${id} of ${opts.email}.\n`,
        );
      }),
    );
}

function notReceivingText(n: { unsubscribed: number; suppressed: number }): string {
  const parts = [
    n.suppressed
      ? `${plural(n.suppressed, 'user')} suppressed (\`users reactivate\` sends them mail again)`
      : '',
    n.unsubscribed ? `${plural(n.unsubscribed, 'user')} unsubscribed` : '',
  ].filter(Boolean);
  return parts.length ? `No mail to ${parts.join(' and ')}: importing changes neither.\n` : '';
}

function quietHours(u: UserRow): string {
  return u.quietStart === null || u.quietEnd === null ? '' : `${u.quietStart}-${u.quietEnd}`;
}

/** `ann@example.com (instant alerts, America/Chicago, quiet 22-7)`. */
function describeUser(u: UserRow): string {
  const delivery = u.digest === 'instant' ? 'instant alerts' : `${u.digest} digest at ${u.digestHour}:00`;
  const quiet = quietHours(u) ? `, quiet ${quietHours(u)}` : '';
  return `${u.email} (${delivery}, ${u.timezone}${quiet})`;
}
