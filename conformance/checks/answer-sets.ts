// Answer sets compared as sets of (variable → concept) maps, for the reasoner's equivalence and consistency checks.
import { labelText, type AttributeConcept, type Concept, type ConceptMap } from '../../src/concept/concepts.js';
import { describeAnswer, valueText } from './identifiers.js';
import { ensure } from './ensure.js';

/** Identity of a concept: types by label, attributes by type and value, other things by IID. */
export function conceptKey(concept: Concept): string {
  switch (concept.kind) {
    case 'type':
      return `type ${labelText(concept.label)}`;
    case 'value':
      return `value ${concept.value.type} ${JSON.stringify(valueText(concept.value))}`;
    case 'attribute':
      return `attribute ${labelText(concept.type.label)} ${JSON.stringify(valueText((concept as AttributeConcept).value))}`;
    default:
      return `${concept.kind} ${concept.iid}`;
  }
}

export function answerKey(answer: ConceptMap): string {
  return [...answer]
    .map(([name, concept]) => `${name}=${conceptKey(concept)}`)
    .sort()
    .join('; ');
}

export function assertSameAnswerSet(expected: readonly ConceptMap[], actual: readonly ConceptMap[], what: string): void {
  const expectedKeys = new Map(expected.map((a) => [answerKey(a), a]));
  const actualKeys = new Map(actual.map((a) => [answerKey(a), a]));
  const missing = [...expectedKeys].filter(([k]) => !actualKeys.has(k)).map(([, a]) => a);
  const extra = [...actualKeys].filter(([k]) => !expectedKeys.has(k)).map(([, a]) => a);
  ensure(
    missing.length === 0 && extra.length === 0,
    () =>
      `${what}: answer sets differ (${expectedKeys.size} vs ${actualKeys.size} distinct answers)\n` +
      `  missing: ${missing.slice(0, 10).map(describeAnswer).join('\n           ')}\n` +
      `  unexpected: ${extra.slice(0, 10).map(describeAnswer).join('\n              ')}`,
  );
}
