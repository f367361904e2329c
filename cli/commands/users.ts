import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { cleanUser, type UserInput } from '../../domain/users';
import { addRule, listRules, listUsers, removeRule, removeUser, upsertUsers } from '../../store/users';
import { printJson, withContext } from '../context';

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('the people who receive alerts');

  users
    .command('add')
    .requiredOption('--email <email>')
    .option('--timezone <tz>', 'IANA time zone, e.g. America/Chicago')
    .option('--digest <mode>', 'instant, daily or weekly')
    .option('--quiet-hours <from-to>', 'local hours without instant alerts, e.g. 22-7')
    .action((opts: { email: string; timezone?: string; digest?: string; quietHours?: string }) =>
      withContext(async (ctx) => {
        const user = cleanUser(opts);
        await upsertUsers(await ctx.db(), [user]);
        printJson({ email: user.email, saved: true });
      }),
    );

  users
    .command('list')
    .option('--limit <n>', 'at most this many', '1000')
    .action((opts: { limit: string }) =>
      withContext(async (ctx) => printJson(await listUsers(await ctx.db(), Number(opts.limit)))),
    );

  users
    .command('remove')
    .requiredOption('--email <email>')
    .action((opts: { email: string }) =>
      withContext(async (ctx) => {
        const removed = await removeUser(await ctx.db(), opts.email);
        if (!removed) throw new Error(`no user with email ${opts.email}`);
        printJson({ email: opts.email, removed });
      }),
    );

  users
    .command('import <file>')
    .description('bulk load a JSON array of {email, timezone?, digest?, rules: [...]}; idempotent by email')
    .action((file: string) =>
      withContext(async (ctx) => {
        const data: unknown = JSON.parse(await readFile(file, 'utf8'));
        if (!Array.isArray(data)) throw new Error(`${file}: expected a JSON array of users`);
        // Validate everything first: a bad row stops the import before anything is written.
        const clean = (data as UserInput[]).map((u, i) => cleanUser(u, `${file}: user ${i + 1}`));
        const started = performance.now();
        const result = await upsertUsers(await ctx.db(), clean);
        printJson({ ...result, seconds: Math.round((performance.now() - started) / 100) / 10 });
      }),
    );

  const rules = program.command('rules').description('what each user follows');

  rules
    .command('add')
    .requiredOption('--email <email>')
    .option('--member <name>', 'the filer: a name ("Pelosi", "Nancy Pelosi") or a bioguide id')
    .option('--ticker <symbol>')
    .option('--party <party>', 'D, R or I')
    .option('--chamber <chamber>', 'house or senate')
    .option('--type <type>', 'purchase or sale (sale includes partial sales)')
    .option('--min-amount <dollars>', 'matches when the trade’s bracket can reach this amount')
    .action(
      (opts: {
        email: string;
        member?: string;
        ticker?: string;
        party?: string;
        chamber?: string;
        type?: string;
        minAmount?: string;
      }) =>
        withContext(async (ctx) => {
          const { email, ...rule } = opts;
          printJson(await addRule(await ctx.db(), email, rule));
        }),
    );

  rules
    .command('list')
    .requiredOption('--email <email>')
    .action((opts: { email: string }) =>
      withContext(async (ctx) => printJson(await listRules(await ctx.db(), opts.email))),
    );

  rules
    .command('remove <id>')
    .requiredOption('--email <email>')
    .action((id: string, opts: { email: string }) =>
      withContext(async (ctx) => {
        const removed = await removeRule(await ctx.db(), opts.email, Number(id));
        if (!removed) throw new Error(`no rule ${id} for ${opts.email}`);
        printJson({ id: Number(id), removed });
      }),
    );
}
