// Type labels and root kinds: how the schema names its types (the layers above reuse these).

export type TypeRoot = 'thing' | 'entity' | 'relation' | 'attribute' | 'role';

/** TypeDB's class name of each root, as its type-casting errors print them. */
export const ROOT_CLASS: Readonly<Record<TypeRoot, string>> = {
  thing: 'ThingType',
  entity: 'EntityType',
  relation: 'RelationType',
  attribute: 'AttributeType',
  role: 'RoleType',
};

export interface TypeLabel {
  readonly scope?: string; // the relation type of a role type
  readonly name: string;
}

/** `name`, or `scope:name` for a role type. */
export function labelText(label: TypeLabel): string {
  return label.scope === undefined ? label.name : `${label.scope}:${label.name}`;
}
