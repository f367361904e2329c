import { readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsReport, AnalyticsReportResult } from '../../domain/report';
import { scheduleTable } from '../../domain/schedules';
import { applySchedules } from '../../schedules/apply';
import { IMPLEMENTED_WORKFLOWS } from '../../workers/registeredWorkflows';
import { TASK_QUEUES } from '../../domain/taskQueues';
import { REPORT_CHART_CID } from '../../mail/renderReport';
import { recordHealthCheck } from '../../store/healthChecks';
import { upsertMembers } from '../../store/members';
import { removeUser } from '../../store/users';
import { runCli } from '../support/cli';
import { seedUser } from '../support/seed';
import {
  FIXTURE_FILINGS,
  houseIndexXml,
  senateListing,
  serveHouseIndex,
  startTestSystem,
  usDate,
  type TestSystem,
} from '../support/system';

/**
 * The analytics report over the shared fixture filings, ingested through the real sync: eight
 * e-filed House PTRs and a paper one from the February index, and three Senate PTRs (Peters, Rosen's
 * exchange, Toomey's late amendment). Every figure below was worked out by hand from those filings
 * (`capitolscope parse` shows their rows).
 */
const DAY = '2025-03-04'; // a Tuesday; New York is UTC-5 that day
const TOOMEY = '1179b764-b4af-4732-9948-81a32fbf2a54';
const PETERS = '1b7e3f54-6b1e-45f5-a7b4-a05d6fbe62d6';
const ADMINS = ['ops@capitolscope.test', 'lead@capitolscope.test'];
let sys: TestSystem;

const member = (
  bioguideId: string,
  fullName: string,
  lastName: string,
  party: 'D' | 'R',
  state: string,
  chamber: 'house' | 'senate',
) => ({ bioguideId, fullName, lastName, party, state, district: null, chamber });

beforeAll(async () => {
  sys = await startTestSystem({ ADMIN_EMAILS: ADMINS.join(', ') });
  // Members as member-sync would have stored them; Michael Collins (GA10) is left out, so his
  // filing counts under "party unknown", as does the paper filing (never linked: nothing to match).
  await upsertMembers(sys.db, [
    member('A000372', 'Rick W. Allen', 'Allen', 'R', 'GA', 'house'),
    member('B001292', 'Donald S. Beyer Jr.', 'Beyer', 'D', 'VA', 'house'),
    member('L000597', 'Laurel M. Lee', 'Lee', 'R', 'FL', 'house'),
    member('L000566', 'Robert E. Latta', 'Latta', 'R', 'OH', 'house'),
    member('J000295', 'David P. Joyce', 'Joyce', 'R', 'OH', 'house'),
    member('P000197', 'Nancy Pelosi', 'Pelosi', 'D', 'CA', 'house'),
    member('C001068', 'Steve Cohen', 'Cohen', 'D', 'TN', 'house'),
    member('B001257', 'Gus M. Bilirakis', 'Bilirakis', 'R', 'FL', 'house'),
    member('T000461', 'Pat Toomey', 'Toomey', 'R', 'PA', 'senate'),
    member('P000595', 'Gary C. Peters', 'Peters', 'D', 'MI', 'senate'),
    member('R000608', 'Jacky Rosen', 'Rosen', 'D', 'NV', 'senate'),
  ]);

  // Baseline, then the users, then the filings that alert them.
  serveHouseIndex(sys.sites, houseIndexXml({ without: [FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen] }));
  sys.senate.setRows([senateListing(PETERS, 'Gary C', 'Peters', usDate(3))]);
  await sys.sync();
  await seedUser(sys.db, 'nvda@example.com', [{ ticker: 'NVDA' }]);
  await seedUser(sys.db, 'bounced@example.com', [{ member: 'Cohen' }]);
  await seedUser(sys.db, 'digest@example.com', [{ ticker: 'VFC' }], { digest: 'daily' });
  await seedUser(sys.db, 'removed@example.com', []);
  await seedUser(sys.db, 'later@example.com', []);
  await sys.smtp.rejectRecipient('bounced@example.com', 550, '5.1.1 no such user');
  serveHouseIndex(sys.sites, houseIndexXml());
  sys.senate.addRow(senateListing(FIXTURE_FILINGS.rosenExchange, 'Jacklyn S', 'Rosen', usDate(1)));
  sys.senate.addRow(senateListing(TOOMEY, 'Patrick J', 'Toomey', usDate(0)));
  const second = await sys.sync();
  expect(second.emailsSent).toBe(1);
  await removeUser(sys.db, 'removed@example.com');
  // The digest user's alert was never delivered; the relay gave up on it.
  await sys.db.query(
    `UPDATE notifications SET status = 'failed', last_error = '451 try again later'
      WHERE user_id = (SELECT id FROM users WHERE email = 'digest@example.com')`,
  );

  // Everything above happened on the report's day (New York time). Latta's filing was stored at
  // 23:30 that evening (04:30 UTC the next day); the last user signed up after midnight.
  await sys.db.query(`UPDATE filings SET parsed_at = '${DAY}T15:00:00Z' WHERE parsed_at IS NOT NULL`);
  await sys.db.query(`UPDATE transactions SET created_at = '${DAY}T15:00:00Z'`);
  await sys.db.query(
    `UPDATE filings SET parsed_at = '2025-03-05T04:30:00Z' WHERE source_id = '20026650';
     UPDATE transactions SET created_at = '2025-03-05T04:30:00Z'
      WHERE filing_id = (SELECT id FROM filings WHERE source_id = '20026650');
     UPDATE notifications SET created_at = '${DAY}T16:00:00Z';
     UPDATE users SET created_at = '${DAY}T10:00:00Z';
     UPDATE users SET created_at = '2025-03-05T06:00:00Z' WHERE email = 'later@example.com';
     UPDATE user_removals SET removed_at = '${DAY}T20:00:00Z';
     UPDATE filings SET first_seen_at = parsed_at WHERE parsed_at IS NOT NULL;`,
  );
  // Closes of two traded stocks around the day: the report's biggest movers.
  await sys.db.query(
    `INSERT INTO price_daily (ticker, day, close, source) VALUES
       ('NVDA', '2025-03-03', 100, 'yahoo'), ('NVDA', '2025-03-04', 112.5, 'yahoo'),
       ('AAPL', '2025-03-03', 200, 'yahoo'), ('AAPL', '2025-03-04', 150, 'yahoo'),
       ('GOOGL', '2025-02-20', 180, 'yahoo'), ('GOOGL', '2025-03-04', 190, 'yahoo')`,
  );
  // Health results of the day, and one from the evening before (23:30 on the 3rd, New York).
  const health = async (
    workflowId: string,
    at: string,
    checks: [string, 'ok' | 'warning' | 'critical', string][],
  ) => {
    const { id } = await recordHealthCheck(sys.db, {
      workflowId,
      runId: at,
      workflowType: null,
      status: 'ok',
      checks: checks.map(([name, status, detail]) => ({ name, status, detail, value: null, unit: '' })),
    });
    await sys.db.query('UPDATE health_checks SET checked_at = $2 WHERE id = $1', [id, at]);
  };
  await health('system-health-1', '2025-03-04T04:30:00Z', [['database', 'critical', 'connection refused']]);
  await health('system-health-2', `${DAY}T12:00:00Z`, [
    ['disk', 'warning', '/: 85% used'],
    ['memory', 'ok', '40% used'],
  ]);
  await health('daily-maintenance-1', `${DAY}T12:30:00Z`, [
    ['backup', 'critical', 'backup failed: disk full'],
  ]);
  await health('congress-api-health-1', `${DAY}T14:00:00Z`, [['house-clerk', 'critical', 'HTTP 503']]);
  await health('system-health-3', `${DAY}T18:00:00Z`, [['disk', 'warning', '/: 86% used']]);
});
afterAll(async () => sys?.stop());

const EXPECTED: Omit<AnalyticsReport, 'generatedAt' | 'window'> = {
  // AAPL fell 25 % and NVDA rose 12.5 % from the close before the day to the day's close; GOOGL has no
  // close in the week before the day to start from, so it is left out rather than guessed.
  biggestMovers: [
    {
      ticker: 'AAPL',
      trades: 1,
      startDay: '2025-03-03',
      startClose: 200,
      endDay: '2025-03-04',
      endClose: 150,
      changePct: -25,
    },
    {
      ticker: 'NVDA',
      trades: 3,
      startDay: '2025-03-03',
      startClose: 100,
      endDay: '2025-03-04',
      endClose: 112.5,
      changePct: 12.5,
    },
  ],
  filings: {
    total: 12,
    byChamber: { house: 9, senate: 3 },
    byParty: { D: 5, R: 5, I: 0, unknown: 2 },
    paper: 1,
    amendments: 1,
  },
  transactions: {
    total: 27,
    byChamber: { house: 24, senate: 3 },
    byParty: { D: 17, R: 9, I: 0, unknown: 1 },
    buys: 18,
    sells: 7,
    exchanges: 2,
  },
  topTickers: [
    { ticker: 'NVDA', trades: 3, buys: 2, sells: 1 },
    { ticker: 'AAPL', trades: 1, buys: 0, sells: 1 },
    { ticker: 'AMZN', trades: 1, buys: 1, sells: 0 },
    { ticker: 'EBS', trades: 1, buys: 0, sells: 1 },
    { ticker: 'FMAO', trades: 1, buys: 1, sells: 0 },
    { ticker: 'GOOGL', trades: 1, buys: 1, sells: 0 },
    { ticker: 'HST', trades: 1, buys: 0, sells: 1 },
    { ticker: 'HURA', trades: 1, buys: 1, sells: 0 },
    { ticker: 'PANW', trades: 1, buys: 1, sells: 0 },
    { ticker: 'ROL', trades: 1, buys: 1, sells: 0 },
  ],
  largestTrades: [
    ['Donald S. Beyer Jr.', 'D', null, 'sale', 5000001, 25000000, '2024-12-23', '2025-01-06'],
    ['Nancy Pelosi', 'D', 'AAPL', 'sale_partial', 5000001, 25000000, '2024-12-31', '2025-01-17'],
    ['Nancy Pelosi', 'D', 'PANW', 'purchase', 1000001, 5000000, '2024-12-20', '2025-01-17'],
    ['Nancy Pelosi', 'D', 'NVDA', 'sale_partial', 1000001, 5000000, '2024-12-31', '2025-01-17'],
    ['Nancy Pelosi', 'D', 'NVDA', 'purchase', 500001, 1000000, '2024-12-20', '2025-01-17'],
    ['Nancy Pelosi', 'D', 'VST', 'purchase', 500001, 1000000, '2025-01-14', '2025-01-17'],
    ['Nancy Pelosi', 'D', 'GOOGL', 'purchase', 250001, 500000, '2025-01-14', '2025-01-17'],
    ['Nancy Pelosi', 'D', 'AMZN', 'purchase', 250001, 500000, '2025-01-14', '2025-01-17'],
    ['Nancy Pelosi', 'D', 'NVDA', 'purchase', 250001, 500000, '2025-01-14', '2025-01-17'],
    ['Rick W. Allen', 'R', null, 'purchase', 100001, 250000, '2024-12-03', '2025-01-16'],
  ].map(([member, party, ticker, transactionType, amountMin, amountMax, transactionDate, filedDate]) => ({
    member,
    chamber: 'house',
    party,
    ticker,
    assetName: expect.any(String),
    transactionType,
    amountMin,
    amountMax,
    transactionDate,
    filedDate,
  })) as AnalyticsReport['largestTrades'],
  // Toomey's amendment: filed 2017-12-19 for a trade of 2016-01-05, 714 days later. Every other
  // filing came within 45 days (Allen's the closest: 44).
  lateFilings: {
    count: 1,
    filings: [
      {
        member: 'Pat Toomey',
        chamber: 'senate',
        sourceId: TOOMEY,
        filedDate: '2017-12-19',
        earliestTrade: '2016-01-05',
        daysAfterTrade: 714,
      },
    ],
  },
  activeMembers: [
    ['Nancy Pelosi', 'house', 'D', 9],
    ['Donald S. Beyer Jr.', 'house', 'D', 4],
    ['Rick W. Allen', 'house', 'R', 4],
    ['Laurel M. Lee', 'house', 'R', 2],
    ['Steve Cohen', 'house', 'D', 2],
    ['David P. Joyce', 'house', 'R', 1],
    ['Gary C. Peters', 'senate', 'D', 1],
    ['Jacky Rosen', 'senate', 'D', 1],
    ['Michael A. Collins', 'house', null, 1],
    ['Pat Toomey', 'senate', 'R', 1],
  ].map(([member, chamber, party, trades]) => ({
    member,
    chamber,
    party,
    filings: 1,
    trades,
  })) as AnalyticsReport['activeMembers'],
  // Bilirakis's scanned PTR (8220747), filed 2025-02-06 by the index.
  paperAwaiting: { count: 1, oldestFiled: '2025-02-06' },
  // NVDA follower: one email for Pelosi's three NVDA trades; Cohen's follower bounced (5.1.1);
  // the VFC digest user's alert failed.
  alerts: { sent: 3, failed: 1, suppressed: 2, usersAlerted: 1 },
  users: { new: 3, removed: 1, active: 3 },
  incidents: {
    upstream: [{ check: 'house-clerk', warning: 0, critical: 1, lastDetail: 'HTTP 503' }],
    health: [
      { check: 'backup', warning: 0, critical: 1, lastDetail: 'backup failed: disk full' },
      { check: 'disk', warning: 2, critical: 0, lastDetail: '/: 86% used' },
    ],
    runs: 4,
  },
};

describe('AnalyticsReportWorkflow', () => {
  it("reports the day's filings, trades, alerts, users and incidents exactly, stores it and emails the admins", async () => {
    const result = (await sys.client.workflow.execute('AnalyticsReportWorkflow', {
      taskQueue: TASK_QUEUES.maintenance,
      workflowId: 'analytics-report-test',
      args: [{ period: 'day', date: DAY }],
    })) as AnalyticsReportResult;
    expect(result).toEqual({
      reportId: expect.any(Number),
      period: 'day',
      from: DAY,
      to: DAY,
      filings: 12,
      transactions: 27,
      alertsSent: 3,
      emailed: { recipients: 2, sent: 2, alreadySent: 0, skipped: null },
    });
    const { rows } = await sys.db.query(
      'SELECT period, period_from, period_to, content FROM reports WHERE id = $1',
      [result.reportId],
    );
    const { window, generatedAt, ...content } = rows[0].content as AnalyticsReport;
    expect(rows[0]).toMatchObject({ period: 'day', period_from: DAY, period_to: DAY });
    expect(window).toEqual({ period: 'day', from: DAY, to: DAY, timezone: 'America/New_York' });
    expect(Date.parse(generatedAt)).not.toBeNaN();
    expect(content).toEqual(EXPECTED);

    // One email per admin: HTML with the chart inline (by Content-ID), and a text part.
    const reports = await waitForReports(2);
    expect(reports.map((m) => m.to.join()).sort()).toEqual([...ADMINS].sort());
    for (const wire of reports) {
      const mail = await simpleParser(await readFile(wire.file!), { keepCidLinks: true });
      expect(mail.subject).toBe('CapitolScope daily report: 12 filings, 27 trades, 3 alerts sent');
      expect(mail.html).toContain(`<img src="cid:${REPORT_CHART_CID}"`);
      expect(mail.text).toContain(
        'New trades: 27 (House 24, Senate 3, D 17, R 9, party unknown 1); 18 buys, 7 sells, 2 exchanges',
      );
      expect(mail.text).toContain('NVDA: 3 trades, 2 buys, 1 sells');
      expect(mail.text).toContain(
        'Pat Toomey (Senate), filing 1179b764-b4af-4732-9948-81a32fbf2a54 filed Dec 19, 2017: 714 days after the trade',
      );
      expect(mail.attachments).toHaveLength(1);
      const chart = mail.attachments[0]!;
      expect(chart.contentType).toBe('image/png');
      expect(chart.cid).toBe(REPORT_CHART_CID);
      expect(chart.contentDisposition).toBe('inline');
      expect(chart.content.subarray(1, 4).toString()).toBe('PNG');
      expect(chart.content.readUInt32BE(16)).toBe(640);
    }
  });

  it('a re-run of the same period replaces the stored report and emails nobody twice', async () => {
    const result = (await sys.client.workflow.execute('AnalyticsReportWorkflow', {
      taskQueue: TASK_QUEUES.maintenance,
      workflowId: 'analytics-report-test-again',
      args: [{ period: 'day', date: DAY }],
    })) as AnalyticsReportResult;
    expect(result.emailed).toEqual({ recipients: 2, sent: 0, alreadySent: 2, skipped: null });
    const { rows } = await sys.db.query(`SELECT count(*)::int AS n FROM reports WHERE period = 'day'`);
    expect(rows[0].n).toBe(1);
    expect(await reportMessages()).toHaveLength(2);
  });

  it('the weekly report covers Monday to Sunday and counts the same week', async () => {
    const result = (await sys.client.workflow.execute('AnalyticsReportWorkflow', {
      taskQueue: TASK_QUEUES.maintenance,
      workflowId: 'analytics-report-test-week',
      args: [{ period: 'week', date: DAY }],
    })) as AnalyticsReportResult;
    // Latta's late-evening filing and the user who signed up after midnight are in the week too.
    expect(result).toMatchObject({
      period: 'week',
      from: '2025-03-03',
      to: '2025-03-09',
      filings: 12,
      transactions: 27,
    });
    const { rows } = await sys.db.query('SELECT content FROM reports WHERE id = $1', [result.reportId]);
    expect((rows[0].content as AnalyticsReport).users).toEqual({ new: 4, removed: 1, active: 3 });
    // The critical database check of the evening of the 3rd is in this week.
    expect((rows[0].content as AnalyticsReport).incidents.health.map((i) => i.check)).toEqual([
      'backup',
      'database',
      'disk',
    ]);
  });

  it('capitolscope report prints the same figures for people and for scripts', async () => {
    const envFor = { DATABASE_URL: sys.config.databaseUrl! };
    const json = await runCli(['report', '--date', DAY, '-o', 'json'], envFor);
    expect(json.stderr).toBe('');
    const { reportId: _id, window: _w, generatedAt: _g, ...printed } = JSON.parse(json.stdout);
    expect(printed).toEqual(EXPECTED);
    const text = await runCli(['report', '--period', 'day', '--date', DAY], envFor);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('CapitolScope daily report, Mar 4, 2025 (America/New_York)');
    expect(text.stdout).toContain('  Sent: 3 to 1 user; failed: 1; suppressed: 2');
    expect(text.stdout).toContain('  house-clerk: 1 critical, 0 warning; last: HTTP 503');
    const unsent = await runCli(['report', '--date', DAY, '--send'], envFor);
    expect(unsent.stdout).toMatch(/^Report \d+ stored, not sent: ADMIN_EMAILS is not set\.$/m);
    const bad = await runCli(['report', '--period', 'month'], envFor);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: --period must be day or week, not "month"\n');
  });
});

describe('analytics-report-weekly schedule', () => {
  it('runs the report for the week on Mondays at 05:00, and the daily one at 04:00', async () => {
    const defs = scheduleTable(sys.config.schedules);
    const results = await applySchedules(sys.client, defs, {
      timezone: sys.config.schedules.timezone,
      implementedWorkflows: IMPLEMENTED_WORKFLOWS,
    });
    for (const id of ['daily-maintenance', 'weekly-cleanup', 'analytics-report', 'analytics-report-weekly']) {
      expect(results.find((r) => r.id === id)?.outcome).toBe('created');
    }
    const weekly = await sys.client.schedule.getHandle('analytics-report-weekly').describe();
    expect(weekly.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'AnalyticsReportWorkflow',
      taskQueue: 'maintenance',
      args: [{ period: 'week' }],
    });
    expect(weekly.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 5, end: 5, step: 1 }],
      dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
    });
    const daily = await sys.client.schedule.getHandle('analytics-report').describe();
    expect(daily.action).toMatchObject({ workflowType: 'AnalyticsReportWorkflow', args: [] });
    expect(daily.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 4, end: 4, step: 1 }] });
    // No scheduled run may start in this test's namespace (a backup at 02:00 would write to .data).
    for (const r of results.filter((x) => x.outcome === 'created'))
      await sys.client.schedule.getHandle(r.id).delete();
  });
});

async function reportMessages() {
  return (await sys.smtp.messages()).filter((m) => m.subject.startsWith('CapitolScope daily report'));
}

async function waitForReports(n: number) {
  // The mailbox also holds the NVDA alert sent during setup.
  await sys.smtp.waitFor(n + 1);
  return reportMessages();
}
