import { describe, expect, it } from 'vitest';
import { CONFIDENT } from '../../../../domain/scanConfidence';
import { indexIssuers, issuerKey, resolveTicker } from '../../../../sources/house/paper/resolveTicker';

/** Names and tickers as e-filed reports give them. */
const index = indexIssuers([
  { assetName: 'Tesla, Inc. - Common Stock', ticker: 'TSLA', rows: 12 },
  { assetName: 'GE Vernova Inc. Common Stock', ticker: 'GEV' },
  { assetName: 'GE HealthCare Technologies Inc. - Common Stock', ticker: 'GEHC' },
  { assetName: 'Palantir Technologies Inc. - Class A Common Stock', ticker: 'PLTR' },
  { assetName: 'Adobe Inc. - Common Stock', ticker: 'ADBE' },
  { assetName: 'Verizon Communications Inc. Common Stock', ticker: 'VZ' },
  { assetName: 'Alphabet Inc. - Class A Common Stock', ticker: 'GOOGL' },
  { assetName: 'Alphabet Inc. - Class C Capital Stock', ticker: 'GOOG' },
  { assetName: 'Apple Inc.', ticker: 'AAPL' },
  { assetName: 'Applied Materials, Inc.', ticker: 'AMAT' },
]);

const trusted = (r: { ticker: string | null; confidence: number }) =>
  r.confidence >= CONFIDENT ? r.ticker : null;

describe('resolving the ticker of an asset name read from a scan', () => {
  it('drops the words that say what kind of security it is', () => {
    expect(issuerKey('Tesla, Inc. - Common Stock')).toBe('tesla');
    expect(issuerKey('AT&T Inc.')).toBe('at and t');
  });

  it('trusts a name read with a letter or two wrong when one issuer is clearly closest', () => {
    expect(trusted(resolveTicker('Patantir Technologies tne.', 0.66, index))).toBe('PLTR');
    expect(trusted(resolveTicker('- Tesla, Inc. - Common Stock', 0.87, index))).toBe('TSLA');
    expect(trusted(resolveTicker('TESLA Common Stock', 0.7, index))).toBe('TSLA');
  });

  it('trusts a ticker written beside the name when e-filed reports give it to a name like it', () => {
    expect(resolveTicker('GE Vermnova LLC (GEV)', 0.76, index)).toEqual({
      ticker: 'GEV',
      confidence: expect.any(Number),
    });
    expect(trusted(resolveTicker('GE Vermnova LLC (GEV)', 0.76, index))).toBe('GEV');
    expect(trusted(resolveTicker('dobe Sys Inc - ADBE', 0.77, index))).toBe('ADBE');
  });

  it('keeps a written ticker no e-filed report knows as a guess, never trusted', () => {
    const r = resolveTicker('Global X Funds Uranium - URA', 0.85, index);
    expect(r.ticker).toBe('URA');
    expect(r.confidence).toBeLessThan(CONFIDENT);
  });

  it('does not trust a written ticker that e-filed reports give a different issuer', () => {
    const r = resolveTicker('Verizon Communications Inc - ADBE', 0.9, index);
    expect(r.confidence).toBeLessThan(CONFIDENT);
  });

  it('does not trust a name as close to two issuers (one name given two tickers)', () => {
    // "Alphabet Inc." is both GOOGL and GOOG in e-filed reports: the class is not known.
    const r = resolveTicker('Alphabet Inc.', 0.95, index);
    expect(['GOOGL', 'GOOG']).toContain(r.ticker);
    expect(r.confidence).toBeLessThan(CONFIDENT);
    // The share class tells them apart; a different class is a different security.
    expect(trusted(resolveTicker('Alphabet Inc. Class C', 0.9, index))).toBe('GOOG');
    expect(trusted(resolveTicker('Alphabet Inc. Class A', 0.9, index))).toBe('GOOGL');
  });

  it('does not trust a name far from every known issuer', () => {
    expect(trusted(resolveTicker('Carter Baldwin', 0.4, index))).toBeNull();
    expect(trusted(resolveTicker('USA Treasury Bonds', 0.9, index))).toBeNull();
    expect(trusted(resolveTicker('Appl Mat', 0.9, index))).toBeNull();
    expect(resolveTicker('', 0.9, index)).toEqual({ ticker: null, confidence: 0 });
  });

  it('knows nothing without e-filed issuers but what the filer wrote', () => {
    const empty = indexIssuers([]);
    expect(resolveTicker('Tesla Common Stock', 0.9, empty)).toEqual({ ticker: null, confidence: 0 });
    expect(resolveTicker('GE Vernova LLC (GEV)', 0.9, empty)).toEqual({ ticker: 'GEV', confidence: 0.4 });
  });
});
