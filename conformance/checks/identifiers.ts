// Concept identifiers of the answer tables (reference/behaviour-suite.md §7.1): `label:<label>`,
// `key:<attribute type>:<value>`, `attr:<attribute type>:<value>`, `value:<value type>:<value>`.
import { AssertionError } from 'node:assert';
import {
  labelText,
  type AttributeConcept,
  type Concept,
  type ConceptMap,
  type ThingConcept,
} from '../../src/concept/concepts.js';
import { formatDatetime, parseDatetime, type Value } from '../../src/common/values.js';

export type IdentifierKind = 'label' | 'key' | 'attr' | 'value';

export interface ConceptIdentifier {
  readonly text: string;
  readonly kind: IdentifierKind;
  /** label: the type label; key/attr: the attribute type label; value: the value type. */
  readonly head: string;
  /** key/attr/value: the value text. */
  readonly value: string;
}

export function parseIdentifier(text: string): ConceptIdentifier {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (colon < 0 || !['label', 'key', 'attr', 'value'].includes(kind)) {
    throw new Error(`not a concept identifier: "${text}" (expected label:, key:, attr: or value:)`);
  }
  if (kind === 'label') return { text, kind, head: rest.trim(), value: '' };
  const second = rest.indexOf(':');
  if (second < 0) throw new Error(`concept identifier "${text}" needs the form ${kind}:<type>:<value>`);
  const head = rest.slice(0, second).trim();
  const value = rest.slice(second + 1);
  // value: identifiers appear with stray spaces in the fixtures (`value:long: 9`)
  return { text, kind: kind as IdentifierKind, head, value: kind === 'value' ? value.trim() : value };
}

/** Whether a value equals the identifier's value text, read according to the value's own type. */
export function valueMatches(value: Value, text: string): boolean {
  switch (value.type) {
    case 'long':
      return /^\s*[+-]?\d+\s*$/.test(text) && BigInt(text.trim()) === value.value;
    case 'double': {
      const expected = Number(text);
      if (text.trim() === '' || Number.isNaN(expected)) return false;
      return Math.abs(expected - value.value) <= 1e-10 * Math.max(1, Math.abs(expected));
    }
    case 'string':
      return value.value === text;
    case 'boolean':
      return String(value.value) === text.trim();
    case 'datetime':
      return parseDatetime(text.trim()) === value.value;
  }
}

export function valueText(value: Value): string {
  switch (value.type) {
    case 'long':
      return value.value.toString();
    case 'datetime':
      return formatDatetime(value.value);
    default:
      return String(value.value);
  }
}

/** A readable form of a concept for failure messages (in identifier syntax where one applies). */
export function describeConcept(concept: Concept | undefined): string {
  if (concept === undefined) return '(unbound)';
  switch (concept.kind) {
    case 'type':
      return `label:${labelText(concept.label)}`;
    case 'value':
      return `value:${concept.value.type}:${valueText(concept.value)}`;
    case 'attribute':
      return `attr:${labelText(concept.type.label)}:${valueText((concept as AttributeConcept).value)}`;
    default:
      return `${concept.kind} ${labelText(concept.type.label)} ${concept.iid}`;
  }
}

export function describeAnswer(answer: ConceptMap): string {
  return `{ ${[...answer].map(([name, concept]) => `${name}: ${describeConcept(concept)}`).join(', ')} }`;
}

/** Matches identifiers against concepts; `keysOf` reads a thing's `@key` attributes (cached per IID). */
export class IdentifierMatcher {
  private readonly keys = new Map<string, readonly AttributeConcept[]>();
  private readonly parsed = new Map<string, ConceptIdentifier>();

  constructor(private readonly keysOf: (thing: ThingConcept) => readonly AttributeConcept[]) {}

  matches(identifierText: string, concept: Concept): boolean {
    let id = this.parsed.get(identifierText);
    if (!id) {
      id = parseIdentifier(identifierText);
      this.parsed.set(identifierText, id);
    }
    switch (id.kind) {
      case 'label':
        if (concept.kind !== 'type') {
          throw new AssertionError({ message: `${id.text} names a type, but the answer holds ${describeConcept(concept)}` });
        }
        return labelText(concept.label) === id.head;
      case 'attr':
        return (
          concept.kind === 'attribute' &&
          labelText(concept.type.label) === id.head &&
          valueMatches((concept as AttributeConcept).value, id.value)
        );
      case 'value':
        return concept.kind === 'value' && concept.value.type === id.head && valueMatches(concept.value, id.value);
      case 'key': {
        if (concept.kind === 'type' || concept.kind === 'value') return false;
        const key = this.keyAttributes(concept).find((a) => labelText(a.type.label) === id.head);
        return key !== undefined && valueMatches(key.value, id.value);
      }
    }
  }

  private keyAttributes(thing: ThingConcept): readonly AttributeConcept[] {
    let keys = this.keys.get(thing.iid);
    if (!keys) {
      keys = this.keysOf(thing);
      this.keys.set(thing.iid, keys);
    }
    return keys;
  }

  /** Every column of the row identifies the concept its variable is bound to in the answer. */
  rowMatches(row: Readonly<Record<string, string>>, answer: ConceptMap): boolean {
    for (const [variable, identifier] of Object.entries(row)) {
      const concept = answer.get(variable);
      if (concept === undefined) {
        throw new AssertionError({
          message: `the table names variable ${variable}, which the answer does not bind: ${describeAnswer(answer)}`,
        });
      }
      if (!this.matches(identifier, concept)) return false;
    }
    return true;
  }
}

const SHOWN = 25;

function describeRow(row: Readonly<Record<string, string>>): string {
  return `| ${Object.values(row).join(' | ')} |`;
}

function listing(answers: readonly ConceptMap[]): string {
  const shown = answers.slice(0, SHOWN).map((a, i) => `  [${i}] ${describeAnswer(a)}`);
  if (answers.length > SHOWN) shown.push(`  … ${answers.length - SHOWN} more`);
  return shown.join('\n');
}

/**
 * `uniquely identify answer concepts`: as many rows as answers, every row matches exactly one answer and every
 * answer exactly one row (both upstream readings at once, i.e. a perfect matching).
 */
export function assertUniquelyIdentified(
  rows: readonly Readonly<Record<string, string>>[],
  answers: readonly ConceptMap[],
  matcher: IdentifierMatcher,
): void {
  if (rows.length !== answers.length) {
    throw new AssertionError({
      message: `expected ${rows.length} answers, got ${answers.length}:\n${listing(answers)}`,
    });
  }
  const rowHits = new Array<number>(rows.length).fill(0);
  const answerHits = new Array<number>(answers.length).fill(0);
  answers.forEach((answer, a) => {
    rows.forEach((row, r) => {
      if (matcher.rowMatches(row, answer)) {
        rowHits[r]! += 1;
        answerHits[a]! += 1;
      }
    });
  });
  const problems: string[] = [];
  rowHits.forEach((hits, r) => {
    if (hits !== 1) problems.push(`row ${describeRow(rows[r]!)} matches ${hits} answers`);
  });
  answerHits.forEach((hits, a) => {
    if (hits !== 1) problems.push(`answer ${describeAnswer(answers[a]!)} matches ${hits} rows`);
  });
  if (problems.length > 0) {
    throw new AssertionError({
      message: `answers are not uniquely identified by the table:\n  ${problems.slice(0, SHOWN).join('\n  ')}\nanswers:\n${listing(answers)}`,
    });
  }
}

/** `order of answer concepts is`: row i matches answer i. */
export function assertOrderedMatch(
  rows: readonly Readonly<Record<string, string>>[],
  answers: readonly ConceptMap[],
  matcher: IdentifierMatcher,
): void {
  if (rows.length !== answers.length) {
    throw new AssertionError({ message: `expected ${rows.length} answers, got ${answers.length}:\n${listing(answers)}` });
  }
  rows.forEach((row, i) => {
    if (!matcher.rowMatches(row, answers[i]!)) {
      throw new AssertionError({
        message: `answer [${i}] does not match row ${describeRow(row)}:\n${listing(answers)}`,
      });
    }
  });
}
