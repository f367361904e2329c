import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRule, upsertUsers } from '../../store/users';
import { cleanUser } from '../../domain/users';
import { runCli } from '../support/cli';
import {
  houseIndexXml,
  senateListing,
  serveHouseIndex,
  startTestSystem,
  usDate,
  FIXTURE_FILINGS,
  type TestSystem,
} from '../support/system';
import { anyWorkflowListed, waitFor } from '../support/wait';

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => sys?.stop());

async function addUser(
  email: string,
  rules: Parameters<typeof addRule>[2][],
  extra: { digest?: string; timezone?: string } = {},
) {
  await upsertUsers(sys.db, [cleanUser({ email, ...extra })]);
  for (const r of rules) await addRule(sys.db, email, r);
}

describe('trade sync end to end', () => {
  it('the first sync of each source is a baseline that alerts nobody', async () => {
    // A user who already follows Pelosi must not be flooded with her whole history.
    await addUser('early@example.com', [{ member: 'Pelosi' }]);
    serveHouseIndex(sys.sites, houseIndexXml({ without: [FIXTURE_FILINGS.pelosi, FIXTURE_FILINGS.cohen] }));
    sys.senate.setRows([senateListing(FIXTURE_FILINGS.whitehouse, 'Sheldon', 'Whitehouse', usDate(2))]);
    const summary = await sys.sync();
    expect(summary.sources.house).toMatchObject({ baseline: true, newFilings: 54 });
    expect(summary.sources.senate).toMatchObject({ baseline: true, newFilings: 1 });
    expect(summary.notifications).toBe(0);
    expect(summary.emailsSent).toBe(0);
    expect(await sys.smtp.messages()).toHaveLength(0);
    const { rows } = await sys.db.query(`SELECT count(*)::int AS n FROM notifications`);
    expect(rows[0].n).toBe(0);
  });

  it('new filings alert exactly the users whose rules match, one email each', async () => {
    await addUser('alice@example.com', [{ member: 'Pelosi' }, { ticker: 'NVDA' }]);
    await addUser('bob@example.com', [{ ticker: 'HST', type: 'sale' }]);
    await addUser('carol@example.com', [{ member: 'Nancy Pelosi', type: 'purchase', minAmount: 1_000_000 }]);
    await addUser('dan@example.com', [{ chamber: 'senate', member: 'Rosen' }]);
    await addUser('erin@example.com', [{ ticker: 'TSLA' }]);

    serveHouseIndex(sys.sites, houseIndexXml());
    sys.senate.addRow(senateListing(FIXTURE_FILINGS.rosenExchange, 'Jacklyn S', 'Rosen', usDate(0)));
    const summary = await sys.sync();

    expect(summary.sources.house).toMatchObject({ baseline: false, newFilings: 2 });
    expect(summary.sources.senate).toMatchObject({ baseline: false, newFilings: 1 });
    const to = (await sys.smtp.messages()).map((m) => m.to.join(',')).sort();
    expect(to).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
      'dan@example.com',
      'early@example.com',
    ]);
    expect(summary.usersNotified).toBe(5);
    expect(summary.emailsSent).toBe(5);

    // Alice: both her rules hit Pelosi's three NVDA trades; she gets one email listing each of the 9 trades once.
    const alice = (await sys.smtp.messages()).find((m) => m.to.includes('alice@example.com'))!;
    if (process.env.SHOW_MAIL) console.log(alice.text);
    expect(alice.subject).toBe('9 new congressional trades match your alerts');
    expect(alice.text!.match(/: NVDA \(NVIDIA/g)?.length).toBe(3);
    expect(
      alice.text!.match(/Why you got this: Matches your rule: member Pelosi; Matches your rule: ticker NVDA/g)
        ?.length,
    ).toBe(3);
    expect(alice.text).toContain('GOOGL');
    expect(alice.text).toContain(
      'Details: Purchased 50 call options with a strike price of $150 and an expiration date of 1/16/26.',
    );
    expect(alice.listUnsubscribePost).toBe('List-Unsubscribe=One-Click');
    expect(alice.listUnsubscribe).toMatch(
      /^<https:\/\/alerts\.capitolscope\.test\/app\/unsubscribe\?token=[\w-]{8}\.[\w-]+\.[\w-]+>$/,
    );
    expect(alice.messageId).toMatch(/^<alert\.[0-9a-f]{40}@capitolscope\.test>$/);
    expect(alice.html).toContain('/public_disc/ptr-pdfs/2025/20026590.pdf');

    const bob = (await sys.smtp.messages()).find((m) => m.to.includes('bob@example.com'))!;
    expect(bob.subject).toBe('Steve Cohen sold HST');
    // Carol's rule (Pelosi purchases whose bracket can reach $1M) holds for PANW ($1,000,001 – $5,000,000)
    // and for NVDA and VST ($500,001 – $1,000,000), not for the smaller purchases or the sales.
    const carol = (await sys.smtp.messages()).find((m) => m.to.includes('carol@example.com'))!;
    expect(carol.subject).toBe('3 new congressional trades match your alerts');
    expect([...carol.text!.matchAll(/^\d+\. Nancy Pelosi bought (\w+)$/gm)].map((m) => m[1])).toEqual([
      'NVDA',
      'PANW',
      'VST',
    ]);
    const dan = (await sys.smtp.messages()).find((m) => m.to.includes('dan@example.com'))!;
    expect(dan.text).toContain('VFC');

    const { rows } = await sys.db.query(
      `SELECT u.email, count(*)::int AS n, bool_and(n.status = 'sent') AS sent
         FROM notifications n JOIN users u ON u.id = n.user_id GROUP BY u.email ORDER BY u.email`,
    );
    expect(rows).toEqual([
      { email: 'alice@example.com', n: 9, sent: true },
      { email: 'bob@example.com', n: 1, sent: true },
      { email: 'carol@example.com', n: 3, sent: true },
      { email: 'dan@example.com', n: 1, sent: true },
      { email: 'early@example.com', n: 9, sent: true },
    ]);
  });

  it('`capitolscope sync --wait` with nothing new sends nothing, re-reads no index and prints the summary', async () => {
    await sys.smtp.clear();
    const before = sys.sites.requests.length;
    const r = await runCli(['sync', '--wait', '-o', 'json'], {
      DATABASE_URL: sys.config.databaseUrl!,
      TEMPORAL_NAMESPACE: sys.config.temporal.namespace,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.syncId).toMatch(/^trade-sync-manual-/);
    expect(summary).toMatchObject({
      sources: { house: { baseline: false, unchanged: true, newFilings: 0 }, senate: { newFilings: 0 } },
      filings: { new: 0 },
      notifications: 0,
      emailsSent: 0,
    });
    expect(await sys.smtp.messages()).toHaveLength(0);
    const indexRequests = sys.sites.requests.slice(before).filter((q) => q.path.endsWith('2025FD.zip'));
    expect(indexRequests.map((q) => q.status)).toEqual([304]);
  });

  it('`capitolscope sync` refuses to start while another trade sync runs, unless --force', async () => {
    const env = { DATABASE_URL: sys.config.databaseUrl!, TEMPORAL_NAMESPACE: sys.config.temporal.namespace };
    // A sync on a queue no worker polls stays running for as long as the test needs.
    const stuck = await sys.client.workflow.start('TradeSyncWorkflow', {
      taskQueue: 'no-worker-polls-this',
      workflowId: 'trade-sync-still-running',
      args: [{ sources: ['house'] }],
    });
    try {
      const query = `WorkflowId = '${stuck.workflowId}' AND ExecutionStatus = 'Running'`;
      await waitFor(() => anyWorkflowListed(sys.client, query), { intervalMs: 100 });
      const refused = await runCli(['sync'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'a trade sync is already running (trade-sync-still-running); wait for it, or pass --force',
      );
      const forced = await runCli(['sync', '--force', '--wait', '-o', 'json'], env);
      expect(forced.code).toBe(0);
      expect(JSON.parse(forced.stdout).filings).toMatchObject({ new: 0 });
    } finally {
      await stuck.terminate('test done');
    }
  });
});
