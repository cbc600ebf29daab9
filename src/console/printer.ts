// Answers printed exactly as TypeDB 2.29's console prints them: concept maps (`{ $x iid 0x… isa person; }`),
// groups (`<owner> => {` … `}`), aggregate values, and fetch answers as its JSON layout. Relations and types need
// the transaction: role players and supertypes are fetched from the server, as TypeDB's console does.
import { Concept as DriverConcept } from 'typedb-driver';
import type { Concept, ConceptMap, ConceptMapGroup, JSON, Relation, Thing, Type, TypeDBTransaction, Value, ValueGroup } from 'typedb-driver';
import { javaDouble, javaJsonNumber, javaLocalDateTime, typeqlDouble } from './java-text.js';
import type { Style } from './output.js';

const INDENT = '    ';
const { ValueType } = DriverConcept;
/** Root types print without a supertype. */
const ROOT_LABELS = new Set(['thing', 'entity', 'relation', 'attribute', 'relation:role']);

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => INDENT + line)
    .join('\n');
}

/** A value as the driver gives it; a long beyond 2^53 as a bigint (common/exact-longs.ts). */
type Primitive = boolean | string | number | bigint | Date;

/** An attribute's value as its concept prints it (2.25+): strings unquoted, doubles as Java doubles. */
function attributeValueText(value: Primitive, isDouble: boolean): string {
  if (value instanceof Date) return javaLocalDateTime(value);
  if (typeof value === 'number') return isDouble ? javaDouble(value) : String(value);
  return String(value);
}

/** A value variable's value: strings quoted (unescaped), doubles with 1 to 12 decimals. */
function valueVariableText(value: Value): string {
  const raw = value.value;
  if (raw instanceof Date) return javaLocalDateTime(raw);
  if (typeof raw === 'string') return `"${raw}"`;
  if (typeof raw === 'number') return value.isDouble() ? typeqlDouble(raw) : String(raw);
  return String(raw);
}

export class AnswerPrinter {
  constructor(
    private readonly tx: TypeDBTransaction,
    private readonly style: Style,
  ) {}

  async conceptMap(map: ConceptMap): Promise<string> {
    const entries = [...map.map()].sort(([a, ca], [b, cb]) => {
      // Concept variables before value variables, then by lower-cased name (TypeDB ≤ 2.24's order: the 2.25+
      // console prints them in hash order, which no script can rely on).
      const kind = Number(ca.isValue()) - Number(cb.isValue());
      if (kind !== 0) return kind;
      const [la, lb] = [a.toLowerCase(), b.toLowerCase()];
      return la < lb ? -1 : la > lb ? 1 : 0;
    });
    const lines: string[] = [];
    for (const [name, concept] of entries) {
      if (concept.isValue()) lines.push(`?${name} = ${valueVariableText(concept.asValue())};`);
      else lines.push(`$${name} ${await this.concept(concept)};`);
    }
    const content = lines.join('\n');
    return content.includes('\n') ? `{\n${indent(content)}\n}` : `{ ${content} }`;
  }

  async conceptMapGroup(group: ConceptMapGroup): Promise<string> {
    const lines = [`${await this.concept(group.owner)} => {`];
    for (const map of group.conceptMaps) lines.push(indent(await this.conceptMap(map)));
    lines.push('}');
    return lines.join('\n');
  }

  async valueGroup(group: ValueGroup): Promise<string> {
    return `${await this.concept(group.owner)} => ${aggregateText(group.value)}`;
  }

  async concept(concept: Concept): Promise<string> {
    if (concept.isValue()) return valueVariableText(concept.asValue());
    let text: string;
    if (concept.isAttribute()) {
      const attribute = concept.asAttribute();
      text = attributeValueText(attribute.value, attribute.valueType === ValueType.DOUBLE);
    } else if (concept.isType()) {
      text = await this.typeText(concept.asType());
    } else {
      text = this.iid(concept.asThing());
    }
    if (concept.isRelation()) text += ` ${await this.rolePlayers(concept.asRelation())}`;
    if (concept.isThing()) text += ` ${this.style.keyword('isa')} ${this.style.label(concept.asThing().type.label.scopedName)}`;
    return text;
  }

  private iid(thing: Thing): string {
    return `${this.style.keyword('iid')} ${thing.iid}`;
  }

  private async typeText(type: Type): Promise<string> {
    const label = type.label.scopedName;
    let text = `${this.style.keyword('type')} ${this.style.label(label)}`;
    if (!type.root && !ROOT_LABELS.has(label)) {
      const supertype = await type.getSupertype(this.tx);
      if (supertype) text += ` ${this.style.keyword('sub')} ${this.style.label(supertype.label.scopedName)}`;
    }
    return text;
  }

  /**
   * `(role: iid 0x…, role: iid 0x…)`, roles by name and players by IID (TypeDB's order is a hash map's).
   * The players are read role by role (the relation type's roles, then the players of each), which needs only
   * the concept calls every Strata server answers.
   */
  private async rolePlayers(relation: Relation): Promise<string> {
    const roles = await relation.type.getRelates(this.tx).collect();
    roles.sort((a, b) => (a.label.name < b.label.name ? -1 : a.label.name > b.label.name ? 1 : 0));
    const parts: string[] = [];
    for (const role of roles) {
      if (role.root) continue;
      const players = await relation.getPlayersByRoleType(this.tx, [role]).collect();
      players.sort((a, b) => (a.iid < b.iid ? -1 : a.iid > b.iid ? 1 : 0));
      for (const player of players) parts.push(`${this.style.label(role.label.name)}: ${this.iid(player)}`);
    }
    return `(${parts.join(', ')})`;
  }
}

/** An aggregate answer: `NaN` when there is none (e.g. the mean of nothing), else Java's `toString`. */
export function aggregateText(value: Value | undefined): string {
  if (value === undefined || value === null) return 'NaN';
  const raw = value.value;
  if (typeof raw === 'number') return value.isDouble() ? javaDouble(raw) : String(raw);
  if (raw instanceof Date) return javaLocalDateTime(raw);
  return String(raw);
}

function jsonLayout(items: readonly string[], open: string, close: string, separator: string): string {
  const content = items.join(separator);
  if (content.includes('\n')) return `${open}\n${indent(content)}\n${close}`;
  return `${open} ${content} ${close}`;
}

/**
 * A fetch answer in the console's JSON layout: keys sorted with `type` last; an object holding `root` or `value`
 * (a concept) on one line; other objects and arrays one entry per line once anything spans lines.
 */
export function jsonText(json: JSON): string {
  if (json === null) return 'null';
  if (typeof json === 'bigint') return String(json); // a long beyond 2^53 (common/exact-longs.ts)
  if (typeof json === 'string') return `"${json}"`;
  if (typeof json === 'number') return javaJsonNumber(json);
  if (typeof json === 'boolean') return String(json);
  if (Array.isArray(json)) return jsonLayout(json.map(jsonText), '[', ']', ',\n');
  const keys = Object.keys(json).sort((a, b) => {
    if (a === 'type' || b === 'type') return Number(a === 'type') - Number(b === 'type');
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const singleLine = keys.includes('root') || keys.includes('value');
  const entries = keys.map((key) => `"${key}": ${jsonText(json[key]!)}`);
  return jsonLayout(entries, '{', '}', singleLine ? ', ' : ',\n');
}
