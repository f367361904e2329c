import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { renderAlertEmail } from '../../../mail/renderAlert';
import { alertInput, alertTrade } from '../../support/trades';

describe('renderAlertEmail', () => {
  it('names the member, the verb and the ticker in the subject of a single-trade alert', () => {
    expect(renderAlertEmail(alertInput()).subject).toBe('Nancy Pelosi bought NVDA');
    const sale = alertInput({ trades: [alertTrade({ transactionType: 'sale', ticker: 'AAPL' })] });
    expect(renderAlertEmail(sale).subject).toBe('Nancy Pelosi sold AAPL');
    const partial = alertInput({ trades: [alertTrade({ transactionType: 'sale_partial' })] });
    expect(renderAlertEmail(partial).subject).toBe('Nancy Pelosi sold part of NVDA');
  });

  it('falls back to a shortened asset name when the filing gives no ticker', () => {
    const bill = alertTrade({
      ticker: null,
      assetName:
        'United States Treasury Bill, maturing March 2025, purchased at auction through TreasuryDirect',
    });
    const subject = renderAlertEmail(alertInput({ trades: [bill] })).subject;
    expect(subject.startsWith('Nancy Pelosi bought United States Treasury Bill')).toBe(true);
    expect(subject.endsWith('…')).toBe(true);
    expect(subject.length).toBeLessThan(90);
  });

  it('counts the trades in the subject of a multi-trade alert', () => {
    const trades = [
      alertTrade(),
      alertTrade({ notificationId: 'n-2' }),
      alertTrade({ notificationId: 'n-3' }),
    ];
    expect(renderAlertEmail(alertInput({ trades })).subject).toBe(
      '3 new congressional trades match your alerts',
    );
  });

  it('words digest and correction subjects for what they are', () => {
    const two = [alertTrade(), alertTrade({ notificationId: 'n-2' })];
    expect(renderAlertEmail(alertInput({ kind: 'daily', trades: two })).subject).toBe(
      'Your daily digest: 2 congressional trades match your alerts',
    );
    expect(renderAlertEmail(alertInput({ kind: 'weekly', trades: two })).subject).toBe(
      'Your weekly digest: 2 congressional trades match your alerts',
    );
    expect(renderAlertEmail(alertInput({ kind: 'daily' })).subject).toBe(
      'Your daily digest: Nancy Pelosi bought NVDA',
    );
    expect(renderAlertEmail(alertInput({ kind: 'correction' })).subject).toBe(
      'Correction: Nancy Pelosi bought NVDA',
    );
    expect(renderAlertEmail(alertInput({ kind: 'correction', trades: two })).subject).toBe(
      'Correction to 2 congressional trades we emailed you about',
    );
  });

  it('shows member, seat, asset, owner, amount, dates, filing link and reasons in both parts', () => {
    const { text, html } = renderAlertEmail(alertInput());
    for (const part of [text, html]) {
      expect(part).toContain('Nancy Pelosi');
      expect(part).toContain('D-CA11, House');
      expect(part).toContain('NVDA');
      expect(part).toContain('NVIDIA Corporation - Common Stock');
      expect(part).toContain('Purchase');
      expect(part).toContain('Spouse');
      expect(part).toContain('$1,001 – $15,000');
      expect(part).toContain('Jan 14, 2025');
      expect(part).toContain('Jan 17, 2025 (3 days after the trade)');
      expect(part).toContain('You follow Nancy Pelosi');
      expect(part).toContain('Ticker NVDA');
    }
    expect(text).toContain(
      'Original filing: https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2025/20026590.pdf',
    );
    expect(html).toContain(
      'href="https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2025/20026590.pdf"',
    );
    expect(text).not.toContain('Late:');
  });

  it('shows what the filer wrote about the trade (option terms), escaped, and nothing when there is none', () => {
    const option = alertTrade({
      description:
        'Purchased 50 call options with a strike price of $150 <b>and</b> an expiration date of 1/16/26.',
    });
    const { text, html } = renderAlertEmail(alertInput({ trades: [option] }));
    expect(text).toContain(
      '   Details: Purchased 50 call options with a strike price of $150 <b>and</b> an expiration',
    );
    expect(html).toContain('strike price of $150 &lt;b&gt;and&lt;/b&gt; an expiration');
    expect(load(html)('b').length).toBe(0);
    expect(renderAlertEmail(alertInput({ trades: [alertTrade({ description: null })] })).text).not.toContain(
      'Details:',
    );
  });

  it('shows an exchange as the ticker given up → the ticker received, escaped in the HTML part', () => {
    const exchange = alertTrade({
      memberName: 'Jacky Rosen',
      chamber: 'senate',
      stateDistrict: null,
      party: null,
      ticker: 'VFC',
      receivedTicker: 'KTB',
      assetName: 'V.F. Corporation',
      assetType: 'Stock',
      transactionType: 'exchange',
      description: 'V.F. Corporation (VFC) → Kontoor Brands, Inc. (KTB)',
      reasons: ['Matches your rule: ticker KTB'],
    });
    const { subject, text, html } = renderAlertEmail(alertInput({ trades: [exchange] }));
    expect(subject).toBe('Jacky Rosen exchanged VFC → KTB');
    expect(text).toContain('   Exchange: VFC → KTB (V.F. Corporation), Stock\n');
    expect(text).toContain('   Why you got this: Matches your rule: ticker KTB\n');
    expect(html).toContain('<strong>VFC → KTB</strong> &middot; V.F. Corporation');
    expect(html).toContain('Why you got this: Matches your rule: ticker KTB');

    const hostile = alertTrade({ ticker: 'VFC', receivedTicker: '<b>KTB</b>', transactionType: 'exchange' });
    const rendered = renderAlertEmail(alertInput({ trades: [hostile] }));
    expect(rendered.html).toContain('<strong>VFC → &lt;b&gt;KTB&lt;/b&gt;</strong>');
    expect(load(rendered.html)('b').length).toBe(0);
  });

  it('words open-ended and exact amounts as the forms do', () => {
    const over = renderAlertEmail(
      alertInput({ trades: [alertTrade({ amountMin: 50000001, amountMax: null })] }),
    );
    expect(over.text).toContain('Amount: Over $50,000,000');
    expect(over.html).toContain('Over $50,000,000');
    const none = renderAlertEmail(alertInput({ trades: [alertTrade({ amountMin: null, amountMax: null })] }));
    expect(none.text).toContain('Amount: Amount not disclosed');
  });

  it('flags a filing made more than 45 days after the trade, and only then', () => {
    const late = renderAlertEmail(
      alertInput({ trades: [alertTrade({ transactionDate: '2024-11-01', filedDate: '2025-01-17' })] }),
    );
    expect(late.text).toContain('Filed: Jan 17, 2025 (77 days after the trade)');
    expect(late.text).toContain("Late: filed 77 days after the trade, past the STOCK Act's 45-day deadline");
    expect(late.html).toContain('Late: past the 45-day STOCK Act deadline');

    const onDeadline = renderAlertEmail(
      alertInput({ trades: [alertTrade({ transactionDate: '2024-12-03', filedDate: '2025-01-17' })] }),
    );
    expect(onDeadline.text).toContain('(45 days after the trade)');
    expect(onDeadline.text).not.toContain('Late:');
    expect(onDeadline.html).not.toContain('Late:');
  });

  it('says nothing about delay when a date is missing', () => {
    const { text } = renderAlertEmail(alertInput({ trades: [alertTrade({ transactionDate: null })] }));
    expect(text).toContain('Traded: not given');
    expect(text).toContain('Filed: Jan 17, 2025\n');
    expect(text).not.toContain('after the trade');
  });

  it('escapes every filing value in the HTML part', () => {
    const evil = alertTrade({
      memberName: 'Evil <b>Member</b>',
      assetName: '<script>alert("x")</script> & Co',
      ticker: '<img src=x onerror=alert(1)>',
      assetType: '"><svg onload=alert(1)>',
      stateDistrict: "CA11'><i>",
      party: '<u>D</u>',
      reasons: ['Ticker <script>NVDA</script>'],
      correction: 'Amount was <em>wrong</em>',
      filingUrl: 'javascript:alert(document.cookie)',
    });
    const { html, text } = renderAlertEmail(alertInput({ kind: 'correction', trades: [evil] }));
    // Parsed as a mail client would: the hostile values must be text, never elements or attributes.
    const $ = load(html);
    expect($('script, img, svg, b, em, i, u').length).toBe(0);
    $('*').each((_, el) => {
      for (const name of Object.keys((el as { attribs?: Record<string, string> }).attribs ?? {})) {
        expect(name.startsWith('on'), `attribute ${name}`).toBe(false);
      }
    });
    // An unsafe link is shown as plain text, never as an href.
    expect(
      $('a')
        .map((_, a) => $(a).attr('href'))
        .get(),
    ).toEqual(['https://capitolscope.org/alerts', 'https://capitolscope.org/unsubscribe?token=abc.def']);
    expect(html).toContain('View the original filing');
    const body = $('body').text();
    expect(body).toContain('<script>alert("x")</script> & Co');
    expect(body).toContain('Evil <b>Member</b>');
    expect(body).toContain('<img src=x onerror=alert(1)>');
    expect(body).toContain('"><svg onload=alert(1)>');
    expect(body).toContain('Ticker <script>NVDA</script>');
    expect(body).toContain('Amount was <em>wrong</em>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    // The text part is plain text: the values appear as written.
    expect(text).toContain('<script>alert("x")</script> & Co');
  });

  it('keeps filing text on one line, so it cannot forge lines in the text part or the subject', () => {
    const forged = alertTrade({ ticker: null, assetName: 'Acme\r\n\r\nUnsubscribe: https://evil.example' });
    const { subject, text } = renderAlertEmail(alertInput({ trades: [forged] }));
    expect(subject).not.toMatch(/[\r\n]/);
    expect(text).not.toMatch(/^Unsubscribe: https:\/\/evil/m);
  });

  it('puts the unsubscribe link in the footer of both parts', () => {
    const { text, html } = renderAlertEmail(alertInput());
    expect(text).toContain('Unsubscribe: https://capitolscope.org/unsubscribe?token=abc.def');
    expect(text).toContain('Manage your alerts: https://capitolscope.org/alerts');
    expect(html).toContain('<a href="https://capitolscope.org/unsubscribe?token=abc.def"');
    expect(html.indexOf('Unsubscribe')).toBeGreaterThan(html.indexOf('You follow Nancy Pelosi'));
  });

  it('shows what changed in a correction', () => {
    const fixed = alertTrade({ correction: 'Amount changed from $1,001 – $15,000 to $15,001 – $50,000' });
    const { text, html } = renderAlertEmail(alertInput({ kind: 'correction', trades: [fixed] }));
    expect(text).toContain('What changed: Amount changed from $1,001 – $15,000 to $15,001 – $50,000');
    expect(html).toContain('What changed:');
  });

  it('dates a digest in the user’s time zone', () => {
    // 03:30 UTC on Jan 21 is still Jan 20 in New York.
    const input = alertInput({ kind: 'daily', generatedAt: '2025-01-21T03:30:00Z' });
    expect(renderAlertEmail(input).text).toContain('Daily digest for Monday, January 20, 2025');
    const tokyo = alertInput({
      kind: 'daily',
      generatedAt: '2025-01-21T03:30:00Z',
      user: { email: 'a@b.jp', timezone: 'Asia/Tokyo' },
    });
    expect(renderAlertEmail(tokyo).text).toContain('Daily digest for Tuesday, January 21, 2025');
    const bogus = alertInput({
      kind: 'daily',
      generatedAt: '2025-01-21T03:30:00Z',
      user: { email: 'a@b.c', timezone: 'Mars/Olympus' },
    });
    expect(renderAlertEmail(bogus).text).toContain('Daily digest for Monday, January 20, 2025');
  });

  it('renders the same input to the same bytes', () => {
    expect(renderAlertEmail(alertInput())).toEqual(renderAlertEmail(alertInput()));
  });

  it('refuses an email with no trades or without a usable unsubscribe link', () => {
    expect(() => renderAlertEmail(alertInput({ trades: [] }))).toThrow(/no trades/);
    expect(() => renderAlertEmail(alertInput({ unsubscribeUrl: '' }))).toThrow(/unsubscribeUrl/);
    expect(() => renderAlertEmail(alertInput({ unsubscribeUrl: 'javascript:void(0)' }))).toThrow(
      /unsubscribeUrl/,
    );
  });
});
