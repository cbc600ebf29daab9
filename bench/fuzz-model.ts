// What a .typedb file says, free of its IDs, for the import fuzzer's check of a successful import: the items of
// the mutant (read by the reference reader) and those of the database's export must describe the same things.
// Attributes are named by type and value; other things by their type and what they own, relations also by their
// players. The import's rules apply to the file's side: attribute items of one type and value are one attribute,
// owning the union of what they own; ownerships are a set; players a multiset; a role is named by the part of
// its label after ':', scoped by its relation's label (TypeDB 2.x's importer looks roles up by that part, and an
// export scopes an inherited role by the supertype that declares it).
import type { Value } from '../src/common/values.js';
import type { Item } from '../src/migration/index.js';

function valueText(v: Value): string {
  return `${v.type}:${v.type === 'double' && Object.is(v.value, -0) ? 0 : String(v.value)}`;
}

/** Sorted lines, one per thing (attributes: one per distinct type and value). */
export function contentModel(items: readonly Item[]): string[] {
  const attributeName = new Map<string, string>();
  for (const item of items) if (item.kind === 'attribute') attributeName.set(item.id, `${item.label}=${valueText(item.value)}`);
  const attrOwns = new Map<string, Set<string>>();
  for (const item of items) {
    if (item.kind !== 'attribute') continue;
    const name = attributeName.get(item.id)!;
    const owns = attrOwns.get(name) ?? new Set<string>();
    attrOwns.set(name, owns);
    for (const id of item.ownerships) owns.add(attributeName.get(id) ?? `?${id}`);
  }
  // Entities and relations: named by label and owned attributes (one level), then relations by their players.
  const thingName = new Map<string, string>();
  for (const item of items) {
    if (item.kind !== 'entity' && item.kind !== 'relation') continue;
    const owns = [...new Set(item.ownerships.map((id) => attributeName.get(id) ?? `?${id}`))].sort();
    thingName.set(item.id, `${item.label}{${owns.join(',')}}`);
  }
  const nameOf = (id: string) => attributeName.get(id) ?? thingName.get(id) ?? `?${id}`;
  const lines: string[] = [];
  for (const [name, owns] of attrOwns) lines.push(`attribute ${name} owns [${[...owns].sort().join(',')}]`);
  for (const item of items) {
    if (item.kind === 'entity') lines.push(`entity ${thingName.get(item.id)}`);
    if (item.kind !== 'relation') continue;
    const players: string[] = [];
    for (const role of item.roles) {
      const scoped = `${item.label}:${role.label.slice(role.label.lastIndexOf(':') + 1)}`;
      for (const id of role.players) players.push(`${scoped}=${nameOf(id)}`);
    }
    lines.push(`relation ${thingName.get(item.id)} players [${players.sort().join(',')}]`);
  }
  return lines.sort();
}
