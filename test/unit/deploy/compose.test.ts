import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * docker-compose.yml is a production file: a secret or an address it cannot know must be set in
 * `.env`, or `docker compose` refuses to start (`${NAME:?message}`), rather than run on a default
 * password, deliver every alert to Mailpit, or send links to http://localhost.
 */
const compose = readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8');
const example = readFileSync(new URL('../../../deploy/docker/compose.env.example', import.meta.url), 'utf8');
const REQUIRED = [
  'APP_DB_PASSWORD',
  'TEMPORAL_DB_PASSWORD',
  'SMTP_URL',
  'MAIL_FROM',
  'PUBLIC_BASE_URL',
  'UNSUBSCRIBE_SECRET',
];

describe('docker-compose.yml', () => {
  it.each(REQUIRED)('requires %s wherever it is used, with a message saying what to set', (name) => {
    const uses = [...compose.matchAll(new RegExp(`\\$\\{${name}(?=[:}?-])([^}]*)\\}`, 'g'))];
    expect(uses.length).toBeGreaterThan(0);
    for (const [use, rest] of uses) {
      expect(rest, use).toMatch(/^:\?\S.{10,}/);
    }
  });

  it.each(REQUIRED)('the example .env names %s for the operator to fill in', (name) => {
    expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });
});
