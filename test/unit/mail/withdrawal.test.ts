import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { describeWithdrawal } from '../../../mail/correction';
import { renderAlertEmail } from '../../../mail/renderAlert';
import { alertInput, alertTrade } from '../../support/trades';

const REASON = 'You were alerted about this trade before; the filer has since withdrawn it';

/** A trade the filer withdrew in an amended report, as the correction notification carries it. */
const withdrawnSale = (overrides: Parameters<typeof alertTrade>[0] = {}) =>
  alertTrade({
    memberName: 'Kathy Manning',
    stateDistrict: 'NC06',
    ticker: null,
    assetName: 'Echo Street GoodCo Select, LP',
    assetType: 'HN',
    transactionType: 'sale',
    amountMin: 500001,
    amountMax: 1000000,
    transactionDate: '2024-01-05',
    filedDate: '2025-04-21',
    withdrawn: true,
    correction: describeWithdrawal(),
    reasons: [REASON],
    ...overrides,
  });

describe('a withdrawal correction', () => {
  it('says the trade was withdrawn, in the subject, the headline and both parts', () => {
    const { subject, text, html } = renderAlertEmail(
      alertInput({ kind: 'correction', trades: [withdrawnSale()] }),
    );
    expect(subject).toBe('Withdrawn: Kathy Manning sold Echo Street GoodCo Select, LP');
    expect(text.split('\n').slice(0, 10)).toEqual([
      'The filer has withdrawn a trade we emailed you about, in an amended report.',
      '',
      'Withdrawn: Kathy Manning sold Echo Street GoodCo Select, LP',
      '   Kathy Manning (D-NC06, House)',
      '   Withdrawn sale: Echo Street GoodCo Select, LP, Hedge or private equity fund',
      '   Owner: Spouse',
      '   Amount: $500,001 – $1,000,000',
      '   Traded: Jan 5, 2024',
      '   Filed: Apr 21, 2025',
      '   What changed: The filer has withdrawn this trade in an amended report',
    ]);
    // Filed in an amended report long after the trade: not a late report of a trade.
    expect(text).not.toContain('Late:');
    expect(html).not.toContain('Late:');
    expect(text).toContain(`   Why you got this: ${REASON}\n`);
    expect(text).not.toMatch(/amended to|Amended:/);
    const $ = load(html);
    expect($('h1').text()).toBe('Withdrawn: Kathy Manning sold Echo Street GoodCo Select, LP');
    const body = $('body').text();
    expect(body).toContain('Withdrawn sale Echo Street GoodCo Select, LP');
    expect(body).toContain('What changed: The filer has withdrawn this trade in an amended report');
    expect(body).toContain(REASON);
  });

  it('counts several withdrawals as withdrawals, not as trades', () => {
    const two = [withdrawnSale(), withdrawnSale({ notificationId: 'n-2', transactionDate: '2024-01-16' })];
    const correction = renderAlertEmail(alertInput({ kind: 'correction', trades: two }));
    expect(correction.subject).toBe('2 trades we emailed you about were withdrawn');
    expect(
      correction.text.startsWith('Filers have withdrawn trades we emailed you about, in amended reports.\n'),
    ).toBe(true);
    expect(correction.text.match(/^\d\. Withdrawn: Kathy Manning sold /gm)).toHaveLength(2);

    // Beside an amended trade, each keeps its own wording.
    const amended = alertTrade({
      notificationId: 'n-3',
      correction: 'Amended: amount $1,001 – $15,000 → none',
    });
    const mixed = renderAlertEmail(alertInput({ kind: 'correction', trades: [amended, withdrawnSale()] }));
    expect(mixed.subject).toBe('Correction to 2 congressional trades we emailed you about');
    expect(mixed.text).toContain('1. Nancy Pelosi bought NVDA\n');
    expect(mixed.text).toContain('2. Withdrawn: Kathy Manning sold Echo Street GoodCo Select, LP\n');
    expect(mixed.text).toContain('Filings we emailed you about were amended, corrected or withdrawn.');

    // In a digest, a withdrawal is not a trade that matched.
    const digest = renderAlertEmail(
      alertInput({ kind: 'daily', trades: [alertTrade(), withdrawnSale({ notificationId: 'n-2' })] }),
    );
    expect(digest.subject).toBe(
      'Your daily digest: 1 congressional trade matches your alerts; 1 trade we emailed you about was withdrawn',
    );
    expect(digest.text.split('\n')[0]).toBe(
      '1 congressional trade matched your alerts in the past day. A trade we emailed you about was withdrawn by its filer.',
    );
    const onlyWithdrawn = renderAlertEmail(alertInput({ kind: 'weekly', trades: two }));
    expect(onlyWithdrawn.subject).toBe('Your weekly digest: 2 trades we emailed you about were withdrawn');
    expect(onlyWithdrawn.text.split('\n')[0]).toBe(
      '2 trades we emailed you about were withdrawn by their filers.',
    );
  });

  it('escapes every filing value of a withdrawn trade in the HTML part', () => {
    const hostile = withdrawnSale({
      memberName: 'Kathy <b>Manning</b>',
      assetName: '<script>alert(1)</script> Echo & Co',
      assetType: '"><svg onload=alert(1)>',
      description: '<img src=x onerror=alert(1)>',
    });
    const { subject, html } = renderAlertEmail(alertInput({ kind: 'correction', trades: [hostile] }));
    expect(subject).toBe('Withdrawn: Kathy <b>Manning</b> sold <script>alert(1)</script> Echo & Co');
    const $ = load(html);
    expect($('script, img, svg, b').length).toBe(0);
    expect($('h1').text()).toBe(subject);
    expect(html).toContain(
      'Withdrawn: Kathy &lt;b&gt;Manning&lt;/b&gt; sold &lt;script&gt;alert(1)&lt;/script&gt; Echo &amp; Co',
    );
    expect($('body').text()).toContain('<img src=x onerror=alert(1)>');
  });
});
