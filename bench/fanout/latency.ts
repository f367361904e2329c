import type { BenchPostgres } from '../benchPostgres';
import type { Measurement } from '../measurement';

export async function benchLatency(
  _pg: BenchPostgres,
  _opts: { progress: (what: string) => void },
): Promise<Measurement[]> {
  return [];
}
