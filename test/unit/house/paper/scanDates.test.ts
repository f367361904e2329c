import { describe, expect, it } from 'vitest';
import { CONFIDENT } from '../../../../domain/scanConfidence';
import { checkDates, dateCandidates, parseWrittenDate } from '../../../../sources/house/paper/scanDates';

const read = (text: string, confidence = 0.95) => ({ text, confidence });

describe('dates read from a scanned row', () => {
  it('parses the form’s MM/DD/YY and the longer ways filers write it', () => {
    expect(parseWrittenDate('01/28/25')).toBe('2025-01-28');
    expect(parseWrittenDate('1/27/2025')).toBe('2025-01-27');
    expect(parseWrittenDate('03-13-2025')).toBe('2025-03-13');
    expect(parseWrittenDate('02/30/25')).toBeNull();
  });

  it('keeps a date read as it is when it fits the filing', () => {
    expect(checkDates(read('01/28/25'), read('02/03/25'), '2025-02-10')).toEqual({
      transactionDate: { iso: '2025-01-28', confidence: 0.95 },
      notificationDate: { iso: '2025-02-03', confidence: 0.95 },
    });
  });

  it('repairs a misread that cannot be the date, to the one date it can be, no surer than the threshold', () => {
    // Read from the transcribed scans: slashes taken for 1s, a 5 taken for a 6.
    expect(dateCandidates('112712025')).toContainEqual({ iso: '2025-01-27', changes: 2 });
    const { transactionDate, notificationDate } = checkDates(
      read('112712025'),
      read('01/28/26'),
      '2025-02-06',
    );
    expect(transactionDate).toEqual({ iso: '2025-01-27', confidence: CONFIDENT });
    expect(notificationDate).toEqual({ iso: '2025-01-28', confidence: CONFIDENT });
  });

  it('drops a date after the filing or more than a year before it, and a notice before the trade', () => {
    expect(checkDates(read('03/01/25'), null, '2025-02-10').transactionDate).toEqual({
      iso: null,
      confidence: 0,
    });
    expect(checkDates(read('01/02/23'), null, '2025-02-10').transactionDate.iso).toBeNull();
    expect(checkDates(read('01/28/25'), read('01/02/25'), '2025-02-10').notificationDate.iso).toBeNull();
  });

  it('trusts nothing fully without a filed date to check against', () => {
    const { transactionDate } = checkDates(read('01/28/25'), null, null);
    expect(transactionDate.iso).toBe('2025-01-28');
    expect(transactionDate.confidence).toBeLessThan(CONFIDENT);
  });
});
