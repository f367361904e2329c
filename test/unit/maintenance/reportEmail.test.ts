import { describe, expect, it } from 'vitest';
import type { AnalyticsReport } from '../../../domain/report';
import { tickerChartPng } from '../../../mail/reportChart';
import { REPORT_CHART_CID, renderReportEmail, reportMessageId } from '../../../mail/renderReport';

function report(overrides: Partial<AnalyticsReport> = {}): AnalyticsReport {
  const zero = { total: 0, byChamber: { house: 0, senate: 0 }, byParty: { D: 0, R: 0, I: 0, unknown: 0 } };
  return {
    window: { period: 'day', from: '2025-03-04', to: '2025-03-04', timezone: 'America/New_York' },
    generatedAt: '2025-03-05T09:00:00.000Z',
    filings: { ...zero, paper: 0, amendments: 0 },
    transactions: { ...zero, buys: 0, sells: 0, exchanges: 0 },
    topTickers: [],
    largestTrades: [],
    lateFilings: { count: 0, filings: [] },
    activeMembers: [],
    paperAwaiting: { count: 0, oldestFiled: null },
    alerts: { sent: 0, failed: 0, suppressed: 0, usersAlerted: 0 },
    users: { new: 0, removed: 0, active: 0 },
    incidents: { upstream: [], health: [], runs: 0 },
    ...overrides,
  };
}

describe('report email', () => {
  it('shows the chart by its Content-ID and says the same in the text part', () => {
    const r = report({
      topTickers: [{ ticker: 'NVDA', trades: 3, buys: 2, sells: 1 }],
      alerts: { sent: 4, failed: 1, suppressed: 2, usersAlerted: 3 },
    });
    const email = renderReportEmail(r);
    expect(email.subject).toBe('CapitolScope daily report: 0 filings, 0 trades, 4 alerts sent');
    expect(email.html).toContain(`src="cid:${REPORT_CHART_CID}"`);
    expect(email.text).toContain('NVDA: 3 trades, 2 buys, 1 sells');
    expect(email.text).toContain('Sent: 4 to 3 users; failed: 1; suppressed: 2');
    expect(email.text).toContain('Mar 4, 2025 (America/New_York)');
  });

  it('escapes filing text in HTML and keeps it to one line in text', () => {
    const email = renderReportEmail(
      report({
        activeMembers: [
          { member: 'Evil <script>x</script>\nName', chamber: 'house', party: null, filings: 1, trades: 2 },
        ],
      }),
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Evil &lt;script&gt;x&lt;/script&gt; Name');
    expect(email.text).toContain('Evil <script>x</script> Name, House: 1 filings, 2 trades');
  });

  it('adds the biggest movers only when the report has them', () => {
    expect(renderReportEmail(report()).text).not.toContain('Biggest movers');
    const withMovers = renderReportEmail(
      report({
        biggestMovers: [
          {
            ticker: 'NVDA',
            trades: 3,
            startDay: '2025-03-03',
            startClose: 100,
            endDay: '2025-03-04',
            endClose: 112.35,
            changePct: 12.345,
          },
        ],
      }),
    );
    expect(withMovers.text).toContain('NVDA: +12.3 % ($100.00 → $112.35)');
  });

  it('gives each administrator one Message-ID for every retry of one report', () => {
    const a = reportMessageId(7, 'Ops@Example.org', 'CapitolScope <alerts@capitolscope.org>');
    expect(a).toBe(reportMessageId(7, 'ops@example.org', 'alerts@capitolscope.org'));
    expect(a).toMatch(/^<report\.7\.[0-9a-f]{32}@capitolscope\.org>$/);
    expect(reportMessageId(8, 'ops@example.org', 'alerts@capitolscope.org')).not.toBe(a);
  });
});

describe('report chart', () => {
  it('is a PNG drawn on the server, taller with more tickers', async () => {
    const few = await tickerChartPng([{ ticker: 'NVDA', trades: 3, buys: 2, sells: 1 }], 'Top tickers');
    const many = await tickerChartPng(
      Array.from({ length: 10 }, (_, i) => ({ ticker: `T${i}`, trades: 10 - i, buys: 5, sells: 10 - i - 5 })),
      'Top tickers',
    );
    const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const png of [few, many]) expect(png.subarray(0, 8)).toEqual(PNG);
    // IHDR: width and height, big-endian, at bytes 16..24.
    expect(few.readUInt32BE(16)).toBe(640);
    expect(many.readUInt32BE(20)).toBeGreaterThan(few.readUInt32BE(20));
  });

  it('draws an empty period too', async () => {
    const png = await tickerChartPng([], 'Top tickers');
    expect(png.readUInt32BE(16)).toBe(640);
  });
});
