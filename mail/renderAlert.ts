import type { AlertEmailInput, AlertKind, AlertTrade, RenderedEmail } from './alertContent';
import { isConfident } from '../domain/scanConfidence';
import { escapeHtml, safeHref } from './escapeHtml';
import { priceMoveLine } from './priceMove';
import { scannedView, SCANNED_NOTE, SEE_THE_FILING } from './scannedTrade';
import {
  affiliation,
  assetTypeLabel,
  chamberLabel,
  filingDelayDays,
  formatAmountBracket,
  formatIsoDate,
  isLateFiling,
  oneLine,
  ownerLabel,
  STOCK_ACT_DEADLINE_DAYS,
  tickerLabel,
  tradeLabel,
  tradeVerb,
  truncate,
} from './tradeFormat';

const DEFAULT_TIMEZONE = 'America/New_York';

/**
 * The email's wording of one trade (a TradeView of domain/tradeView.ts): every filing string cleaned to
 * one line, and the derived values the email shows.
 */
interface WordedTrade {
  member: string;
  seat: string;
  /** `Nancy Pelosi bought NVDA`; a withdrawn trade reads `Withdrawn: Nancy Pelosi bought NVDA`. */
  headline: string;
  /** `Sale`; a withdrawn trade reads `Withdrawn sale`. */
  action: string;
  isSale: boolean;
  /** The filer withdrew the trade in an amended report: a correction, not a trade. */
  withdrawn: boolean;
  /** `NVDA`; an exchange with a ticker received reads `VFC → KTB`. */
  ticker: string | null;
  asset: string;
  assetType: string | null;
  owner: string;
  amount: string;
  traded: string;
  filed: string;
  delayDays: number | null;
  late: boolean;
  filingUrl: string;
  reasons: string[];
  correction: string | null;
  details: string | null;
  /** How the stock moved since the trade, when known. */
  price: string | null;
  /** Read from a scanned paper filing: say so (only fields read with high confidence are shown). */
  scanned: boolean;
}

/**
 * Renders one alert email (subject, plain text, HTML) for a user's matched trades. Pure: the same
 * input gives the same bytes. Filing values are untrusted and are HTML-escaped in the HTML part and
 * folded to one line in both parts.
 */
export function renderAlertEmail(input: AlertEmailInput): RenderedEmail {
  if (input.trades.length === 0) {
    throw new Error('renderAlertEmail: no trades to render (an alert email needs at least one trade)');
  }
  if (safeHref(input.unsubscribeUrl) === null) {
    throw new Error(
      `renderAlertEmail: unsubscribeUrl must be an absolute http(s) URL, got ${JSON.stringify(input.unsubscribeUrl)}`,
    );
  }
  if (input.manageUrl !== undefined && safeHref(input.manageUrl) === null) {
    throw new Error(
      `renderAlertEmail: manageUrl must be an absolute http(s) URL, got ${JSON.stringify(input.manageUrl)}`,
    );
  }
  const trades = input.trades.map((t) => wordTrade(scannedView(t), input.generatedAt));
  const subject = subjectLine(input.kind, trades);
  const intro = introLine(input, trades);
  return {
    subject,
    text: renderText(input, trades, intro),
    html: renderHtml(input, trades, subject, intro),
  };
}

function wordTrade(t: AlertTrade, generatedAt: string | undefined): WordedTrade {
  const member = oneLine(t.memberName) || 'A member of Congress';
  const ticker = tickerLabel(t.ticker, t.receivedTicker);
  // A trade read from a scanned paper filing shows only what was read with high confidence: what was
  // not is on the original filing, not undisclosed.
  const scanned = Boolean(t.scanConfidence);
  const asset = oneLine(t.assetName) || (scanned ? 'an asset (see the filing)' : 'an undisclosed asset');
  const withdrawn = t.withdrawn === true;
  // A withdrawal is filed in an amended report, long after the trade: no delay or late flag to show.
  const delayDays = withdrawn ? null : filingDelayDays(t.transactionDate, t.filedDate);
  const seatParts = [affiliation(t.party, t.stateDistrict), chamberLabel(t.chamber)].filter(Boolean);
  const headline = `${member} ${tradeVerb(t.transactionType)} ${ticker ?? truncate(asset, 60)}`;
  const action = tradeLabel(t.transactionType);
  return {
    member,
    seat: seatParts.join(', '),
    headline: withdrawn ? `Withdrawn: ${headline}` : headline,
    action: withdrawn ? `Withdrawn ${action.toLowerCase()}` : action,
    isSale: t.transactionType === 'sale' || t.transactionType === 'sale_partial',
    withdrawn,
    ticker,
    asset,
    assetType: assetTypeLabel(t.assetType),
    owner: scanned && !isConfident(t.scanConfidence?.owner) ? SEE_THE_FILING : ownerLabel(t.owner),
    amount:
      scanned && t.amountMin === null && t.amountMax === null
        ? SEE_THE_FILING
        : formatAmountBracket(t.amountMin, t.amountMax),
    traded: formatIsoDate(t.transactionDate) ?? (scanned ? SEE_THE_FILING : 'not given'),
    filed: formatIsoDate(t.filedDate) ?? 'not given',
    delayDays,
    late: isLateFiling(delayDays),
    filingUrl: oneLine(t.filingUrl),
    reasons: t.reasons.map(oneLine).filter(Boolean),
    correction: t.correction && oneLine(t.correction) ? oneLine(t.correction) : null,
    details: t.description && oneLine(t.description) ? truncate(oneLine(t.description), 300) : null,
    price: priceMoveLine(t, generatedAt),
    scanned,
  };
}

function tradeCount(n: number): string {
  return n === 1 ? '1 congressional trade' : `${n} congressional trades`;
}

/** Trades the filer withdrew are counted apart: they are no longer trades. */
function withdrawnCount(trades: WordedTrade[]): number {
  return trades.filter((t) => t.withdrawn).length;
}

function withdrawnPhrase(n: number): string {
  return n === 1
    ? '1 trade we emailed you about was withdrawn'
    : `${n} trades we emailed you about were withdrawn`;
}

function withdrawnSentence(n: number): string {
  return n === 1
    ? 'A trade we emailed you about was withdrawn by its filer.'
    : `${n} trades we emailed you about were withdrawn by their filers.`;
}

function subjectLine(kind: AlertKind, trades: WordedTrade[]): string {
  const only = trades.length === 1 ? trades[0]!.headline : null;
  const withdrawn = withdrawnCount(trades);
  const current = trades.length - withdrawn;
  switch (kind) {
    case 'instant':
      if (only) return only;
      if (withdrawn === 0) return `${trades.length} new congressional trades match your alerts`;
      return `${current === 1 ? '1 new congressional trade matches' : `${current} new congressional trades match`} your alerts; ${withdrawnPhrase(withdrawn)}`;
    case 'daily':
    case 'weekly': {
      if (only) return `Your ${kind} digest: ${only}`;
      if (withdrawn === 0) return `Your ${kind} digest: ${tradeCount(trades.length)} match your alerts`;
      if (current === 0) return `Your ${kind} digest: ${withdrawnPhrase(withdrawn)}`;
      const matched =
        current === 1 ? '1 congressional trade matches' : `${current} congressional trades match`;
      return `Your ${kind} digest: ${matched} your alerts; ${withdrawnPhrase(withdrawn)}`;
    }
    case 'correction':
      // A withdrawal's headline already says what happened: `Withdrawn: ...`.
      if (only) return trades[0]!.withdrawn ? only : `Correction: ${only}`;
      if (withdrawn === trades.length) return withdrawnPhrase(withdrawn);
      return `Correction to ${tradeCount(trades.length)} we emailed you about`;
  }
}

/** The digest's date in the user's time zone, e.g. "Tuesday, January 21, 2025"; null without a date. */
function digestDate(generatedAt: string | undefined, timezone: string): string | null {
  if (!generatedAt) return null;
  const when = new Date(generatedAt);
  if (Number.isNaN(when.getTime())) return null;
  try {
    return dateFormat(timezone).format(when);
  } catch {
    // An unknown zone name in the user's profile should not stop the email.
    return dateFormat(DEFAULT_TIMEZONE).format(when);
  }
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone,
    });
    dateFormats.set(timeZone, f);
  }
  return f;
}

function introLine(input: AlertEmailInput, trades: WordedTrade[]): string {
  const date = digestDate(input.generatedAt, input.user.timezone);
  const withdrawn = withdrawnCount(trades);
  const n = trades.length - withdrawn;
  const andWithdrawn = withdrawn > 0 ? ` ${withdrawnSentence(withdrawn)}` : '';
  const digest = (heading: string, period: string) =>
    heading +
    (n === 0 && withdrawn > 0
      ? withdrawnSentence(withdrawn)
      : `${tradeCount(n)} matched your alerts in the past ${period}.${andWithdrawn}`);
  switch (input.kind) {
    case 'instant':
      return (
        (n === 1
          ? 'A new congressional trade matches your alerts.'
          : `${n} new congressional trades match your alerts.`) + andWithdrawn
      );
    case 'daily':
      return digest(date ? `Daily digest for ${date}: ` : '', 'day');
    case 'weekly':
      return digest(date ? `Weekly digest for the week ending ${date}: ` : '', 'week');
    case 'correction':
      if (withdrawn === trades.length) {
        return withdrawn === 1
          ? 'The filer has withdrawn a trade we emailed you about, in an amended report.'
          : 'Filers have withdrawn trades we emailed you about, in amended reports.';
      }
      if (withdrawn > 0)
        return 'Filings we emailed you about were amended, corrected or withdrawn. Here are the updated trades.';
      return trades.length === 1
        ? 'A filing we emailed you about was amended or corrected. Here is the updated trade.'
        : 'Filings we emailed you about were amended or corrected. Here are the updated trades.';
  }
}

function filedWording(t: WordedTrade): string {
  if (t.delayDays === null) return t.filed;
  const days = t.delayDays === 1 ? '1 day' : `${t.delayDays} days`;
  return `${t.filed} (${days} after the trade)`;
}

function lateWording(t: WordedTrade): string {
  return `Late: filed ${t.delayDays} days after the trade, past the STOCK Act's ${STOCK_ACT_DEADLINE_DAYS}-day deadline`;
}

function assetWording(t: WordedTrade): string {
  const name = t.ticker ? `${t.ticker} (${t.asset})` : t.asset;
  return t.assetType ? `${name}, ${t.assetType}` : name;
}

// ---------------------------------------------------------------- plain text

function renderText(input: AlertEmailInput, trades: WordedTrade[], intro: string): string {
  const lines: string[] = [intro, ''];
  trades.forEach((t, i) => {
    if (trades.length > 1) lines.push(`${i + 1}. ${t.headline}`);
    else lines.push(t.headline);
    lines.push(`   ${t.member}${t.seat ? ` (${t.seat})` : ''}`);
    lines.push(`   ${t.action}: ${assetWording(t)}`);
    if (t.details) lines.push(`   Details: ${t.details}`);
    lines.push(`   Owner: ${t.owner}`);
    lines.push(`   Amount: ${t.amount}`);
    lines.push(`   Traded: ${t.traded}`);
    if (t.price) lines.push(`   Price: ${t.price}`);
    lines.push(`   Filed: ${filedWording(t)}`);
    if (t.late) lines.push(`   ${lateWording(t)}`);
    if (t.correction) lines.push(`   What changed: ${t.correction}`);
    if (t.scanned) lines.push(`   ${SCANNED_NOTE}`);
    lines.push(`   Original filing: ${t.filingUrl}`);
    if (t.reasons.length) lines.push(`   Why you got this: ${t.reasons.join('; ')}`);
    lines.push('');
  });
  lines.push('--');
  lines.push(
    `You get this email at ${oneLine(input.user.email)} because of the alerts you set up on CapitolScope.`,
  );
  if (input.manageUrl) lines.push(`Manage your alerts: ${input.manageUrl}`);
  lines.push(`Unsubscribe: ${input.unsubscribeUrl}`);
  lines.push(
    'Trades come from public STOCK Act disclosures filed with the House Clerk and the Senate. Not investment advice.',
  );
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- HTML

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const MUTED = 'color:#616e7c;';

function link(url: string, label: string): string {
  const href = safeHref(url);
  return href
    ? `<a href="${href}" style="color:#1d4ed8;text-decoration:underline;">${escapeHtml(label)}</a>`
    : escapeHtml(label);
}

function detailRow(label: string, valueHtml: string): string {
  return (
    `<tr><td style="padding:2px 12px 2px 0;${MUTED}font-size:14px;vertical-align:top;white-space:nowrap;">${escapeHtml(label)}</td>` +
    `<td style="padding:2px 0;font-size:14px;vertical-align:top;">${valueHtml}</td></tr>`
  );
}

function tradeHtml(t: WordedTrade): string {
  const actionColor = t.withdrawn
    ? '#616e7c'
    : t.isSale
      ? '#b42318'
      : t.action === 'Purchase'
        ? '#0b7a3e'
        : '#1f2933';
  const assetHtml =
    (t.ticker ? `<strong>${escapeHtml(t.ticker)}</strong> &middot; ` : '') +
    escapeHtml(t.asset) +
    (t.assetType ? ` <span style="${MUTED}">(${escapeHtml(t.assetType)})</span>` : '');
  const filedHtml =
    escapeHtml(filedWording(t)) +
    (t.late
      ? ` <span style="display:inline-block;background:#fde8e8;color:#b42318;font-weight:bold;font-size:12px;padding:1px 6px;border-radius:3px;">` +
        `Late: past the ${STOCK_ACT_DEADLINE_DAYS}-day STOCK Act deadline</span>`
      : '');
  const rows = [
    ...(t.details ? [detailRow('Details', escapeHtml(t.details))] : []),
    detailRow('Owner', escapeHtml(t.owner)),
    detailRow('Amount', `<strong>${escapeHtml(t.amount)}</strong>`),
    detailRow('Traded', escapeHtml(t.traded)),
    ...(t.price ? [detailRow('Price', escapeHtml(t.price))] : []),
    detailRow('Filed', filedHtml),
    detailRow('Filing', link(t.filingUrl, 'View the original filing')),
  ].join('');
  const correction = t.correction
    ? `<p style="margin:10px 0 0;padding:8px 10px;background:#fff8e1;border-left:3px solid #f5a623;font-size:14px;">` +
      `<strong>What changed:</strong> ${escapeHtml(t.correction)}</p>`
    : '';
  const scanned = t.scanned
    ? `<p style="margin:10px 0 0;font-size:13px;${MUTED}">${escapeHtml(SCANNED_NOTE)}</p>`
    : '';
  const reasons = t.reasons.length
    ? `<p style="margin:10px 0 0;font-size:13px;${MUTED}">Why you got this: ${t.reasons.map(escapeHtml).join(' &middot; ')}</p>`
    : '';
  return (
    `<tr><td style="padding:16px 24px;border-top:1px solid #e4e7eb;${FONT}">` +
    `<p style="margin:0 0 4px;font-size:16px;font-weight:bold;color:#1f2933;">${escapeHtml(t.member)}` +
    (t.seat ? ` <span style="font-weight:normal;${MUTED}">(${escapeHtml(t.seat)})</span>` : '') +
    `</p>` +
    `<p style="margin:0 0 8px;font-size:15px;color:#1f2933;"><span style="font-weight:bold;color:${actionColor};">${escapeHtml(t.action)}</span> ${assetHtml}</p>` +
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0">${rows}</table>` +
    correction +
    scanned +
    reasons +
    `</td></tr>`
  );
}

function renderHtml(input: AlertEmailInput, trades: WordedTrade[], subject: string, intro: string): string {
  const manage = input.manageUrl ? `${link(input.manageUrl, 'Manage your alerts')} &middot; ` : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:0;background:#f4f5f7;">`,
    // Preview text shown by mail clients next to the subject.
    `<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(intro)}</div>`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f5f7;">`,
    `<tr><td align="center" style="padding:24px 12px;">`,
    `<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border:1px solid #e4e7eb;border-radius:6px;">`,
    `<tr><td style="padding:20px 24px 12px;${FONT}">`,
    `<p style="margin:0;font-size:12px;letter-spacing:1px;text-transform:uppercase;${MUTED}">CapitolScope</p>`,
    `<h1 style="margin:6px 0 8px;font-size:20px;line-height:1.3;color:#1f2933;">${escapeHtml(subject)}</h1>`,
    `<p style="margin:0;font-size:15px;color:#1f2933;">${escapeHtml(intro)}</p>`,
    `</td></tr>`,
    ...trades.map(tradeHtml),
    `<tr><td style="padding:16px 24px 20px;border-top:1px solid #e4e7eb;${FONT}font-size:12px;line-height:1.5;${MUTED}">`,
    `<p style="margin:0 0 6px;">You get this email at ${escapeHtml(oneLine(input.user.email))} because of the alerts you set up on CapitolScope.</p>`,
    `<p style="margin:0 0 6px;">${manage}${link(input.unsubscribeUrl, 'Unsubscribe')}</p>`,
    `<p style="margin:0;">Trades come from public STOCK Act disclosures filed with the House Clerk and the Senate. Not investment advice.</p>`,
    `</td></tr>`,
    `</table>`,
    `</td></tr></table>`,
    `</body></html>`,
  ].join('\n');
}
