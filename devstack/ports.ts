/** The local stack's fixed ports, each overridable (`DEV_POSTGRES_PORT=5434 ...`) when one is taken. */
const PORTS = {
  postgres: { variable: 'DEV_POSTGRES_PORT', fallback: 5433 },
  temporal: { variable: 'DEV_TEMPORAL_PORT', fallback: 7233 },
  temporalUi: { variable: 'DEV_TEMPORAL_UI_PORT', fallback: 8233 },
  smtp: { variable: 'DEV_SMTP_PORT', fallback: 2525 },
  fixtures: { variable: 'DEV_FIXTURES_PORT', fallback: 8787 },
  senate: { variable: 'DEV_SENATE_PORT', fallback: 8788 },
  prices: { variable: 'DEV_PRICES_PORT', fallback: 8789 },
};

export type DevPorts = Record<keyof typeof PORTS, number>;

export function devPorts(env: Record<string, string | undefined> = process.env): DevPorts {
  const entries = Object.entries(PORTS).map(([name, { variable, fallback }]) => {
    const raw = env[variable];
    const port = raw ? Number(raw) : fallback;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`invalid configuration: ${variable} must be a port number (1-65535), got "${raw}"`);
    }
    return [name, port];
  });
  return Object.fromEntries(entries) as DevPorts;
}
