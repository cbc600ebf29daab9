// The variables the statements of a write clause (insert, delete) name as written, before compiling: what the
// write takes from its match, and what its checks look at.
import type { Predicate, Statement, Variable } from '../typeql/ast.js';

/**
 * The variables a statement names: a thing statement's subject, role players and role variables, type variable,
 * owned attributes and compared values; a value statement's own variable. Anonymous `$_` included.
 */
export function writeStatementVariables(s: Statement): Variable[] {
  if (s.kind === 'value-statement') return [s.variable];
  if (s.kind !== 'thing-statement') return [];
  const variables: (Variable | undefined)[] = [
    s.variable,
    ...(s.relation ?? []).flatMap((rp) => [rp.role?.kind === 'concept-var' ? rp.role : undefined, rp.player]),
    s.isa?.type.kind === 'concept-var' ? s.isa.type : undefined,
    ...s.has.map((h) => (h.value.kind === 'concept-var' || h.value.kind === 'value-var' ? h.value : variableOperand(h.value))),
    s.predicate ? variableOperand(s.predicate) : undefined,
  ];
  return variables.filter((v): v is Variable => v !== undefined);
}

/** The names of the named variables a write clause's statements name, each once. */
export function writeClauseVariableNames(statements: readonly Statement[]): string[] {
  const names = new Set<string>();
  for (const s of statements) for (const v of writeStatementVariables(s)) if (v.name !== '_') names.add(v.name);
  return [...names];
}

function variableOperand(p: Predicate): Variable | undefined {
  return p.kind === 'compare' && (p.operand.kind === 'concept-var' || p.operand.kind === 'value-var') ? p.operand : undefined;
}
