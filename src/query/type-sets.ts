// The candidate types of a conjunction's variables, as type inference narrows them. A nested body (a negation, a
// disjunction branch) holds sets for its own variables and for the enclosing ones its constraints name, and reads
// any other enclosing variable through its enclosing scope's sets: copying every enclosing set into each body made a
// match of n negations cost n² in time and memory (n = 5 000 exhausted a 4 GB heap).
import type { SchemaType } from '../schema/api.js';

export class TypeSets {
  /** The conjunction's own variables, in the order it declares them. */
  private readonly own = new Map<string, Set<SchemaType>>();
  /** Enclosing variables this conjunction's constraints name: copied, as inference narrows them here. */
  private readonly copied = new Map<string, Set<SchemaType>>();

  constructor(private readonly outer?: TypeSets) {}

  /** The types a variable may take: its own set, else the enclosing scope's. */
  get(name: string): Set<SchemaType> | undefined {
    return this.own.get(name) ?? this.copied.get(name) ?? this.outer?.get(name);
  }

  /** The set inference may narrow here: never an enclosing scope's (undefined for a variable not held here). */
  writable(name: string): Set<SchemaType> | undefined {
    return this.own.get(name) ?? this.copied.get(name);
  }

  /** Sets a variable of this conjunction. */
  declare(name: string, types: Set<SchemaType>): void {
    this.own.set(name, types);
  }

  /** Copies an enclosing variable's set to narrow here, if the enclosing scopes know it; returns the types copied. */
  copyEnclosing(name: string): number {
    if (this.own.has(name) || this.copied.has(name)) return 0;
    const outer = this.outer?.get(name);
    if (outer === undefined) return 0;
    this.copied.set(name, new Set(outer));
    return outer.size;
  }

  /** This conjunction's own variables and their sets. */
  [Symbol.iterator](): IterableIterator<[string, Set<SchemaType>]> {
    return this.own.entries();
  }

  /**
   * Every variable visible here with its set: the own ones, then the enclosing scopes' (innermost first, each in its
   * own order). Proportional to all of them: for reporting where a pattern became unsatisfiable, not for inference.
   */
  *visible(): Generator<[string, Set<SchemaType>]> {
    yield* this.own;
    if (this.outer === undefined) return;
    for (const [name, set] of this.outer.visible()) if (!this.own.has(name)) yield [name, this.copied.get(name) ?? set];
  }
}
