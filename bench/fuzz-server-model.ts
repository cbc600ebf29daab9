// The model behind bench/fuzz-server.ts: what the database holds (people by name, each with a set of scores), the
// writes a transaction has made, and what a read in it must answer. Writes commute (a fresh insert touches nothing
// else; deleting a person drops its scores; a score given to someone already gone does nothing), so the model of
// the committed state does not depend on the order in which the server applied concurrent commits.

/** Name → scores. */
export type People = Map<string, Set<number>>;

export type Write = { op: 'insert'; name: string; score: number } | { op: 'delete'; name: string } | { op: 'score'; name: string; score: number };

export function copy(people: People): People {
  return new Map([...people].map(([name, scores]) => [name, new Set(scores)]));
}

export function apply(people: People, writes: readonly Write[]): People {
  const out = copy(people);
  for (const w of writes) {
    if (w.op === 'insert') out.set(w.name, new Set([w.score]));
    else if (w.op === 'delete') out.delete(w.name);
    else out.get(w.name)?.add(w.score);
  }
  return out;
}

/** A canonical text of the names alone, or of name–score pairs: what the fuzzer compares answers with. */
export function names(people: People): string {
  return [...people.keys()].sort().join(',');
}

export function pairs(people: People): string {
  return [...people].flatMap(([name, scores]) => [...scores].map((s) => `${name}=${s}`)).sort().join(',');
}

/** People read back from answers of `match $p isa person, has name $n, has score $s;` (names without scores too). */
export function fromRows(nameRows: readonly string[], pairRows: readonly (readonly [string, number])[]): People {
  const out: People = new Map(nameRows.map((n) => [n, new Set<number>()]));
  for (const [n, s] of pairRows) out.get(n)?.add(s);
  return out;
}

export function equal(a: People, b: People): boolean {
  return names(a) === names(b) && pairs(a) === pairs(b);
}

/** Only fresh inserts: such a commit conflicts with nothing and must succeed. */
export function insertsOnly(writes: readonly Write[]): boolean {
  return writes.every((w) => w.op === 'insert');
}
