/** True when a bracket read so far still lacks its second half (it wraps onto the next line). */
export function isAmountIncomplete(text: string): boolean {
  const t = text.trim();
  if (t === '') return true;
  if (/-$/.test(t)) return true;
  // "Spouse/DC", "Over", "Spouse/DC Over": the figure follows on the next line.
  return !/\$\s*\d/.test(t) && /^(?:spouse\/dc|over|\s)+$/i.test(t);
}
