import { statusRank, type HealthCheckResult, type HealthStatus } from './health';

/**
 * When admins are emailed about health checks. Each check name has a state (its status, since when,
 * when it was last announced); a result changes only the states of the checks it contains, so a daily
 * `backup` check is never "recovered" by a 5-minute system-health run that does not include it.
 *
 * - ok → warning → critical, and back, is announced when it happens;
 * - back to ok is announced as a recovery, with how long the problem lasted;
 * - a problem that lasts is announced again at most every `repeatMs`, as "still critical since ...";
 * - a check first seen ok is quiet;
 * - a check that keeps changing (FLAP_CHANGES changes within FLAP_WINDOW_MS, a value hovering at a
 *   limit) is announced once as flapping, then kept quiet until it has held one status for the window.
 */
export const FLAP_WINDOW_MS = 60 * 60_000;
export const FLAP_CHANGES = 4;

export interface CheckState {
  name: string;
  status: HealthStatus;
  /** When the current status began. */
  since: Date;
  /** When the check left ok, for the problem in progress; null while ok. */
  problemSince: Date | null;
  /** When admins were last told about this check; null if never. */
  lastAnnouncedAt: Date | null;
  /** When its status changed within the last FLAP_WINDOW_MS. */
  recentChanges: Date[];
  /** Announced as flapping; quiet about its changes until it settles. */
  flapping: boolean;
}

export type AlertChangeKind = 'new' | 'worse' | 'better' | 'recovered' | 'still' | 'flapping' | 'settled';

export interface AlertChange {
  kind: AlertChangeKind;
  name: string;
  from: HealthStatus | null;
  to: HealthStatus;
  /** The problem's start (for recovered and still), or when this status began (now, for the others). */
  since: Date;
  /** How long the problem has lasted (recovered, still); 0 for a new one. */
  durationMs: number;
  check: HealthCheckResult;
}

export interface AlertEvaluation {
  /** The new state of every check in the result. */
  states: CheckState[];
  /** What to tell admins, worst first; empty when nothing is worth an email. */
  changes: AlertChange[];
}

export function evaluateAlerts(
  previous: ReadonlyMap<string, CheckState>,
  checks: readonly HealthCheckResult[],
  now: Date,
  repeatMs: number,
): AlertEvaluation {
  const states: CheckState[] = [];
  const changes: AlertChange[] = [];
  for (const check of worstPerName(checks)) {
    const prev = previous.get(check.name);
    const to = check.status;
    const announce = (kind: AlertChangeKind, since: Date) =>
      changes.push({
        kind,
        name: check.name,
        from: prev?.status ?? null,
        to,
        since,
        durationMs: now.getTime() - since.getTime(),
        check,
      });

    const recent = (prev?.recentChanges ?? []).filter((t) => now.getTime() - t.getTime() < FLAP_WINDOW_MS);

    if (!prev || prev.status === to) {
      const problemSince = to === 'ok' ? null : (prev?.problemSince ?? now);
      const lastAnnounced = prev?.lastAnnouncedAt ?? null;
      // Flapping ends once the check has held one status for the whole window.
      const settled = prev?.flapping === true && recent.length === 0;
      const due =
        settled ||
        (to !== 'ok' &&
          (!prev || lastAnnounced === null || now.getTime() - lastAnnounced.getTime() >= repeatMs));
      if (due) announce(settled ? 'settled' : prev ? 'still' : 'new', problemSince ?? prev?.since ?? now);
      states.push({
        name: check.name,
        status: to,
        since: prev?.since ?? now,
        problemSince,
        lastAnnouncedAt: due ? now : lastAnnounced,
        recentChanges: recent,
        flapping: (prev?.flapping ?? false) && !settled,
      });
      continue;
    }

    const changedAt = [...recent, now];
    const problemSince = to === 'ok' ? null : prev.status === 'ok' ? now : (prev.problemSince ?? prev.since);
    const base = { name: check.name, status: to, since: now, problemSince, recentChanges: changedAt };
    if (prev.flapping) {
      states.push({ ...base, lastAnnouncedAt: prev.lastAnnouncedAt, flapping: true });
      continue;
    }
    if (changedAt.length >= FLAP_CHANGES) {
      announce('flapping', changedAt[0]!);
      states.push({ ...base, lastAnnouncedAt: now, flapping: true });
      continue;
    }
    if (to === 'ok') announce('recovered', prev.problemSince ?? prev.since);
    else
      announce(
        prev.status === 'ok' ? 'new' : statusRank(to) > statusRank(prev.status) ? 'worse' : 'better',
        prev.status === 'ok' ? now : problemSince!,
      );
    states.push({ ...base, lastAnnouncedAt: now, flapping: false });
  }
  changes.sort((a, b) => statusRank(b.to) - statusRank(a.to) || a.name.localeCompare(b.name));
  return { states, changes };
}

/** A result that names a check twice counts its worst answer. */
function worstPerName(checks: readonly HealthCheckResult[]): HealthCheckResult[] {
  const byName = new Map<string, HealthCheckResult>();
  for (const c of checks) {
    const seen = byName.get(c.name);
    if (!seen || statusRank(c.status) > statusRank(seen.status)) byName.set(c.name, c);
  }
  return [...byName.values()];
}

/** `23 min`, `3 h 10 min`, `2 d 4 h`: how long something lasted, as people say it. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** One line per change, as the email and the logs say it. */
export function describeChange(c: AlertChange): string {
  switch (c.kind) {
    case 'new':
      return `${c.name} is ${c.to}`;
    case 'worse':
      return `${c.name} went from ${c.from} to ${c.to}`;
    case 'better':
      return `${c.name} improved from ${c.from} to ${c.to}`;
    case 'recovered':
      return `${c.name} recovered after ${formatDuration(c.durationMs)}`;
    case 'still':
      return `${c.name} is still ${c.to} since ${utcMinute(c.since)} (${formatDuration(c.durationMs)})`;
    case 'flapping':
      return `${c.name} is flapping (${FLAP_CHANGES} changes in ${formatDuration(c.durationMs)}), now ${c.to}; quiet until it settles`;
    case 'settled':
      return `${c.name} has settled at ${c.to}`;
  }
}

/** `2025-01-17 14:03 UTC`. */
export function utcMinute(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
