// The data checks a schema change asks for, answered from the transaction's view of the things.
import type { InstanceChecks, SchemaReader, SchemaType } from '../schema/api.js';
import type { ThingReader } from '../concept/things.js';

export class ViewInstanceChecks implements InstanceChecks {
  constructor(
    private readonly schema: () => SchemaReader,
    private readonly things: () => ThingReader,
  ) {}

  hasInstances(type: SchemaType): boolean {
    const schema = this.schema();
    const things = this.things();
    if (type.root === 'role') {
      for (const relation of schema.all()) {
        if (relation.root !== 'relation' || !schema.relates(relation).some((r) => r.id === type.id)) continue;
        for (const r of things.instances(relation)) for (const _ of things.rolePlayers(r, type)) return true;
      }
      return false;
    }
    if (type.isMeta) return false;
    return things.countInstances(type, 1) > 0;
  }

  hasOwnerships(owner: SchemaType, attribute: SchemaType): boolean {
    const schema = this.schema();
    const things = this.things();
    const attributeTypes = schema.subtypes(attribute);
    for (const o of schema.subtypes(owner)) {
      if (o.isMeta || o.root === 'role') continue;
      for (const thing of things.instances(o)) {
        for (const a of attributeTypes) for (const _ of things.ownedAttributes(thing.iid, a)) return true;
      }
    }
    return false;
  }

  hasRolePlayers(player: SchemaType, role: SchemaType): boolean {
    const schema = this.schema();
    const things = this.things();
    const roles = schema.subtypes(role);
    for (const p of schema.subtypes(player)) {
      if (p.isMeta || p.root === 'role') continue;
      for (const thing of things.instances(p)) for (const r of roles) for (const _ of things.relationsOf(thing, r)) return true;
    }
    return false;
  }
}
