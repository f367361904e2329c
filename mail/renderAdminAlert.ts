import { describeChange, utcMinute, type AlertChange } from '../domain/adminAlerts';
import { measurement } from '../domain/health';
import { escapeHtml } from './escapeHtml';

export interface AdminAlertInput {
  /** What this result changed (or re-announced), worst first. Never empty. */
  changes: readonly AlertChange[];
  /** Other checks still warning or critical, told before: the rest of the picture. */
  openProblems: readonly { name: string; status: string; since: Date; detail: string }[];
  /** The run that reported it (its id finds it in the Web UI). */
  workflowId: string;
  at: Date;
}

export interface RenderedAdminAlert {
  subject: string;
  text: string;
  html: string;
}

/** One email for one result: every change it made, what each means and what to do about it. */
export function renderAdminAlert(input: AdminAlertInput): RenderedAdminAlert {
  const { changes } = input;
  if (changes.length === 0) throw new Error('an admin alert needs at least one change');
  return { subject: subject(changes), text: text(input), html: html(input) };
}

function subject(changes: readonly AlertChange[]): string {
  const worst = changes[0]!;
  const more = changes.length > 1 ? ` (and ${changes.length - 1} more)` : '';
  const label = worst.kind === 'flapping' ? 'flapping' : worst.to === 'ok' ? 'recovered' : worst.to;
  // Header values must be one line: check names come from configuration and other workflows.
  return `[CapitolScope ${label}] ${describeChange(worst)}${more}`.replace(/[\r\n]+/g, ' ');
}

function text(input: AdminAlertInput): string {
  const lines = [`CapitolScope health at ${utcMinute(input.at)}.`, '', 'What changed:', ''];
  for (const c of input.changes) {
    lines.push(`${c.to.toUpperCase().padEnd(8)}  ${describeChange(c)}`);
    lines.push(`          ${c.check.detail}`);
    const m = measurement(c.check);
    if (m) lines.push(`          Measured: ${m}`);
    if (c.to !== 'ok' && c.check.action) lines.push(`          What to do: ${c.check.action}`);
    lines.push('');
  }
  if (input.openProblems.length) {
    lines.push('Still open (announced before):', '');
    for (const p of input.openProblems) {
      lines.push(`${p.status.toUpperCase().padEnd(8)}  ${p.name} since ${utcMinute(p.since)}: ${p.detail}`);
    }
    lines.push('');
  }
  lines.push(
    'Every check now: capitolscope health',
    `This result: workflow ${input.workflowId} in the Temporal Web UI.`,
    '',
    'You get this email because your address is in ADMIN_EMAILS. A lasting problem is announced again',
    'every ADMIN_ALERT_REPEAT (6 h by default) until it is fixed; a recovery is announced once.',
  );
  return lines.map((l) => l.replace(/[\r\n]+/g, ' ')).join('\n') + '\n';
}

const COLORS: Record<string, string> = { critical: '#b00020', warning: '#b26a00', ok: '#1b7f3b' };

function html(input: AdminAlertInput): string {
  const row = (status: string, title: string, body: string) =>
    `<tr><td style="padding:6px 12px 6px 0;vertical-align:top;font-weight:bold;color:${COLORS[status] ?? '#333'}">${escapeHtml(status.toUpperCase())}</td>` +
    `<td style="padding:6px 0;vertical-align:top"><div style="font-weight:bold">${escapeHtml(title)}</div>${body}</td></tr>`;
  const changes = input.changes
    .map((c) => {
      const m = measurement(c.check);
      const body = [
        `<div>${escapeHtml(c.check.detail)}</div>`,
        m ? `<div>Measured: ${escapeHtml(m)}</div>` : '',
        c.to !== 'ok' && c.check.action
          ? `<div>What to do: <code>${escapeHtml(c.check.action)}</code></div>`
          : '',
      ].join('');
      return row(c.to, describeChange(c), body);
    })
    .join('');
  const open = input.openProblems.length
    ? `<h3 style="margin:16px 0 4px">Still open (announced before)</h3><table>${input.openProblems
        .map((p) =>
          row(p.status, `${p.name} since ${utcMinute(p.since)}`, `<div>${escapeHtml(p.detail)}</div>`),
        )
        .join('')}</table>`
    : '';
  return `<!DOCTYPE html><html><body style="font-family:sans-serif;font-size:14px;color:#222">
<p>CapitolScope health at ${escapeHtml(utcMinute(input.at))}.</p>
<h3 style="margin:16px 0 4px">What changed</h3><table>${changes}</table>${open}
<p>Every check now: <code>capitolscope health</code>. This result: workflow <code>${escapeHtml(input.workflowId)}</code> in the Temporal Web UI.</p>
<p style="color:#666;font-size:12px">You get this email because your address is in ADMIN_EMAILS. A lasting problem is announced again every ADMIN_ALERT_REPEAT (6 h by default) until it is fixed; a recovery is announced once.</p>
</body></html>
`;
}
