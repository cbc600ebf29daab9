// Type labels and root kinds: how the schema names its types (the layers above reuse these).

export type TypeRoot = 'thing' | 'entity' | 'relation' | 'attribute' | 'role';

export interface TypeLabel {
  readonly scope?: string; // the relation type of a role type
  readonly name: string;
}

/** `name`, or `scope:name` for a role type. */
export function labelText(label: TypeLabel): string {
  return label.scope === undefined ? label.name : `${label.scope}:${label.name}`;
}
