// The data checks a schema change asks for, answered from the transaction's view of the things.
import type { InstanceChecks, OwnershipRequirement, OwnershipViolation, SchemaReader, SchemaType } from '../schema/api.js';
import type { ThingReader } from '../concept/things.js';
import { wholeMatchRegex } from '../common/java-regex.js';
import type { IID } from '../encoding/index.js';
import type { SteppedInstanceChecks } from '../concept/schema-change-validation.js';
import { PENDING, runSteps, type Steps } from '../common/steps.js';

/** Reads (about one range read each) between two pause points of the stepped checks (SteppedInstanceChecks). */
const READS_PER_STEP = 64;

export class ViewInstanceChecks implements InstanceChecks, SteppedInstanceChecks {
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

  hasExactOwnerships(owner: SchemaType, attribute: SchemaType): boolean {
    if (owner.isMeta || owner.root === 'role' || attribute.isMeta) return false;
    const things = this.things();
    for (const thing of things.instances(owner)) if (things.ownsAnyOf(thing.iid, attribute)) return true;
    return false;
  }

  hasExactRolePlayers(player: SchemaType, role: SchemaType): boolean {
    if (player.isMeta || player.root === 'role') return false;
    const things = this.things();
    for (const thing of things.instances(player)) if (things.playsRole(thing.iid, role)) return true;
    return false;
  }

  ownershipViolation(owner: SchemaType, attribute: SchemaType, requirement: OwnershipRequirement): OwnershipViolation | undefined {
    return runSteps(this.ownershipViolationSteps(owner, attribute, requirement));
  }

  *ownershipViolationSteps(owner: SchemaType, attribute: SchemaType, requirement: OwnershipRequirement): Steps<OwnershipViolation | undefined> {
    const things = this.things();
    // As TypeDB's Attribute.getOwners(ownerType): an attribute of an `owner` instance is not unique when any other
    // instance of `owner` or of one of its subtypes owns it too.
    const ownerTypes = requirement === 'key-cardinality' ? [] : this.schema().subtypes(owner).filter((t) => !t.isMeta);
    // Each instance reads its attributes, then their owners of each owner type: pause points go by reads.
    let reads = 0;
    for (const thing of things.instances(owner)) {
      const owned = [...things.ownedAttributes(thing.iid, attribute)];
      if (requirement !== 'unique') {
        if (owned.length === 0) return 'missing';
        if (owned.length > 1) return 'too-many';
      }
      if (ownerTypes.length > 0 && owned.some((a) => this.ownedMoreThanOnce(a.iid, ownerTypes))) return 'not-unique';
      reads += 1 + owned.length * ownerTypes.length;
      if (reads >= READS_PER_STEP) {
        reads = 0;
        yield PENDING;
      }
    }
    return undefined;
  }

  private ownedMoreThanOnce(attribute: IID, ownerTypes: readonly SchemaType[]): boolean {
    const things = this.things();
    let owners = 0;
    for (const type of ownerTypes) for (const _ of things.ownersOfType(attribute, type)) if (++owners > 1) return true;
    return false;
  }

  regexViolation(attribute: SchemaType, regex: string): string | undefined {
    return runSteps(this.regexViolationSteps(attribute, regex));
  }

  *regexViolationSteps(attribute: SchemaType, regex: string): Steps<string | undefined> {
    const schema = this.schema();
    let read = 0;
    const things = this.things();
    const pattern = wholeMatchRegex(regex);
    for (const type of schema.subtypes(attribute)) {
      if (type.isMeta) continue;
      for (const a of things.instances(type)) {
        const value = things.attributeValue(a.iid);
        if (value.type === 'string' && !pattern.test(value.value)) return value.value;
        if (++read % READS_PER_STEP === 0) yield PENDING;
      }
    }
    return undefined;
  }

  hasRelationRolePlayers(relation: SchemaType, role: SchemaType): boolean {
    const things = this.things();
    for (const r of things.instances(relation)) for (const _ of things.rolePlayers(r, role)) return true;
    return false;
  }
}
