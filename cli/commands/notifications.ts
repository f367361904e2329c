import type { Command } from 'commander';
import { oneLine, tickerLabel, tradeLabel, truncate } from '../../mail/tradeFormat';
import {
  NOTIFICATION_STATUSES,
  listNotifications,
  notificationStates,
  retryFailedNotifications,
  type NotificationSummary,
} from '../../store/notifications';
import { getUserByEmail } from '../../store/users';
import { withContext } from '../context';
import { oneOf, positiveInt } from '../options';
import { outputFormat, plural, printOutput, renderTable } from '../output';

const SEND_NOW = 'capitolscope schedules trigger notification-processing';

export function registerNotificationCommands(program: Command): void {
  const notifications = program
    .command('notifications')
    .description('the alert emails: what was sent, failed or suppressed, and retrying failed ones');

  notifications
    .command('list')
    .description('notifications, newest first')
    .option('--status <status>', NOTIFICATION_STATUSES.join(', '))
    .option('--user <email>', "one user's")
    .option('--limit <n>', 'at most this many', '50')
    .action((opts: { status?: string; user?: string; limit: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const status = oneOf('--status', opts.status, NOTIFICATION_STATUSES);
        const limit = positiveInt('--limit', opts.limit);
        const db = await ctx.db();
        if (opts.user && !(await getUserByEmail(db, opts.user)))
          throw new Error(`no user with email ${opts.user}`);
        const rows = await listNotifications(db, { status, email: opts.user, limit });
        const views = rows.map(view);
        printOutput(outputFormat(cmd), views, () => notificationsTable(views));
      }),
    );

  notifications
    .command('retry [ids...]')
    .description(
      `put failed notifications back to pending (attempts reset); notification-processing sends them on its ` +
        `next run (every 30 min), or now with \`${SEND_NOW}\`. Sent and suppressed ones are never touched.`,
    )
    .option('--all-failed', 'every failed notification')
    .action((ids: string[], opts: { allFailed?: boolean }, cmd: Command) =>
      withContext(async (ctx) => {
        if (opts.allFailed && ids.length > 0)
          throw new Error('give notification ids or --all-failed, not both');
        if (!opts.allFailed && ids.length === 0) throw new Error('give notification ids, or --all-failed');
        const numbers = ids.map((id) => {
          if (!/^\d+$/.test(id))
            throw new Error(`notification ids are numbers (see \`notifications list\`), not "${id}"`);
          return Number(id);
        });
        const db = await ctx.db();
        if (!opts.allFailed) {
          // Refuse the whole command, changing nothing, when any notification named cannot be retried.
          const states = await notificationStates(db, numbers);
          const problems = [...new Set(numbers)].flatMap((id) => {
            const n = states.find((s) => s.id === id);
            if (!n) return [`no notification ${id}`];
            if (n.status !== 'failed')
              return [`notification ${id} is ${n.status}: only failed ones can be retried`];
            if (n.userStatus !== 'active')
              return [`notification ${id}: its user is ${n.userStatus} and gets no mail`];
            return [];
          });
          if (problems.length > 0) throw new Error(problems.join('; '));
        }
        const result = await retryFailedNotifications(db, { ids: opts.allFailed ? undefined : numbers });
        const next =
          result.reset.length === 0
            ? 'nothing to retry'
            : `notification-processing sends them on its next run (digest users: in their next digest); ` +
              `to send now: ${SEND_NOW}`;
        const summary = {
          retried: result.reset.length,
          ids: result.reset,
          // Failed ones of unsubscribed or suppressed users stay failed: they get no mail.
          skippedInactiveUsers: result.skippedInactiveUser.length,
          next,
        };
        printOutput(outputFormat(cmd), summary, () => {
          if (summary.retried === 0 && summary.skippedInactiveUsers === 0) return 'Nothing to retry.\n';
          const skipped = summary.skippedInactiveUsers
            ? ` ${plural(summary.skippedInactiveUsers, 'notification')} of users who no longer receive mail stay failed.`
            : '';
          return `Put ${plural(summary.retried, 'notification')} back to pending (${summary.ids.join(', ')}).${skipped}\nNext: ${next}.\n`;
        });
      }),
    );
}

function view(n: NotificationSummary) {
  return {
    id: n.id,
    user: n.user,
    kind: n.kind,
    delivery: n.delivery,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError,
    created: n.created,
    sentAt: n.sentAt,
    retriedAt: n.retriedAt,
    trade: tradeLine(n),
    source: n.source,
    filingId: n.filingId,
  };
}

function notificationsTable(rows: ReturnType<typeof view>[]): string {
  if (rows.length === 0) return 'No notifications.\n';
  return renderTable(rows, [
    { header: 'ID', value: (n) => n.id, align: 'right' },
    { header: 'USER', value: (n) => n.user, maxWidth: 32 },
    { header: 'KIND', value: (n) => n.kind },
    { header: 'DELIVERY', value: (n) => n.delivery },
    { header: 'STATUS', value: (n) => n.status },
    { header: 'TRIES', value: (n) => n.attempts, align: 'right' },
    { header: 'CREATED (UTC)', value: (n) => n.created },
    { header: 'TRADE', value: (n) => n.trade, maxWidth: 60 },
    { header: 'LAST ERROR', value: (n) => n.lastError, maxWidth: 50 },
  ]);
}

/** `Nancy Pelosi · NVDA · Purchase · 2025-01-10`: the member, ticker (else asset), type and date. */
function tradeLine(n: NotificationSummary): string {
  const asset = tickerLabel(n.ticker, n.receivedTicker) ?? truncate(oneLine(n.assetName), 60);
  return [
    oneLine(n.memberName),
    asset,
    tradeLabel(n.transactionType),
    n.transactionDate ?? 'no date',
    ...(n.withdrawn ? ['withdrawn'] : []),
  ].join(' · ');
}
