import { readdirSync, readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { runIsolated, IsolatedJobError } from '../../ops/isolatedJob';
import { extractPdfText } from '../../sources/house/pdfText';
import { fixturePath } from '../support/fixtures';
import { mutateBytes, mutateJson, mutateText, type Mutation } from './fuzz/mutate';
import type { FuzzInput, FuzzOutcome, ParserName } from './fuzz/parseJob';

/**
 * Every parser of upstream data against mutated real files: cut short, shuffled, junk injected,
 * random bytes, values of the wrong type. Each input must end, within a bound, in a clean result
 * the store accepts or a ParseError (which fails that one filing or row with its reason); never in
 * another exception, a hang, or a crash of the process. The parsers run in a child process, so a
 * hang or a crash is seen and named, not suffered.
 */

/** The same inputs every run (FUZZ_SEED explores others); a failure names the mutation that found it. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_250_117);
/** An input that takes longer than this is a hang (pdf.js gives up on a PDF after 30 s by itself). */
const PER_INPUT_LIMIT_MS = 60_000;

const text = (...path: string[]) => readFileSync(fixturePath(...path), 'utf8');
const bytes = (...path: string[]) => new Uint8Array(readFileSync(fixturePath(...path)));
const PTR_DIR = 'house-clerk/public_disc/ptr-pdfs/2025';

function named(
  prefix: string,
  mutations: Mutation<string | Uint8Array | unknown>[],
  as: 'text' | 'bytes',
): FuzzInput[] {
  return mutations.map((m) =>
    as === 'bytes'
      ? { name: `${prefix}: ${m.name}`, bytes: m.value as Uint8Array }
      : {
          name: `${prefix}: ${m.name}`,
          text: typeof m.value === 'string' ? m.value : JSON.stringify(m.value),
        },
  );
}

/** A text file mutated as text and as bytes (random bytes decode to replacement characters). */
function textInputs(file: string, content: string, count: number, seed: number): FuzzInput[] {
  return [
    ...named(file, mutateText(content, seed, count), 'text'),
    ...mutateBytes(new TextEncoder().encode(content), seed + 1, Math.ceil(count / 3)).map((m) => ({
      name: `${file}: ${m.name}`,
      text: new TextDecoder().decode(m.value),
    })),
  ];
}

async function inputsFor(parser: ParserName): Promise<FuzzInput[]> {
  switch (parser) {
    case 'house index XML':
      return [
        ...textInputs('2025FD.xml', text('house-clerk/extracted/2025FD.xml'), 100, SEED),
        ...textInputs(
          '2025FD.xml (November)',
          text('house-clerk/snapshots/2025FD.xml.2025-11-snapshot.xml'),
          8,
          SEED + 2,
        ),
      ];
    case 'house index TXT':
      return textInputs('2025FD.txt', text('house-clerk/extracted/2025FD.txt'), 100, SEED + 3);
    case 'house index ZIP':
      return [
        ...named(
          '2025FD.zip',
          mutateBytes(bytes('house-clerk/public_disc/financial-pdfs/2025FD.zip'), SEED + 4, 60),
          'bytes',
        ),
        ...named(
          '2024FD.zip',
          mutateBytes(bytes('house-clerk/public_disc/financial-pdfs/2024FD.zip'), SEED + 5, 10),
          'bytes',
        ),
        // Well-formed archives around mutated indexes.
        ...mutateText(text('house-clerk/extracted/2025FD.xml'), SEED + 6, 12).map((m) => ({
          name: `2025FD.zip holding 2025FD.xml ${m.name}`,
          bytes: zipSync({ '2025FD.xml': strToU8(m.value) }),
        })),
      ];
    case 'house PTR text': {
      // The text our extractor gives for each real PTR (paper scans give only page breaks), mutated.
      const inputs: FuzzInput[] = [];
      let seed = SEED + 100;
      for (const file of readdirSync(fixturePath(PTR_DIR)).sort()) {
        const extracted = await extractPdfText(bytes(PTR_DIR, file));
        inputs.push(...textInputs(file, extracted, 30, seed++));
      }
      return inputs;
    }
    case 'house PTR PDF':
      return ['20026590.pdf', '20030336.pdf', '8220747.pdf'].flatMap((file, i) =>
        named(file, mutateBytes(bytes(PTR_DIR, file), SEED + 200 + i, 8), 'bytes'),
      );
    case 'senate search answer': {
      const answer = text('senate-efd/search-report-data.RECONSTRUCTED.json');
      return [
        ...textInputs('search answer', answer, 30, SEED + 300),
        ...named('search answer', mutateJson(JSON.parse(answer), SEED + 301, 300), 'text'),
      ];
    }
    case 'senate PTR page':
      return readdirSync(fixturePath('senate-efd/search/view/ptr'))
        .sort()
        .flatMap((file, i) => textInputs(file, text('senate-efd/search/view/ptr', file), 30, SEED + 400 + i));
    case 'congress member list': {
      const list = text('congress-gov/member-list.limit1.json');
      return [
        ...textInputs('member list', list, 20, SEED + 500),
        ...named('member list', mutateJson(JSON.parse(list), SEED + 501, 400), 'text'),
      ];
    }
  }
}

/** The inputs through `parser` in a child process; a hang past PER_INPUT_LIMIT_MS stops it. */
async function fuzz(parser: ParserName, inputs: FuzzInput[]): Promise<FuzzOutcome[]> {
  const watchdog = new AbortController();
  let done = 0;
  let timer = setTimeout(() => watchdog.abort(), PER_INPUT_LIMIT_MS);
  try {
    return await runIsolated<FuzzOutcome[], { done: number }>({
      module: new URL('./fuzz/parseJob.ts', import.meta.url),
      exportName: 'parseAll',
      input: { parser, inputs },
      isolation: 'process',
      maxOldGenerationSizeMb: 1024,
      timeoutMs: inputs.length * PER_INPUT_LIMIT_MS,
      signal: watchdog.signal,
      onProgress: (p) => {
        done = p.done;
        clearTimeout(timer);
        timer = setTimeout(() => watchdog.abort(), PER_INPUT_LIMIT_MS);
      },
    });
  } catch (err) {
    const input = inputs[done]?.name ?? '(after the last input)';
    if (err instanceof IsolatedJobError && err.reason === 'aborted') {
      throw new Error(`${parser} hung on input ${done + 1} (${input}) for ${PER_INPUT_LIMIT_MS} ms`);
    }
    throw new Error(
      `${parser} crashed the process on input ${done + 1} (${input}): ${(err as Error).message}`,
    );
  } finally {
    clearTimeout(timer);
  }
}

const PARSERS: ParserName[] = [
  'house index XML',
  'house index TXT',
  'house index ZIP',
  'house PTR text',
  'house PTR PDF',
  'senate search answer',
  'senate PTR page',
  'congress member list',
];

describe('parsers against mutated upstream files', () => {
  it.each(PARSERS)(
    '%s: every input ends in a clean result or a ParseError, in bounded time',
    async (parser) => {
      const inputs = await inputsFor(parser);
      const outcomes = await fuzz(parser, inputs);
      expect(outcomes).toHaveLength(inputs.length);
      const crashes = outcomes.filter((o) => o.result === 'crash').map((o) => `${o.name}: ${o.detail}`);
      expect(crashes).toEqual([]);
      // Neither everything refused nor everything accepted: the mutations reach the parser's logic.
      const count = (r: FuzzOutcome['result']) => outcomes.filter((o) => o.result === r).length;
      expect(count('ParseError')).toBeGreaterThan(0);
      const slowest = outcomes.reduce((a, b) => (b.ms > a.ms ? b : a));
      console.log(
        `FUZZ ${parser}: ${inputs.length} inputs, ${count('clean')} clean, ${count('ParseError')} ParseError, ` +
          `0 crashes; slowest ${slowest.ms} ms (${slowest.name})`,
      );
    },
    600_000,
  );
});
