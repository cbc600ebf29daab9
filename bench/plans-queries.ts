// The random match queries of bench:plans: a few thing variables joined through relations and `has`, with value
// filters (a range, or a value bound: the dataset's most common one or a rare one) and some players' types left to
// inference (a tagging's subject). Each query is a list of statements, so that it can be written in any order.
import { ENTITY_TYPES, OWNS, RELATIONS, valueLiteral, type AttributeType, type EntityType, type Random, type ValueCounts } from './plans-data.js';

export interface PlanQuery {
  readonly statements: readonly string[];
  /** The thing variables (without `$`), which the alternative orders bind. */
  readonly things: readonly string[];
}

export const queryText = (statements: readonly string[]) => `match ${statements.join(' ')} get;`;

/** A value of the attribute type: its most common one, a rare one, or any, by their frequencies in the dataset. */
function valueFor(random: Random, values: ValueCounts, attribute: AttributeType): string | number | undefined {
  const seen = [...(values.get(attribute) ?? new Map()).entries()].sort((a, b) => b[1] - a[1]);
  if (seen.length === 0) return undefined;
  const x = random.next();
  return x < 0.4 ? seen[0]![0] : x < 0.7 ? seen[seen.length - 1]![0] : random.pick(seen)[0];
}

/** A query of 2 to `maxThings` thing variables (or a few more: a relation step adds two). */
export function randomQuery(random: Random, values: ValueCounts, maxThings: number): PlanQuery {
  const statements: string[] = [];
  const things: { name: string; type: string | undefined }[] = [];
  let attributes = 0;
  const start = random.pick(ENTITY_TYPES.filter((t) => t !== 'topic'));
  things.push({ name: 'x0', type: start });
  statements.push(`$x0 isa ${start};`);
  const steps = 1 + random.int(3);
  for (let step = 0; step < steps && things.length < maxThings; step++) {
    const from = random.pick(things.filter((t) => t.type !== undefined));
    const plays = Object.entries(RELATIONS).flatMap(([relation, roles]) =>
      Object.entries(roles)
        .filter(([, players]) => players.includes(from.type as EntityType))
        .map(([role]) => ({ relation, role })),
    );
    if (random.next() < 0.6 && plays.length > 0 && things.length + 2 <= maxThings) {
      const { relation, role } = random.pick(plays);
      const roles = RELATIONS[relation]!;
      const other = Object.keys(roles).find((r) => r !== role) ?? role;
      const otherTypes = roles[other]!;
      const [r, y] = [`r${things.length}`, `x${things.length + 1}`];
      // The other player's type is sometimes left to inference: every type that plays its role.
      const typed = otherTypes.length === 1 || random.next() < 0.6;
      const yType = typed ? random.pick(otherTypes) : undefined;
      things.push({ name: r, type: relation }, { name: y, type: yType });
      statements.push(`$${r} (${role}: $${from.name}, ${other}: $${y}) isa ${relation};`);
      if (yType !== undefined) statements.push(`$${y} isa ${yType};`);
    } else {
      const owned = OWNS[from.type!] ?? [];
      if (owned.length === 0) continue;
      const attribute = random.pick(owned);
      const a = `a${attributes++}`;
      const value = valueFor(random, values, attribute);
      const filter = random.next();
      if (value !== undefined && filter < 0.35) statements.push(`$${from.name} has ${attribute} ${valueLiteral(value, attribute)};`);
      else {
        statements.push(`$${from.name} has ${attribute} $${a};`);
        if (value !== undefined && filter < 0.55) statements.push(`$${a} ${valueLiteral(value, attribute)};`);
        else if (value !== undefined && filter < 0.75 && typeof value === 'number') statements.push(`$${a} ${random.next() < 0.5 ? '>' : '<'} ${valueLiteral(value, attribute)};`);
        things.push({ name: a, type: undefined });
      }
    }
  }
  return { statements, things: things.map((t) => t.name) };
}

/** The statements in a random order: an equivalent query, whose answers must be the same. */
export function shuffled(random: Random, statements: readonly string[]): string[] {
  const out = [...statements];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Every order of the variables, or `limit` random ones (the first the given order) when there are more. */
export function orders(random: Random, variables: readonly string[], limit: number): string[][] {
  const all: string[][] = [];
  const permute = (prefix: string[], rest: string[]) => {
    if (all.length > limit) return;
    if (rest.length === 0) all.push(prefix);
    rest.forEach((v, i) => permute([...prefix, v], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute([], [...variables]);
  if (all.length <= limit) return all;
  return [[...variables], ...Array.from({ length: limit - 1 }, () => shuffled(random, variables))];
}
