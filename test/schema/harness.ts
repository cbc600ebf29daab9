// Test harness: a schema "database" with committed state and one open schema write transaction, driven by
// TypeQL text, mirroring the steps of the TypeDB behaviour features.
import assert from 'node:assert/strict';
import { StrataError } from '../../src/common/errors.js';
import type { InstanceChecks } from '../../src/schema/api.js';
import { NO_INSTANCES, TypeGraph } from '../../src/schema/index.js';
import type { Definable } from '../../src/typeql/ast.js';
import { parseQuery } from '../../src/typeql/index.js';

export function definables(text: string): readonly Definable[] {
  const query = parseQuery(text);
  if (query.kind !== 'define' && query.kind !== 'undefine') throw new Error(`not a define/undefine query: ${text}`);
  return query.definables;
}

export class SchemaSession {
  committed: TypeGraph;
  tx: TypeGraph;
  checks: InstanceChecks = NO_INSTANCES;

  constructor(schema?: string) {
    this.committed = new TypeGraph();
    this.tx = this.committed.clone();
    if (schema !== undefined) {
      this.define(schema);
      this.commit();
    }
  }

  /** `session opens transaction of type: write` (discards uncommitted changes). */
  open(): this {
    this.tx = this.committed.clone();
    return this;
  }

  define(text: string): this {
    this.tx.define(definables(text), this.checks);
    return this;
  }

  undefine(text: string): this {
    this.tx.undefine(definables(text), this.checks);
    return this;
  }

  commit(): this {
    this.tx.validateForCommit();
    this.committed = this.tx;
    this.tx = this.committed.clone();
    return this;
  }

  type(label: string) {
    const t = this.tx.get(label);
    assert.ok(t, `type ${label} exists`);
    return t;
  }
}

/** Asserts that `fn` throws a StrataError with this code (and message fragment, if given). */
export function throwsCode(fn: () => unknown, code: string, fragment?: string): StrataError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StrataError, `expected a StrataError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (fragment !== undefined) assert.ok(e.message.includes(fragment), `"${e.message}" should include "${fragment}"`);
    return e;
  }
  assert.fail(`expected ${code} to be thrown`);
}

export function labels(types: Iterable<{ label: { scope?: string; name: string } }>): string[] {
  return [...types].map((t) => (t.label.scope === undefined ? t.label.name : `${t.label.scope}:${t.label.name}`)).sort();
}

/** Instance checks backed by explicit sets of facts, for scenarios that need data. */
export class FakeInstances implements InstanceChecks {
  readonly instances = new Set<string>();
  readonly ownerships = new Set<string>(); // "owner|attribute"
  readonly players = new Set<string>(); // "player|role"
  readonly relationPlayers = new Set<string>(); // "relation|role"
  readonly violations = new Map<string, 'missing' | 'too-many' | 'not-unique'>(); // "owner|attribute|requirement"
  readonly regexValues = new Map<string, string[]>(); // attribute → values

  hasInstances(type: { label: { scope?: string; name: string } }): boolean {
    return this.instances.has(key(type));
  }
  hasOwnerships(owner: { label: { name: string } }, attribute: { label: { name: string } }): boolean {
    return this.ownerships.has(`${owner.label.name}|${attribute.label.name}`);
  }
  hasRolePlayers(player: { label: { name: string } }, role: { label: { scope?: string; name: string } }): boolean {
    return this.players.has(`${player.label.name}|${key(role)}`);
  }
  hasRelationRolePlayers(relation: { label: { name: string } }, role: { label: { scope?: string; name: string } }): boolean {
    return this.relationPlayers.has(`${relation.label.name}|${key(role)}`);
  }
  ownershipViolation(owner: { label: { name: string } }, attribute: { label: { name: string } }, requirement: string) {
    return this.violations.get(`${owner.label.name}|${attribute.label.name}|${requirement}`);
  }
  regexViolation(attribute: { label: { name: string } }, regex: string): string | undefined {
    const pattern = new RegExp(`^(?:${regex})$`);
    return (this.regexValues.get(attribute.label.name) ?? []).find((v) => !pattern.test(v));
  }
}

function key(type: { label: { scope?: string; name: string } }): string {
  return type.label.scope === undefined ? type.label.name : `${type.label.scope}:${type.label.name}`;
}
