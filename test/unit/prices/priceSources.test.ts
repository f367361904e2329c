import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PriceSite } from '../../../devstack/priceSite';
import { PriceSources } from '../../../sources/prices/priceSources';
import { probePriceSource } from '../../../sources/prices/probe';

// The fallback engine alone, against the local price site over HTTP.
let site: PriceSite;
beforeAll(async () => {
  site = new PriceSite();
  await site.start();
});
afterAll(async () => site.stop());
beforeEach(() => site.clear());

function sources(keys = true) {
  const env = site.env();
  return new PriceSources({
    yahoo: { baseUrl: env.PRICES_BASE_URL! },
    finnhub: keys ? { baseUrl: env.FINNHUB_BASE_URL!, apiKey: 'k' } : null,
    alphavantage: keys ? { baseUrl: env.ALPHA_VANTAGE_BASE_URL!, apiKey: 'k' } : null,
    requestsPerMinute: { yahoo: 6000, finnhub: 6000, alphavantage: 6000 },
    lanes: 1,
    backoffMs: 10,
  });
}

describe('price sources', () => {
  it('uses only Yahoo when no keys are configured', () => {
    expect(sources(false).order).toEqual(['yahoo']);
    expect(sources().order).toEqual(['yahoo', 'finnhub', 'alphavantage']);
  });

  it("reads Alpha Vantage's Note as its rate limit: with every source limited, says when to come back", async () => {
    site.rateLimit('yahoo', { retryAfter: 30 });
    site.rateLimit('finnhub', { retryAfter: 90 });
    site.rateLimit('alphavantage');
    const s = sources();
    const before = Date.now();
    const found = await s.lookup('NVDA', '5d');
    expect(found.kind).toBe('rate_limited');
    if (found.kind !== 'rate_limited') return;
    // The soonest: Yahoo's Retry-After of 30 s.
    expect(found.retryAt).toBeGreaterThanOrEqual(before + 30_000);
    expect(found.retryAt).toBeLessThan(before + 60_000);
    expect(site.requests.map((r) => `${r.source} ${r.status}`)).toEqual([
      'yahoo 429',
      'finnhub 429',
      'alphavantage 200',
    ]);
    // Resting sources are not asked again before their time.
    expect((await s.lookup('AMD', '5d')).kind).toBe('rate_limited');
    expect(site.count()).toBe(3);
  });

  it('stops at an unknown symbol instead of asking the next source', async () => {
    site.unknown('NOPEX');
    expect(await sources().lookup('NOPEX', '5d')).toMatchObject({ kind: 'unknown', source: 'yahoo' });
    expect(site.count()).toBe(1);
  });

  it('skips a source that refuses its key, for the rest of the batch', async () => {
    site.rateLimit('yahoo', { retryAfter: 60 });
    const s = new PriceSources({
      yahoo: { baseUrl: site.env().PRICES_BASE_URL! },
      finnhub: { baseUrl: site.env().FINNHUB_BASE_URL!, apiKey: '' },
      alphavantage: { baseUrl: site.env().ALPHA_VANTAGE_BASE_URL!, apiKey: 'k' },
      requestsPerMinute: { yahoo: 6000, finnhub: 6000, alphavantage: 6000 },
      lanes: 1,
    });
    expect(await s.lookup('NVDA', '5d')).toMatchObject({
      kind: 'answer',
      answer: { source: 'alphavantage' },
    });
    expect(await s.lookup('AMD', '5d')).toMatchObject({ kind: 'answer', answer: { source: 'alphavantage' } });
    expect(site.count('finnhub')).toBe(1);
  });

  it('paces requests to the share of the budget, one after another as a batch asks', async () => {
    const s = new PriceSources({
      yahoo: { baseUrl: site.env().PRICES_BASE_URL! },
      finnhub: null,
      alphavantage: null,
      // 300 a minute over 2 lanes: this lane one request per 400 ms.
      requestsPerMinute: { yahoo: 300, finnhub: 1, alphavantage: 1 },
      lanes: 2,
    });
    for (const [i, t] of 'ABCDEFGHIJ'.split('').entries()) {
      await s.lookup(t, '5d');
      // A batch stores each answer before it asks for the next.
      await new Promise((ok) => setTimeout(ok, (i % 3) * 50));
    }
    const arrivals = site.requests.map((r) => r.at);
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    expect(gaps).toHaveLength(9);
    // Load only delays a request; unpaced, they would follow each other within milliseconds.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);
  });

  it('keeps the spacing from one batch to the next on the same lane', async () => {
    const settings = {
      yahoo: { baseUrl: site.env().PRICES_BASE_URL! },
      finnhub: null,
      alphavantage: null,
      requestsPerMinute: { yahoo: 300, finnhub: 1, alphavantage: 1 },
      lanes: 2,
    };
    await new PriceSources(settings).lookup('A', '5d');
    await new PriceSources(settings).lookup('B', '5d');
    const [first, second] = site.requests.map((r) => r.at);
    expect(second! - first!).toBeGreaterThanOrEqual(200);
  });

  it('probes whether Yahoo answers, for upstream health checks', async () => {
    const base = site.env().PRICES_BASE_URL!;
    expect(await probePriceSource(base)).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^SPY \d+(\.\d+)? USD$/),
    });
    site.fail('yahoo', { status: 502 });
    const down = await probePriceSource(base);
    expect(down.ok).toBe(false);
    expect(down.detail).toContain('HTTP 502');
    site.clear();
    site.unknown('SPY');
    expect((await probePriceSource(base)).ok).toBe(true);
  });
});
