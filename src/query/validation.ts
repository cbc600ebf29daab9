// Static checks on value variables: each is assigned exactly once, in the outermost scope where it is used,
// and assignments do not depend on each other in a cycle.
import { StrataError } from '../common/errors.js';
import type { Conjunction } from './ir.js';
import { variablesOf } from './expressions.js';

export function validateValueVariables(root: Conjunction): void {
  const assignedIn = new Map<string, Conjunction>();
  const depends = new Map<string, string[]>();
  const visit = (c: Conjunction, depth: number, scopes: Conjunction[]) => {
    for (const k of c.constraints) {
      if (k.kind === 'assign' && !k.owned) {
        if (assignedIn.has(k.variable)) {
          throw new StrataError('QRY', 22, `The value variable '?${k.variable}' can only have one assignment in the first scope it is used in.`);
        }
        // The assignment must be in the first (outermost) scope that uses the variable.
        for (const outer of scopes) {
          if (outer !== c && outer.variables.get(k.variable) === 'value') {
            throw new StrataError('QRY', 22, `The value variable '?${k.variable}' can only have one assignment in the first scope it is used in.`);
          }
        }
        assignedIn.set(k.variable, c);
        depends.set(k.variable, variablesOf(k.expression));
      } else if (k.kind === 'assign') {
        assignedIn.set(k.variable, c);
      }
      if (k.kind === 'negation') visit(k.body, depth + 1, [...scopes, k.body]);
      if (k.kind === 'disjunction') for (const b of k.branches) visit(b, depth + 1, [...scopes, b]);
    }
  };
  visit(root, 0, [root]);
  const check = (c: Conjunction) => {
    for (const [name, kind] of c.variables) {
      if (kind === 'value' && !assignedIn.has(name)) {
        throw new StrataError('QRY', 21, `The value variable '?${name}' is never assigned to.`);
      }
    }
    for (const k of c.constraints) {
      if (k.kind === 'negation') check(k.body);
      if (k.kind === 'disjunction') k.branches.forEach(check);
    }
  };
  check(root);
  for (const start of depends.keys()) {
    const path: string[] = [];
    const walk = (v: string): void => {
      if (path.includes(v)) {
        throw new StrataError('QRY', 23, `A cyclic assignment between value variables was detected: '${[...path, v].map((x) => '?' + x).join(' -> ')}'.`);
      }
      path.push(v);
      for (const d of depends.get(v) ?? []) walk(d);
      path.pop();
    };
    walk(start);
  }
}
