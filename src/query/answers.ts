// Converts internal bindings into the detached concepts that answers carry.
import type { Concept, ConceptMap } from '../concept/concepts.js';
import type { ThingReader } from '../concept/things.js';
import { describeType } from '../concept/api/describe.js';
import { iidToHex } from '../encoding/index.js';
import { isInternal } from './ir.js';
import { valueOf, type Binding, type Row } from './bindings.js';

export function toConcept(b: Binding, things: ThingReader): Concept {
  if (b.kind === 'type') return describeType(b.type);
  if (b.kind === 'value') return { kind: 'value', value: b.value };
  const type = describeType(b.thing.type);
  const iid = iidToHex(b.thing.iid);
  const root = b.thing.type.root;
  const inferred = things.isInferred(b.thing.iid);
  if (root === 'attribute') return { kind: 'attribute', iid, type, inferred, value: valueOf(b, things)! };
  return { kind: root === 'relation' ? 'relation' : 'entity', iid, type, inferred };
}

/** The answer with only the named variables (internal ones dropped), restricted to `filter` if given. */
export function toConceptMap(row: Row, things: ThingReader, filter?: readonly string[]): ConceptMap {
  const out = new Map<string, Concept>();
  const names = filter ?? [...row.keys()].filter((n) => !isInternal(n));
  for (const name of names) {
    const b = row.get(name);
    if (b) out.set(name, toConcept(b, things));
  }
  return out;
}
