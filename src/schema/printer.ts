// The whole schema as one `define` query, in TypeDB 2.29's `database schema` layout (reference/cli-console.md §5):
// attribute types, relation types, entity types (each tree depth-first, siblings by label), then rules by label;
// per type only what is declared on it. An empty schema prints as the empty string. The text itself is the
// TypeQL printer's canonical layout of these definables.
import { labelText } from './labels.js';
import type { Definable, RuleDefinition, TypeConstraint, TypeRef, TypeStatement } from '../typeql/ast.js';
import { printQuery } from '../typeql/index.js';
import type { SchemaType } from './api.js';
import { annotationList } from './annotations.js';
import type { TypeGraph } from './type-graph.js';

/** Java's `String.compareTo` (UTF-16 code units), which is also JavaScript's default string order. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const byName = (a: SchemaType, b: SchemaType) => compare(a.label.name, b.label.name);

function ref(name: string, scope?: string): TypeRef {
  return { kind: 'label', label: scope === undefined ? { name } : { scope, name } };
}

/** One type as TypeDB exports it: sub, abstract, value, regex, owns, relates, plays — declared ones only. */
export function typeDefinition(g: TypeGraph, type: SchemaType): TypeStatement {
  const constraints: TypeConstraint[] = [{ kind: 'sub', explicit: false, type: ref(type.supertype!.label.name) }];
  if (type.abstract) constraints.push({ kind: 'abstract' });
  if (type.root === 'attribute') {
    if (type.valueType !== undefined) constraints.push({ kind: 'value', valueType: type.valueType });
    if (type.regex !== undefined) constraints.push({ kind: 'regex', regex: type.regex });
  }

  // Owns: effective @key first, then effective @unique, then by label; annotations as declared here.
  const effective = g.owns(type);
  const parentOwns = g.owns(type.supertype!);
  const owns = [...g.declaredOwns(type).values()].sort((a, b) => {
    const ea = effective.get(a.attribute.id)!;
    const eb = effective.get(b.attribute.id)!;
    return Number(eb.key) - Number(ea.key) || Number(eb.unique) - Number(ea.unique) || byName(a.attribute, b.attribute);
  });
  for (const o of owns) {
    // A redeclaration records an override of the attribute itself; it only means something while inherited.
    const selfOverride = o.overridden?.id === o.attribute.id;
    const overridden = o.overridden && (!selfOverride || parentOwns.has(o.attribute.id)) ? ref(o.overridden.label.name) : undefined;
    constraints.push({ kind: 'owns', attribute: ref(o.attribute.label.name), overridden, annotations: annotationList(o) });
  }

  if (type.root === 'relation') {
    for (const role of g.declaredRelates(type).sort(byName)) {
      const overridden = g.overriddenRole(role);
      constraints.push({ kind: 'relates', role: ref(role.label.name), overridden: overridden && ref(overridden.label.name) });
    }
  }

  const plays = [...g.declaredPlays(type).values()].sort((a, b) => compare(labelText(a.role.label), labelText(b.role.label)));
  for (const p of plays) {
    constraints.push({
      kind: 'plays',
      role: ref(p.role.label.name, p.role.label.scope),
      overridden: p.overridden && ref(p.overridden.label.name),
    });
  }
  return { kind: 'type-statement', subject: ref(type.label.name), constraints };
}

function typeTree(g: TypeGraph, type: SchemaType, out: Definable[]): void {
  out.push(typeDefinition(g, type));
  for (const sub of g.subtypes(type, { direct: true }).sort(byName)) typeTree(g, sub, out);
}

/** Every user-defined type as a type statement, in export order. */
export function typeDefinitions(g: TypeGraph): TypeStatement[] {
  const out: Definable[] = [];
  for (const root of ['attribute', 'relation', 'entity']) {
    for (const type of g.subtypes(g.get(root)!, { direct: true }).sort(byName)) typeTree(g, type, out);
  }
  return out as TypeStatement[];
}

/** Every rule, by label. */
export function ruleDefinitions(g: TypeGraph): RuleDefinition[] {
  return [...g.rules().values()].sort((a, b) => compare(a.label, b.label));
}

function defineQuery(definables: Definable[]): string {
  return definables.length === 0 ? '' : printQuery({ kind: 'define', definables });
}

/** The whole schema as one `define` query (TypeDB's `database schema`), or '' for an empty schema. */
export function printSchema(g: TypeGraph): string {
  return defineQuery([...typeDefinitions(g), ...ruleDefinitions(g)]);
}

/** Only the type statements (TypeDB's `typeSchema()`), or '' when there are none. */
export function printTypeSchema(g: TypeGraph): string {
  return defineQuery(typeDefinitions(g));
}

/** Only the rules (TypeDB's `ruleSchema()`), or '' when there are none. */
export function printRuleSchema(g: TypeGraph): string {
  return defineQuery(ruleDefinitions(g));
}
