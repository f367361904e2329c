/** Small text readers shared by the eFD page and search-row parsers. */

/** Collapse runs of whitespace (incl. non-breaking spaces) to one space and trim. */
export function squash(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** The N of "(Amendment N)" in a report title, or null for an original report. */
export function amendmentNumber(title: string): number | null {
  const m = /\(\s*Amendment\s+(\d+)\s*\)/i.exec(title);
  return m ? Number(m[1]) : null;
}

/** The eFD's "no value" marker. */
export function isBlank(text: string): boolean {
  const t = squash(text);
  return t === '' || /^-+$/.test(t);
}
