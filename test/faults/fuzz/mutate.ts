/**
 * Deterministic mutations of real upstream files, for the parser fault test: cut short, shuffled,
 * junk injected, bytes randomised, values swapped for junk. A seed makes every run the same, and a
 * failure names the seed and mutation that found it.
 */

import { random } from '../../support/random';

export interface Mutation<T> {
  name: string;
  value: T;
}

const JUNK = [
  '\u0000',
  '<',
  '>',
  '</Member>',
  '<Member>',
  '<![CDATA[',
  '&amp',
  '&#xFFFF;',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ',',
  '\t',
  '\r\n',
  '\f',
  '$',
  '%PDF-',
  '\ufffd',
  '\ud800',
  '😀',
  '<script>alert(1)</script>',
  '<table><tr><td>',
  '</table>',
  '01/32/2025',
  '99/99/9999',
  '$1,001 - ',
  'Over $50,000,000',
  'Filing ID #',
  'ID Owner Asset Transaction Type Date Notification Date Amount Cap. Gains > $200?',
  '\u202e',
];

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/** Text mutations: cut, shuffled lines, junk injected, characters replaced, lines duplicated. */
export function mutateText(text: string, seed: number, count: number): Mutation<string>[] {
  const rnd = random(seed);
  const out: Mutation<string>[] = [];
  const at = () => Math.floor(rnd() * (text.length + 1));
  for (let i = 0; i < count; i++) {
    const kind = i % 6;
    if (kind === 0) {
      const cut = at();
      out.push({ name: `cut at ${cut}`, value: text.slice(0, cut) });
    } else if (kind === 1) {
      const lines = text.split('\n');
      for (let swaps = 0; swaps < 1 + Math.floor(rnd() * 20); swaps++) {
        const a = Math.floor(rnd() * lines.length);
        const b = Math.floor(rnd() * lines.length);
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      }
      out.push({ name: 'lines shuffled', value: lines.join('\n') });
    } else if (kind === 2) {
      let value = text;
      for (let n = 0; n < 1 + Math.floor(rnd() * 30); n++) {
        const p = Math.floor(rnd() * (value.length + 1));
        value = value.slice(0, p) + pick(rnd, JUNK) + value.slice(p);
      }
      out.push({ name: 'junk injected', value });
    } else if (kind === 3) {
      const chars = [...text];
      for (let n = 0; n < 1 + Math.floor(rnd() * 200); n++) {
        chars[Math.floor(rnd() * chars.length)] = String.fromCharCode(Math.floor(rnd() * 0x3000));
      }
      out.push({ name: 'characters replaced', value: chars.join('') });
    } else if (kind === 4) {
      const p = at();
      const q = Math.min(text.length, p + Math.floor(rnd() * 2000));
      out.push({
        name: `span ${p}-${q} repeated`,
        value: text.slice(0, q) + text.slice(p, q).repeat(50) + text.slice(q),
      });
    } else {
      const p = at();
      const q = Math.min(text.length, p + Math.floor(rnd() * 5000));
      out.push({ name: `span ${p}-${q} removed`, value: text.slice(0, p) + text.slice(q) });
    }
  }
  return out;
}

/** Byte mutations: cut, bytes randomised, chunks swapped, junk injected, all random. */
export function mutateBytes(bytes: Uint8Array, seed: number, count: number): Mutation<Uint8Array>[] {
  const rnd = random(seed);
  const out: Mutation<Uint8Array>[] = [];
  for (let i = 0; i < count; i++) {
    const copy = new Uint8Array(bytes);
    const kind = i % 5;
    if (kind === 0) {
      const cut = Math.floor(rnd() * bytes.length);
      out.push({ name: `cut at ${cut}`, value: copy.subarray(0, cut) });
    } else if (kind === 1) {
      for (let n = 0; n < 1 + Math.floor(rnd() * 50); n++)
        copy[Math.floor(rnd() * copy.length)] = rnd() * 256;
      out.push({ name: 'bytes randomised', value: copy });
    } else if (kind === 2) {
      const size = 1 + Math.floor(rnd() * 512);
      const a = Math.floor(rnd() * Math.max(1, copy.length - size));
      const b = Math.floor(rnd() * Math.max(1, copy.length - size));
      const chunk = copy.slice(a, a + size);
      copy.copyWithin(a, b, b + size);
      copy.set(chunk, b);
      out.push({ name: `chunks at ${a} and ${b} swapped`, value: copy });
    } else if (kind === 3) {
      const p = Math.floor(rnd() * copy.length);
      const junk = new TextEncoder().encode(pick(rnd, JUNK).repeat(1 + Math.floor(rnd() * 100)));
      const value = new Uint8Array(copy.length + junk.length);
      value.set(copy.subarray(0, p));
      value.set(junk, p);
      value.set(copy.subarray(p), p + junk.length);
      out.push({ name: `junk injected at ${p}`, value });
    } else {
      const value = new Uint8Array(Math.floor(rnd() * 4096));
      for (let n = 0; n < value.length; n++) value[n] = rnd() * 256;
      out.push({ name: `${value.length} random bytes`, value });
    }
  }
  return out;
}

const JUNK_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  Number.NaN,
  '',
  ' ',
  'x'.repeat(10_000),
  [],
  [null],
  {},
  { item: 'not a list' },
  { item: [null, 7, 'x'] },
  true,
  '<a href="/search/view/ptr/not-a-uuid/">x</a>',
  '<a href="/search/view/ptr/aad1827a-05d8-4b8f-96ed-f3e5f8c925ab/">',
  '13/45/2025',
];

/** JSON mutations: values anywhere in the document swapped for junk of another type, or removed. */
export function mutateJson(value: unknown, seed: number, count: number): Mutation<unknown>[] {
  const rnd = random(seed);
  const out: Mutation<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const copy = JSON.parse(JSON.stringify(value)) as unknown;
    const paths: string[] = [];
    for (let n = 0; n < 1 + Math.floor(rnd() * 6); n++) paths.push(swapOne(copy, rnd));
    out.push({ name: `values swapped at ${paths.join(', ')}`, value: copy });
  }
  return out;
}

/** Walks to a random node and replaces (or deletes) it; returns the path it changed. */
function swapOne(root: unknown, rnd: () => number): string {
  let node = root as Record<string, unknown> | unknown[];
  let path = '$';
  for (;;) {
    const keys = Object.keys(node);
    if (keys.length === 0) return path;
    const key = pick(rnd, keys);
    const child = (node as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object' && rnd() < 0.7) {
      node = child as Record<string, unknown>;
      path += `.${key}`;
      continue;
    }
    if (rnd() < 0.15 && !Array.isArray(node)) delete (node as Record<string, unknown>)[key];
    else (node as Record<string, unknown>)[key] = structuredClone(pick(rnd, JUNK_VALUES));
    return `${path}.${key}`;
  }
}
