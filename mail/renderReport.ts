import type { AnalyticsReport, CountBy, HealthIncident } from '../domain/report';
import type { RenderedEmail } from './alertContent';
import { createHash } from 'node:crypto';
import { escapeHtml } from './escapeHtml';
import { mailFromDomain } from '../domain/mailFrom';
import {
  chamberLabel,
  formatAmountBracket,
  formatIsoDate,
  oneLine,
  tradeLabel,
  truncate,
} from './tradeFormat';

/** The Content-ID of the chart the HTML part shows inline. */
export const REPORT_CHART_CID = 'top-tickers@capitolscope';

/**
 * The administrators' report as an email (subject, plain text, HTML showing the chart by its
 * Content-ID). Pure. Filing text is untrusted: one line each, HTML-escaped.
 */
export function renderReportEmail(r: AnalyticsReport): RenderedEmail {
  const sections = reportSections(r);
  const title = reportTitle(r);
  const subject = `${title}: ${n(r.filings.total, 'filing')}, ${n(r.transactions.total, 'trade')}, ${n(r.alerts.sent, 'alert')} sent`;
  const text = [
    title,
    `${periodLabel(r)} (${r.window.timezone})`,
    '',
    ...sections.flatMap((s) => [s.title, ...s.lines.map((l) => `  ${l}`), '']),
    `Generated ${r.generatedAt}.`,
    '',
  ].join('\n');
  const html = `<!doctype html><html><body style="margin:0;padding:16px;background:#f5f5f5;font-family:Helvetica,Arial,sans-serif;color:#222">
<div style="max-width:680px;margin:0 auto;background:#fff;padding:20px;border-radius:6px">
<h1 style="font-size:20px;margin:0 0 4px">${escapeHtml(title)}</h1>
<p style="margin:0 0 16px;color:#666;font-size:13px">${escapeHtml(periodLabel(r))} (${escapeHtml(r.window.timezone)})</p>
<img src="cid:${REPORT_CHART_CID}" width="640" alt="Most-traded tickers: buys and sells" style="display:block;max-width:100%;height:auto;margin:0 0 16px">
${sections.map(sectionHtml).join('\n')}
<p style="color:#888;font-size:12px;margin:16px 0 0">Generated ${escapeHtml(r.generatedAt)}.</p>
</div></body></html>`;
  return { subject, text, html };
}

/** The same Message-ID for every attempt to send one report to one administrator. */
export function reportMessageId(reportId: number, to: string, mailFrom: string): string {
  const digest = createHash('sha256').update(`${reportId}\n${to.toLowerCase()}`).digest('hex').slice(0, 32);
  return `<report.${reportId}.${digest}@${mailFromDomain(mailFrom)}>`;
}

export function reportTitle(r: AnalyticsReport): string {
  return r.window.period === 'day' ? 'CapitolScope daily report' : 'CapitolScope weekly report';
}

export function periodLabel(r: AnalyticsReport): string {
  return r.window.from === r.window.to
    ? `${formatIsoDate(r.window.from)}`
    : `${formatIsoDate(r.window.from)} to ${formatIsoDate(r.window.to)}`;
}

interface Section {
  title: string;
  /** Plain-text lines. */
  lines: string[];
  /** Table rows for the HTML part (first row is the header); none: the lines as a list. */
  table?: string[][];
  /** Columns of figures, right-aligned. */
  figures?: number[];
}

/** The report in reading order; also what `capitolscope report` prints. */
export function reportSections(r: AnalyticsReport): Section[] {
  const sections: Section[] = [
    {
      title: 'Filings and trades',
      lines: [
        `New filings: ${r.filings.total} (${split(r.filings)}); ${r.filings.paper} on paper, ${r.filings.amendments} amendments`,
        `New trades: ${r.transactions.total} (${split(r.transactions)}); ${r.transactions.buys} buys, ${r.transactions.sells} sells, ${r.transactions.exchanges} exchanges`,
      ],
    },
    listSection(
      'Most-traded tickers',
      ['Ticker', 'Trades', 'Buys', 'Sells'],
      r.topTickers.map((t) => [t.ticker, String(t.trades), String(t.buys), String(t.sells)]),
      (row) => `${row[0]}: ${row[1]} trades, ${row[2]} buys, ${row[3]} sells`,
      'No trades with a ticker.',
      [1, 2, 3],
    ),
    listSection(
      'Largest trades',
      ['Member', 'Trade', 'Asset', 'Amount', 'Traded'],
      r.largestTrades.map((t) => [
        `${clean(t.member)}${t.party ? ` (${t.party})` : ''}`,
        tradeLabel(t.transactionType),
        t.ticker ? clean(t.ticker) : truncate(clean(t.assetName), 40),
        formatAmountBracket(t.amountMin, t.amountMax),
        formatIsoDate(t.transactionDate) ?? '',
      ]),
      (row) => `${row[0]}: ${row[1]} ${row[2]}, ${row[3]}, ${row[4]}`,
      'No trades.',
      [3],
    ),
    listSection(
      `Late filings (over 45 days from trade to filing): ${r.lateFilings.count}`,
      ['Member', 'Filing', 'Filed', 'Days after trade'],
      r.lateFilings.filings.map((f) => [
        `${clean(f.member)} (${chamberLabel(f.chamber)})`,
        clean(f.sourceId),
        formatIsoDate(f.filedDate) ?? '',
        String(f.daysAfterTrade),
      ]),
      (row) => `${row[0]}, filing ${row[1]} filed ${row[2]}: ${row[3]} days after the trade`,
      'None.',
      [3],
    ),
    listSection(
      'Most active members',
      ['Member', 'Chamber', 'Filings', 'Trades'],
      r.activeMembers.map((m) => [
        `${clean(m.member)}${m.party ? ` (${m.party})` : ''}`,
        chamberLabel(m.chamber),
        String(m.filings),
        String(m.trades),
      ]),
      (row) => `${row[0]}, ${row[1]}: ${row[2]} filings, ${row[3]} trades`,
      'No filings.',
      [2, 3],
    ),
  ];
  if (r.biggestMovers?.length) {
    sections.push(
      listSection(
        'Biggest movers among traded stocks',
        ['Ticker', 'Change', 'From', 'To'],
        r.biggestMovers.map((m) => [
          clean(m.ticker),
          `${m.changePct >= 0 ? '+' : ''}${m.changePct.toFixed(1)} %`,
          `$${m.startClose.toFixed(2)}`,
          `$${m.endClose.toFixed(2)}`,
        ]),
        (row) => `${row[0]}: ${row[1]} (${row[2]} → ${row[3]})`,
        'None.',
        [1, 2, 3],
      ),
    );
  }
  sections.push(
    {
      title: 'Paper filings awaiting reading',
      lines: [
        r.paperAwaiting.count === 0
          ? 'None.'
          : `${r.paperAwaiting.count}, the oldest filed ${formatIsoDate(r.paperAwaiting.oldestFiled) ?? 'on an unknown date'}`,
      ],
    },
    {
      title: 'Alerts',
      lines: [
        `Sent: ${r.alerts.sent} to ${n(r.alerts.usersAlerted, 'user')}; failed: ${r.alerts.failed}; suppressed: ${r.alerts.suppressed}`,
      ],
    },
    {
      title: 'Users',
      lines: [`New: ${r.users.new}; removed: ${r.users.removed}; active now: ${r.users.active}`],
    },
    incidentSection('Upstream incidents', r.incidents.upstream),
    incidentSection(`Health incidents (${n(r.incidents.runs, 'stored check run')})`, r.incidents.health),
  );
  return sections;
}

function incidentSection(title: string, incidents: HealthIncident[]): Section {
  return listSection(
    title,
    ['Check', 'Critical', 'Warning', 'Last said'],
    incidents.map((i) => [
      clean(i.check),
      String(i.critical),
      String(i.warning),
      truncate(clean(i.lastDetail ?? ''), 80),
    ]),
    (row) => `${row[0]}: ${row[1]} critical, ${row[2]} warning; last: ${row[3]}`,
    'None.',
    [1, 2],
  );
}

function listSection(
  title: string,
  header: string[],
  rows: string[][],
  line: (row: string[]) => string,
  empty: string,
  figures: number[] = [],
): Section {
  return rows.length === 0
    ? { title, lines: [empty] }
    : { title, lines: rows.map(line), table: [header, ...rows], figures };
}

function sectionHtml(s: Section): string {
  const h2 = `<h2 style="font-size:16px;margin:20px 0 6px;border-bottom:1px solid #eee;padding-bottom:4px">${escapeHtml(s.title)}</h2>`;
  if (!s.table) {
    return `${h2}\n${s.lines.map((l) => `<p style="margin:4px 0;font-size:14px">${escapeHtml(l)}</p>`).join('\n')}`;
  }
  const [header, ...rows] = s.table;
  const cell = (tag: 'th' | 'td', v: string, i: number) =>
    `<${tag} style="padding:4px 8px;text-align:${s.figures?.includes(i) ? 'right' : 'left'};${tag === 'th' ? 'background:#fafafa;' : ''}border-bottom:1px solid #eee">${escapeHtml(v)}</${tag}>`;
  return `${h2}
<table style="border-collapse:collapse;width:100%;font-size:13px">
<tr>${header!.map((v, i) => cell('th', v, i)).join('')}</tr>
${rows.map((r) => `<tr>${r.map((v, i) => cell('td', v, i)).join('')}</tr>`).join('\n')}
</table>`;
}

function split(c: CountBy): string {
  const parties = (['D', 'R', 'I', 'unknown'] as const)
    .filter((p) => c.byParty[p] > 0)
    .map((p) => `${p === 'unknown' ? 'party unknown' : p} ${c.byParty[p]}`);
  return [`House ${c.byChamber.house}`, `Senate ${c.byChamber.senate}`, ...parties].join(', ');
}

function clean(s: string): string {
  return oneLine(s);
}

function n(count: number, one: string): string {
  return `${count} ${count === 1 ? one : `${one}s`}`;
}
