// The running counts a Checksums item is compared against (export-format.md §4.7), and the comparison.

import { CodecError, CodecErrorCode } from './errors.js';
import type { Checksums, DataItem, Item } from './model.js';

export const ZERO_CHECKSUMS: Checksums = Object.freeze({
  entities: 0,
  attributes: 0,
  relations: 0,
  roles: 0,
  ownerships: 0,
});

/** The counts of two parts of one file (read or written by two threads), added. */
export function addChecksums(a: Checksums, b: Checksums): Checksums {
  return {
    entities: a.entities + b.entities,
    attributes: a.attributes + b.attributes,
    relations: a.relations + b.relations,
    roles: a.roles + b.roles,
    ownerships: a.ownerships + b.ownerships,
  };
}

/** Counts items the way TypeDB's exporter counts what it wrote; header and checksums items count nothing. */
export class ChecksumCounter {
  private entities = 0;
  private attributes = 0;
  private relations = 0;
  private roles = 0;
  private ownerships = 0;

  add(item: Item | DataItem): void {
    switch (item.kind) {
      case 'entity':
        this.entities++;
        this.ownerships += item.ownerships.length;
        break;
      case 'attribute':
        this.attributes++;
        this.ownerships += item.ownerships.length;
        break;
      case 'relation':
        this.relations++;
        this.ownerships += item.ownerships.length;
        for (const role of item.roles) this.roles += role.players.length;
        break;
      case 'header':
      case 'checksums':
        break;
    }
  }

  /** Counts a data item given by its kind and numbers of ownerships and role players (a parsed view). */
  countItem(kind: DataItem['kind'], ownerships: number, players: number): void {
    if (kind === 'entity') this.entities++;
    else if (kind === 'attribute') this.attributes++;
    else this.relations++;
    this.ownerships += ownerships;
    this.roles += players;
  }

  /** Adds the counts of items written without going through add() (records encoded elsewhere). */
  addCounts(counts: Checksums): void {
    this.entities += counts.entities;
    this.attributes += counts.attributes;
    this.relations += counts.relations;
    this.roles += counts.roles;
    this.ownerships += counts.ownerships;
  }

  /** A snapshot of the counts so far. */
  get counts(): Checksums {
    return {
      entities: this.entities,
      attributes: this.attributes,
      relations: this.relations,
      roles: this.roles,
      ownerships: this.ownerships,
    };
  }
}

export type ChecksumCounterName = keyof Checksums;

export interface CountMismatch {
  readonly counter: ChecksumCounterName;
  readonly expected: number;
  readonly found: number;
}

/** TypeDB's MIG11 order and words: attribute, entity, relation, role, ownership. */
const REPORT_ORDER: readonly [ChecksumCounterName, string][] = [
  ['attributes', 'Attribute'],
  ['entities', 'Entity'],
  ['relations', 'Relation'],
  ['roles', 'Role'],
  ['ownerships', 'Ownership'],
];

/** The counters that differ, in TypeDB's reporting order; empty when everything matches. */
export function compareChecksums(expected: Checksums, found: Checksums): CountMismatch[] {
  const out: CountMismatch[] = [];
  for (const [counter] of REPORT_ORDER) {
    if (expected[counter] !== found[counter]) out.push({ counter, expected: expected[counter], found: found[counter] });
  }
  return out;
}

/**
 * One line per mismatch, as TypeDB 2.x prints them: `Entity count mismatch: expected 3, but imported 2`.
 * `foundVerb` replaces "imported" (e.g. "found" when recounting a file, "written" for an exporter).
 */
export function describeChecksumMismatches(mismatches: readonly CountMismatch[], foundVerb = 'found'): string {
  const words = new Map(REPORT_ORDER);
  return mismatches
    .map((m) => `${words.get(m.counter)} count mismatch: expected ${m.expected}, but ${foundVerb} ${m.found}`)
    .join('\n');
}

/** TypeDB 2.x's MIG11 text (its opening quote is never closed upstream; kept so messages match TypeDB's). */
export const IMPORT_CHECKSUM_LEAD = "The import has finished but mismatches the required checksums: '";

/**
 * A MIG11 error listing each differing counter on its own line, or undefined when all five match.
 * `lead` defaults to TypeDB's import wording; pass another for other comparisons (e.g. verifying a file).
 */
export function checksumMismatchError(
  expected: Checksums,
  found: Checksums,
  options: { lead?: string; foundVerb?: string } = {},
): CodecError | undefined {
  const mismatches = compareChecksums(expected, found);
  if (mismatches.length === 0) return undefined;
  const lines = describeChecksumMismatches(mismatches, options.foundVerb ?? 'imported');
  return new CodecError(CodecErrorCode.CHECKSUM_MISMATCH, `${options.lead ?? IMPORT_CHECKSUM_LEAD}\n${lines}`);
}

/** The five counts, for messages. */
export function formatCounts(c: Checksums): string {
  return (
    `entities ${c.entities}, attributes ${c.attributes}, relations ${c.relations}, roles ${c.roles}, ` +
    `ownerships ${c.ownerships}`
  );
}
