import { describe, expect, it } from 'vitest';
import {
  backupFileName,
  backupsToRemove,
  backupTakenAt,
  maskSecrets,
  type BackupFile,
} from '../../../domain/maintenance';
import { parseTableOfContents } from '../../../ops/backup';
import { parseToolVersion, serverMajor } from '../../../ops/pgTools';

describe('backup file names', () => {
  it('name one file per run by its UTC start, and read the time back', () => {
    const name = backupFileName('2025-01-17T07:00:05.123Z');
    expect(name).toBe('capitolscope-20250117T070005Z.dump');
    expect(backupTakenAt(name)?.toISOString()).toBe('2025-01-17T07:00:05.000Z');
  });

  it('ignore files that are not ours', () => {
    expect(backupTakenAt('capitolscope-20250117T070005Z.dump.partial')).toBeNull();
    expect(backupTakenAt('notes.txt')).toBeNull();
    expect(backupTakenAt('capitolscope-20251399T070005Z.dump')).toBeNull();
  });
});

describe('backup retention', () => {
  const now = new Date('2025-03-01T12:00:00Z');
  const daysAgo = (d: number): BackupFile => {
    const takenAt = new Date(now.getTime() - d * 86_400_000);
    return { name: backupFileName(takenAt.toISOString()), takenAt, bytes: 100 };
  };

  it('removes backups older than the retention', () => {
    const files = [0, 10, 29, 31, 45].map(daysAgo);
    const gone = backupsToRemove(files, now, { retentionDays: 30, minKeep: 2 }).map((f) => f.takenAt);
    expect(gone).toEqual([daysAgo(31).takenAt, daysAgo(45).takenAt]);
  });

  it('always keeps the newest N, however old', () => {
    // A server that stopped backing up two months ago still has its last three.
    const files = [60, 61, 62, 63, 64].map(daysAgo);
    const gone = backupsToRemove(files, now, { retentionDays: 30, minKeep: 3 });
    expect(gone.map((f) => f.name).sort()).toEqual([daysAgo(63).name, daysAgo(64).name].sort());
  });

  it('keeps everything while there are fewer than N', () => {
    expect(backupsToRemove([90, 100].map(daysAgo), now, { retentionDays: 30, minKeep: 7 })).toEqual([]);
  });
});

describe('masking secrets in copied configuration', () => {
  it('masks secret values of env files and the password of any URL, and says how many', () => {
    const env = [
      'DATABASE_URL=postgres://capitolscope:s3cr3t-pw@db.internal:5432/capitolscope',
      'SMTP_URL="smtps://mailer:hunter2@smtp.example.org:465"',
      'UNSUBSCRIBE_SECRET=0123456789abcdef0123',
      'export CONGRESS_API_KEY=abcdEFGH1234',
      'TEMPORAL_API_KEY=',
      'ADMIN_EMAILS=ops@example.org',
      'TRADE_SYNC_INTERVAL=2h',
    ].join('\n');
    const { text, masked } = maskSecrets(env);
    for (const secret of ['s3cr3t-pw', 'hunter2', '0123456789abcdef0123', 'abcdEFGH1234']) {
      expect(text).not.toContain(secret);
    }
    expect(masked).toBe(4);
    expect(text).toContain('DATABASE_URL=postgres://capitolscope:********@db.internal:5432/capitolscope');
    expect(text).toContain('SMTP_URL="smtps://mailer:********@smtp.example.org:465"');
    expect(text).toContain('export CONGRESS_API_KEY=********');
    // Empty and harmless values stay as they are, so the copy still documents the setup.
    expect(text).toContain('TEMPORAL_API_KEY=\n');
    expect(text).toContain('ADMIN_EMAILS=ops@example.org');
    expect(text).toContain('TRADE_SYNC_INTERVAL=2h');
  });

  it('masks YAML, JSON and PEM private keys', () => {
    const yaml = 'db:\n  password: "pa55"\n  user: app\n';
    expect(maskSecrets(yaml).text).toBe('db:\n  password: "********"\n  user: app\n');
    const json = '{"apiKey": "k-123", "name": "x", "nested": {"client_secret": "zzz"}}';
    const m = maskSecrets(json);
    expect(m.text).toBe('{"apiKey": "********", "name": "x", "nested": {"client_secret": "********"}}');
    const pem =
      'key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
    const p = maskSecrets(pem);
    expect(p.text).not.toContain('MIIEvQIBADANBg');
    expect(p.text).toContain('-----BEGIN PRIVATE KEY-----\n********\n-----END PRIVATE KEY-----');
  });

  it('masking twice changes nothing more', () => {
    const once = maskSecrets('UNSUBSCRIBE_SECRET=abc\nURL=http://u:p@h/').text;
    expect(maskSecrets(once)).toEqual({ text: once, masked: 0 });
  });
});

describe('PostgreSQL tool output', () => {
  it('reads the version of pg_dump and the server major', () => {
    expect(parseToolVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n')).toBe('15.18');
    expect(parseToolVersion('pg_dump (PostgreSQL) 17.2\n')).toBe('17.2');
    expect(parseToolVersion('something else')).toBeNull();
    expect(serverMajor(150018)).toBe(15);
    expect(serverMajor(90624)).toBe(9);
  });

  it('reads tables and table data from a pg_restore --list table of contents', () => {
    const toc = [
      ';',
      '; Archive created at 2025-01-17 07:00:01 UTC',
      '215; 1259 16390 TABLE public filings capitolscope',
      '216; 1259 16389 SEQUENCE public filings_id_seq capitolscope',
      '3380; 0 16390 TABLE DATA public filings capitolscope',
      '3381; 0 0 SEQUENCE SET public filings_id_seq capitolscope',
      '3200; 2606 16401 CONSTRAINT public filings filings_pkey capitolscope',
      '217; 1259 16400 TABLE other notes someone',
    ].join('\n');
    expect(parseTableOfContents(toc)).toEqual([
      { type: 'TABLE', schema: 'public', name: 'filings' },
      { type: 'TABLE DATA', schema: 'public', name: 'filings' },
      { type: 'TABLE', schema: 'other', name: 'notes' },
    ]);
  });
});
