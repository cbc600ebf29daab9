// Helpers the benchmarks share to drive the engine: timing, consuming answers, loading data, seeded randomness.
import type { QueryResult, Session } from '../src/database/index.js';

/** Runs `f` and returns its result with the time it took in milliseconds. */
export function time<T>(f: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const result = f();
  return [result, Number(process.hrtime.bigint() - t0) / 1e6];
}

/** Consumes a query's answers (lazy ones are computed while iterated); returns how many there were. */
export function consume(result: QueryResult): number {
  if (result.kind === 'get' || result.kind === 'fetch') return [...result.answers].length;
  return 1;
}

/** Runs `total` queries, `perTx` per write transaction. */
export function load(data: Session, total: number, perTx: number, query: (i: number) => string): void {
  for (let i = 0; i < total; i += perTx) {
    const tx = data.transaction('write');
    for (let j = i; j < Math.min(total, i + perTx); j++) tx.query(query(j));
    tx.commit();
  }
}

/** Deterministic pseudo-random numbers in [0, 1) from a seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
