import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPostgres, type LocalPostgres } from '../../devstack/postgres';
import { cleanUser } from '../../domain/users';
import { freePort } from '../../ops/listen';
import { createDb, type Db } from '../../store/db';
import { migrate } from '../../store/migrate';
import { upsertUsers } from '../../store/users';
import { seedFiling } from './seed';
import { SENATE_ROW, trade } from './trades';

/**
 * A PostgreSQL server of a fault test's own (the run's shared one must not go down under other
 * files), on a fixed port and data folder, so it can be stopped and started again like a real restart.
 */
export class RestartablePostgres {
  private server: LocalPostgres | null = null;
  private constructor(
    private readonly dir: string,
    private readonly port: number,
  ) {}

  static async start(): Promise<RestartablePostgres & { url: string }> {
    const pg = new RestartablePostgres(
      await mkdtemp(join(tmpdir(), 'capitolscope-fault-pg-')),
      await freePort(),
    );
    await pg.up();
    return pg as RestartablePostgres & { url: string };
  }

  url = '';

  /** (Re)start the server on its data folder: what it stored is still there. */
  async up(): Promise<void> {
    this.server = await startLocalPostgres({
      dataDir: join(this.dir, 'postgres'),
      port: this.port,
      database: 'capitolscope',
    });
    this.url = this.server.url;
  }

  /** A new, migrated database on this server, with `users` users following NVDA and a new NVDA trade. */
  async database(name: string, users: number): Promise<{ url: string; db: Db }> {
    const admin = createDb(this.url, 1);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(this.url);
    u.pathname = `/${name}`;
    return { url: u.toString(), db: await alertEveryone(u.toString(), users) };
  }

  /** Stop the server (a clean shutdown: every connection is ended). */
  async down(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }

  async destroy(): Promise<void> {
    await this.down().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A migrated database with `users` users following NVDA, and a new Senate filing with one NVDA trade. */
export async function alertEveryone(url: string, users: number): Promise<Db> {
  const db = createDb(url, 4);
  await migrate(db);
  await upsertUsers(
    db,
    Array.from({ length: users }, (_, i) =>
      cleanUser({ email: `fault.user${i}@example.com`, rules: [{ ticker: 'NVDA' }] }),
    ),
  );
  await seedFiling(db, {
    chamber: 'senate',
    filerName: 'Jacklyn S Rosen',
    stateDistrict: null,
    transactions: [trade({ ...SENATE_ROW, assetType: 'Stock' })],
  });
  return db;
}

/** Messages per recipient and per Message-ID, as the SMTP server received them. */
export function tallyMail(messages: readonly { to: string[]; messageId: string | null }[]) {
  const byRecipient = new Map<string, Set<string>>();
  const ids = new Set<string>();
  for (const m of messages) {
    const to = m.to[0]!;
    byRecipient.set(to, (byRecipient.get(to) ?? new Set()).add(m.messageId ?? ''));
    ids.add(m.messageId ?? '');
  }
  return {
    messages: messages.length,
    recipients: byRecipient.size,
    messageIds: ids.size,
    /** Copies beyond the first of a message (same Message-ID). */
    duplicates: messages.length - ids.size,
    /** Recipients who got two different emails: never allowed. */
    recipientsWithTwoEmails: [...byRecipient.values()].filter((s) => s.size > 1).length,
  };
}
