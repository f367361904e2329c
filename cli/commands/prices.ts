import type { Command } from 'commander';
import {
  PRICE_PROGRESS_QUERY,
  type PriceUpdateInput,
  type PriceUpdateProgress,
  type PriceUpdateResult,
} from '../../domain/prices';
import { priceTicker } from '../../domain/priceTickers';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { formatAmountBracket, formatIsoDate, tradeLabel } from '../../mail/tradeFormat';
import { formatPrice } from '../../mail/priceMove';
import { tickerPrices, type TickerPrices, type TradeMove } from '../../store/prices';
import type { TransactionType } from '../../domain/filing';
import { withContext } from '../context';
import { runningWorkflows } from '../runningWorkflows';
import { outputFormat, plural, printOutput, renderFields, renderTable, shortTime } from '../output';
import { collect, positiveInt } from '../options';
import { startProgress } from '../progress';

export function registerPriceCommands(program: Command): void {
  const prices = program
    .command('prices')
    .description('stock prices of traded tickers, and how trades moved');

  prices
    .command('update')
    .description('update prices now through Temporal (whatever the market clock says) and print what it did')
    .option(
      '--ticker <symbol>',
      'only this ticker; repeat for several (default: every tracked ticker)',
      collect,
      [],
    )
    .option('--force', 'start even while another price update is running')
    .action((opts: { ticker: string[]; force?: boolean }, cmd: Command) =>
      withContext(async (ctx) => {
        const format = outputFormat(cmd);
        const tickers = opts.ticker.map((t) => {
          const canonical = priceTicker(t);
          if (!canonical || !/^[A-Z0-9][A-Z0-9.-]{0,14}$/.test(canonical))
            throw new Error(`--ticker must be a ticker symbol like NVDA or BRK.B, not "${t}"`);
          return canonical;
        });
        const client = await ctx.temporal();
        if (!opts.force) {
          const running = await runningWorkflows(client, 'PriceUpdateWorkflow');
          if (running.length > 0)
            throw new Error(
              `a price update is already running (${running.join(', ')}); wait for it, or pass --force`,
            );
        }
        const input: PriceUpdateInput = tickers.length ? { tickers, force: true } : { force: true };
        const handle = await client.workflow.start('PriceUpdateWorkflow', {
          taskQueue: TASK_QUEUES.priceUpdates,
          workflowId: `price-update-manual-${new Date().toISOString()}`,
          args: [input],
          workflowRunTimeout: '30 minutes',
        });
        const progress = startProgress('Updating prices');
        const poll = setInterval(() => {
          handle
            .query<PriceUpdateProgress>(PRICE_PROGRESS_QUERY)
            .then((p) => p.tickers && progress.update(p.tickersDone, `of ${plural(p.tickers, 'ticker')}`))
            .catch(() => undefined);
        }, 1000);
        let result: PriceUpdateResult;
        try {
          result = (await handle.result()) as PriceUpdateResult;
        } finally {
          clearInterval(poll);
        }
        progress.done(`Updated ${result.updated} of ${plural(result.tickers, 'ticker')}`);
        const db = tickers.length ? await ctx.db() : null;
        const states = db
          ? await Promise.all(tickers.map((t) => tickerPrices(db, t, { closes: 1, trades: 0 })))
          : [];
        printOutput(
          format,
          { workflowId: handle.workflowId, ...result, ...(db ? { prices: states } : {}) },
          () => renderUpdate(handle.workflowId, result, states),
        );
        if (result.tickers > 0 && result.updated === 0) process.exitCode = 1;
      }),
    );

  prices
    .command('show <ticker>')
    .description("a ticker's latest quote, recent closes, and the trades of it with how they moved")
    .option('--closes <n>', 'recent daily closes to show', '10')
    .option('--trades <n>', 'trades to show, newest first', '20')
    .action((raw: string, opts: { closes: string; trades: string }, cmd: Command) =>
      withContext(async (ctx) => {
        const format = outputFormat(cmd);
        const ticker = priceTicker(raw);
        if (!ticker) throw new Error('give a ticker symbol, like NVDA');
        const data = await tickerPrices(await ctx.db(), ticker, {
          closes: positiveInt('--closes', opts.closes),
          trades: positiveInt('--trades', opts.trades),
        });
        printOutput(format, data, () => renderTicker(data));
      }),
    );
}

function renderUpdate(workflowId: string, r: PriceUpdateResult, states: TickerPrices[]): string {
  const sources = Object.entries(r.bySource)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  let out = renderFields([
    ['Run', workflowId],
    ['Tickers', r.tickers],
    ['Updated', `${r.updated}${sources ? ` (${sources})` : ''}`],
    ['Unknown symbols', r.unknown],
    ['Rate limited', r.rateLimited],
    ['Failed', r.failed],
    ['Histories loaded', r.histories],
    ['Daily closes written', r.closes],
    ['Trades re-priced', r.tradeMoves],
  ]);
  if (states.length) {
    out +=
      '\n' +
      renderTable(states, [
        { header: 'TICKER', value: (s) => s.ticker },
        {
          header: 'PRICE',
          value: (s) => (s.quote ? formatPrice(s.quote.price, s.quote.currency) : ''),
          align: 'right',
        },
        { header: 'AS OF (UTC)', value: (s) => shortTime(s.quote?.quotedAt) },
        { header: 'SOURCE', value: (s) => s.quote?.source },
        { header: 'STATUS', value: (s) => s.status ?? 'not priced' },
        { header: 'DETAIL', value: (s) => s.detail, maxWidth: 60 },
      ]);
  }
  if (r.problems.length) out += `\nNot updated:\n${r.problems.map((p) => `  ${p}`).join('\n')}\n`;
  return out;
}

function renderTicker(d: TickerPrices): string {
  if (!d.status && !d.quote && d.closes.length === 0 && d.trades.length === 0) {
    return `No prices or trades for ${d.ticker}. To price it now: capitolscope prices update --ticker ${d.ticker}\n`;
  }
  const currency = d.quote?.currency ?? 'USD';
  const money = (v: number | null) => (v === null ? '' : formatPrice(v, currency));
  const pct = (v: number | null) => (v === null ? '' : `${v > 0 ? '+' : ''}${v.toFixed(1)} %`);
  let out = renderFields([
    ['Ticker', d.ticker],
    [
      'Price',
      d.quote
        ? `${money(d.quote.price)} at ${shortTime(d.quote.quotedAt)} UTC (${d.quote.source})`
        : 'not known',
    ],
    ['Status', d.status ? `${d.status}${d.detail ? `: ${d.detail}` : ''}` : 'never priced'],
    ['Checked', shortTime(d.checkedAt)],
    ['History from', d.historyFrom ?? 'not loaded'],
  ]);
  if (d.closes.length) {
    out +=
      '\nRecent closes\n' +
      renderTable(d.closes, [
        { header: 'DAY', value: (c) => c.day },
        { header: 'CLOSE', value: (c) => money(c.close), align: 'right' },
      ]);
  }
  if (d.trades.length) {
    out +=
      '\nTrades\n' +
      renderTable<TradeMove>(d.trades, [
        { header: 'MEMBER', value: (t) => t.memberName, maxWidth: 28 },
        { header: 'TRADED', value: (t) => formatIsoDate(t.transactionDate) },
        { header: 'TYPE', value: (t) => tradeLabel(t.transactionType as TransactionType) },
        { header: 'AMOUNT', value: (t) => formatAmountBracket(t.amountMin, t.amountMax) },
        { header: 'CLOSE THEN', value: (t) => money(t.tradeClose), align: 'right' },
        { header: '1 DAY', value: (t) => pct(t.change1dPct), align: 'right' },
        { header: '7 DAYS', value: (t) => pct(t.change7dPct), align: 'right' },
        { header: '30 DAYS', value: (t) => pct(t.change30dPct), align: 'right' },
        { header: 'SINCE', value: (t) => pct(t.changeNowPct), align: 'right' },
      ]);
  }
  return out;
}
