import { describe, expect, it } from 'vitest';
import { parseStampLine } from '../../../../sources/house/paper/clerkStamp';

describe("the clerk's receipt stamp as OCR reads it", () => {
  it('finds the month and day however the stamped letters come out', () => {
    // Lines as read from the transcribed filings' stamps.
    expect(parseStampLine('© qnsFeR-6 PH 2:40 |')).toEqual({ year: null, month: 2, day: 6 });
    expect(parseStampLine('© WBFEB IO PM 5:12')).toEqual({ year: null, month: 2, day: 10 });
    expect(parseStampLine('UBFEB IQ PM 5:12')).toEqual({ year: null, month: 2, day: 10 });
    expect(parseStampLine('” WIFEB20 pi 4: 16')).toEqual({ year: null, month: 2, day: 20 });
    expect(parseStampLine('0BHAR 13 PM 5:00')).toEqual({ year: null, month: 3, day: 13 });
    expect(parseStampLine('! WISAPR~9 PM 2:53')).toEqual({ year: null, month: 4, day: 9 });
  });

  it('takes the year when it is legible', () => {
    expect(parseStampLine('CL 20250CT 23 AM 9: LB')).toEqual({ year: 2025, month: 10, day: 23 });
  });

  it('takes no other line of the header for a stamp', () => {
    expect(parseStampLine('LEGISLATIVE RESOURCE CENTER')).toBeNull();
    expect(parseStampLine('AMOUNT OF TRANSACTION')).toBeNull();
    expect(parseStampLine('Date of Report Being Amended: FEB 12')).toBeNull();
    expect(parseStampLine('HAND DELIVERED PM')).toBeNull();
  });
});
