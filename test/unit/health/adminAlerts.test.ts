import { describe, expect, it } from 'vitest';
import { evaluateAlerts, formatDuration, type CheckState } from '../../../domain/adminAlerts';
import type { HealthCheckResult, HealthStatus } from '../../../domain/health';

const HOUR = 3_600_000;
const t0 = new Date('2025-01-17T14:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const check = (name: string, status: HealthStatus): HealthCheckResult => ({
  name,
  status,
  value: 1,
  unit: 'percent',
  detail: `${name} is ${status}`,
});

/** Feed results one after another, keeping state as the store would; returns what each run announced. */
function run(steps: [minutes: number, checks: HealthCheckResult[]][], repeatMs = 6 * HOUR) {
  const states = new Map<string, CheckState>();
  return steps.map(([minutes, checks]) => {
    const r = evaluateAlerts(states, checks, at(minutes), repeatMs);
    for (const s of r.states) states.set(s.name, s);
    return r.changes.map((c) => `${c.kind} ${c.name} ${c.from ?? '-'}→${c.to}`);
  });
}

describe('admin alert evaluation', () => {
  it('a check first seen ok is quiet; first seen failing is announced', () => {
    expect(run([[0, [check('disk', 'ok'), check('smtp', 'critical')]]])).toEqual([['new smtp -→critical']]);
  });

  it('ok → warning → critical → ok: each change once, the recovery with how long it lasted', () => {
    const states = new Map<string, CheckState>();
    const seq: [number, HealthStatus][] = [
      [0, 'ok'],
      [5, 'warning'],
      [10, 'warning'],
      [15, 'critical'],
      [20, 'critical'],
      [28, 'ok'],
      [33, 'ok'],
    ];
    const told: string[] = [];
    for (const [m, s] of seq) {
      const r = evaluateAlerts(states, [check('disk', s)], at(m), 6 * HOUR);
      for (const st of r.states) states.set(st.name, st);
      for (const c of r.changes) told.push(`${m}: ${c.kind} ${c.to} ${formatDuration(c.durationMs)}`);
    }
    expect(told).toEqual([
      '5: new warning less than a minute',
      '15: worse critical 10 min',
      '28: recovered ok 23 min',
    ]);
  });

  it('a lasting problem is re-announced every repeat interval, never every run', () => {
    const steps: [number, HealthCheckResult[]][] = [];
    for (let m = 0; m <= 13 * 60; m += 5) steps.push([m, [check('backlog', 'critical')]]);
    const announced = run(steps)
      .map((changes, i) => (changes.length ? `${steps[i]![0] / 60}h ${changes.join()}` : null))
      .filter(Boolean);
    expect(announced).toEqual([
      '0h new backlog -→critical',
      '6h still backlog critical→critical',
      '12h still backlog critical→critical',
    ]);
  });

  it('a result changes only the checks it contains', () => {
    const out = run([
      [0, [check('backup', 'critical')]],
      [5, [check('disk', 'ok')]],
      [10, [check('disk', 'ok')]],
      [60 * 7, [check('disk', 'ok')]],
    ]);
    expect(out).toEqual([['new backup -→critical'], [], [], []]);
  });

  it('one result lists every change, worst first', () => {
    const out = run([
      [0, [check('a', 'critical'), check('b', 'ok'), check('c', 'ok')]],
      [5, [check('a', 'ok'), check('b', 'warning'), check('c', 'critical')]],
    ]);
    expect(out[1]).toEqual(['new c ok→critical', 'new b ok→warning', 'recovered a critical→ok']);
  });

  it('critical → warning is announced as an improvement, and the problem keeps its start', () => {
    const states = new Map<string, CheckState>();
    for (const [m, s] of [
      [0, 'critical'],
      [30, 'warning'],
      [90, 'ok'],
    ] as const) {
      const r = evaluateAlerts(states, [check('x', s)], at(m), 6 * HOUR);
      for (const st of r.states) states.set(st.name, st);
      if (m === 30) expect(r.changes.map((c) => c.kind)).toEqual(['better']);
      if (m === 90) expect(formatDuration(r.changes[0]!.durationMs)).toBe('1 h 30 min');
    }
  });

  it('a check that keeps changing is announced once as flapping, then quiet until it settles', () => {
    const steps: [number, HealthCheckResult[]][] = [];
    // Hovering at its limit: warning and ok in turn for an hour, then warning for good.
    for (let m = 0; m <= 60; m += 5) steps.push([m, [check('disk', m % 10 === 0 ? 'ok' : 'warning')]]);
    for (let m = 65; m <= 180; m += 5) steps.push([m, [check('disk', 'warning')]]);
    const told = run(steps)
      .map((changes, i) => (changes.length ? `${steps[i]![0]}: ${changes.join()}` : null))
      .filter(Boolean);
    expect(told).toEqual([
      '5: new disk ok→warning',
      '10: recovered disk warning→ok',
      '15: new disk ok→warning',
      '20: flapping disk warning→ok',
      // The last change was at minute 65 (back to warning); an hour later it has held one status.
      '125: settled disk warning→warning',
    ]);
  });

  it('a check named twice in one result counts its worst answer', () => {
    expect(run([[0, [check('x', 'ok'), check('x', 'critical')]]])).toEqual([['new x -→critical']]);
  });
});

describe('formatDuration', () => {
  it.each([
    [23 * 60_000, '23 min'],
    [3 * HOUR + 10 * 60_000, '3 h 10 min'],
    [2 * HOUR, '2 h'],
    [52 * HOUR, '2 d 4 h'],
  ])('%d ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
