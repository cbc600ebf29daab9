// The data checks a schema change asks for, answered from the transaction's view of the things. Each check is a
// question (checkQuestion): what it needs from the schema is read when it is asked, and names it (its key); the
// data is then read as work in steps (common/steps.ts), so that a server can pause it (answering-checks.ts, and a
// schema commit's checks).
import type { InstanceChecks, OwnershipRequirement, OwnershipViolation, SchemaReader, SchemaType } from '../schema/api.js';
import type { ThingReader } from '../concept/things.js';
import { wholeMatchRegex } from '../common/java-regex.js';
import type { IID } from '../encoding/index.js';
import type { SteppedInstanceChecks } from '../concept/schema-change-validation.js';
import { PENDING, runSteps, type Steps } from '../common/steps.js';

/** Reads (about one range read each) between two pause points. */
const READS_PER_STEP = 64;

/**
 * One check of the data: `key` names it with everything it read from the schema (a check asked again after the
 * schema changed is another question); `steps` reads the data and gives the answer.
 */
export interface CheckQuestion<T> {
  readonly key: string;
  readonly steps: Steps<T>;
}

const ids = (types: readonly SchemaType[]) => types.map((t) => t.id).join(',');

/** Counts reads and says when a pause is due. */
class ReadCounter {
  private reads = 0;
  due(reads = 1): boolean {
    this.reads += reads;
    if (this.reads < READS_PER_STEP) return false;
    this.reads = 0;
    return true;
  }
}

/** InstanceChecks that ask `questions` and answer each as `answer` does (at once, or within a few steps). */
export abstract class AnsweredChecks implements InstanceChecks {
  /** The checks' questions (ViewInstanceChecks's, over the transaction's view). */
  protected abstract readonly questions: ViewInstanceChecks;
  protected abstract answer<T>(question: CheckQuestion<T>): T;

  hasInstances(type: SchemaType): boolean {
    return this.answer(this.questions.hasInstancesQuestion(type));
  }
  hasOwnerships(owner: SchemaType, attribute: SchemaType): boolean {
    return this.answer(this.questions.hasOwnershipsQuestion(owner, attribute));
  }
  hasRolePlayers(player: SchemaType, role: SchemaType): boolean {
    return this.answer(this.questions.hasRolePlayersQuestion(player, role));
  }
  hasExactOwnerships(owner: SchemaType, attribute: SchemaType): boolean {
    return this.answer(this.questions.hasExactOwnershipsQuestion(owner, attribute));
  }
  hasExactRolePlayers(player: SchemaType, role: SchemaType): boolean {
    return this.answer(this.questions.hasExactRolePlayersQuestion(player, role));
  }
  ownershipViolation(owner: SchemaType, attribute: SchemaType, requirement: OwnershipRequirement): OwnershipViolation | undefined {
    return this.answer(this.questions.ownershipViolationQuestion(owner, attribute, requirement));
  }
  regexViolation(attribute: SchemaType, regex: string): string | undefined {
    return this.answer(this.questions.regexViolationQuestion(attribute, regex));
  }
  hasRelationRolePlayers(relation: SchemaType, role: SchemaType): boolean {
    return this.answer(this.questions.hasRelationRolePlayersQuestion(relation, role));
  }
}

/** The checks over the transaction's view, answered at once (each question run to its end). */
export class ViewInstanceChecks extends AnsweredChecks implements SteppedInstanceChecks {
  protected readonly questions: ViewInstanceChecks = this;

  constructor(
    private readonly schema: () => SchemaReader,
    private readonly things: () => ThingReader,
  ) {
    super();
  }

  protected answer<T>(question: CheckQuestion<T>): T {
    return runSteps(question.steps);
  }

  hasInstancesQuestion(type: SchemaType): CheckQuestion<boolean> {
    const schema = this.schema();
    const things = this.things();
    if (type.root === 'role') {
      const relations = [...schema.all()].filter((relation) => relation.root === 'relation' && schema.relates(relation).some((r) => r.id === type.id));
      return {
        key: `instances:${type.id}:${ids(relations)}`,
        steps: (function* (): Steps<boolean> {
          const counter = new ReadCounter();
          for (const relation of relations) {
            for (const r of things.instances(relation)) {
              for (const _ of things.rolePlayers(r, type)) return true;
              if (counter.due()) yield PENDING;
            }
          }
          return false;
        })(),
      };
    }
    // eslint-disable-next-line require-yield -- one count: nothing to pause for
    const steps = (function* (): Steps<boolean> {
      if (type.isMeta) return false;
      return things.countInstances(type, 1) > 0;
    })();
    return { key: `instances:${type.id}`, steps };
  }

  hasOwnershipsQuestion(owner: SchemaType, attribute: SchemaType): CheckQuestion<boolean> {
    const schema = this.schema();
    const things = this.things();
    const attributeTypes = schema.subtypes(attribute);
    const owners = schema.subtypes(owner).filter((o) => !o.isMeta && o.root !== 'role');
    return {
      key: `ownerships:${ids(owners)}:${ids(attributeTypes)}`,
      steps: (function* (): Steps<boolean> {
        const counter = new ReadCounter();
        for (const o of owners) {
          for (const thing of things.instances(o)) {
            for (const a of attributeTypes) for (const _ of things.ownedAttributes(thing.iid, a)) return true;
            if (counter.due(attributeTypes.length)) yield PENDING;
          }
        }
        return false;
      })(),
    };
  }

  hasRolePlayersQuestion(player: SchemaType, role: SchemaType): CheckQuestion<boolean> {
    const schema = this.schema();
    const things = this.things();
    const roles = schema.subtypes(role);
    const players = schema.subtypes(player).filter((p) => !p.isMeta && p.root !== 'role');
    return {
      key: `players:${ids(players)}:${ids(roles)}`,
      steps: (function* (): Steps<boolean> {
        const counter = new ReadCounter();
        for (const p of players) {
          for (const thing of things.instances(p)) {
            for (const r of roles) for (const _ of things.relationsOf(thing, r)) return true;
            if (counter.due(roles.length)) yield PENDING;
          }
        }
        return false;
      })(),
    };
  }

  hasExactOwnershipsQuestion(owner: SchemaType, attribute: SchemaType): CheckQuestion<boolean> {
    const things = this.things();
    return {
      key: `exact-ownerships:${owner.id}:${attribute.id}`,
      steps: (function* (): Steps<boolean> {
        if (owner.isMeta || owner.root === 'role' || attribute.isMeta) return false;
        const counter = new ReadCounter();
        for (const thing of things.instances(owner)) {
          if (things.ownsAnyOf(thing.iid, attribute)) return true;
          if (counter.due()) yield PENDING;
        }
        return false;
      })(),
    };
  }

  hasExactRolePlayersQuestion(player: SchemaType, role: SchemaType): CheckQuestion<boolean> {
    const things = this.things();
    return {
      key: `exact-players:${player.id}:${role.id}`,
      steps: (function* (): Steps<boolean> {
        if (player.isMeta || player.root === 'role') return false;
        const counter = new ReadCounter();
        for (const thing of things.instances(player)) {
          if (things.playsRole(thing.iid, role)) return true;
          if (counter.due()) yield PENDING;
        }
        return false;
      })(),
    };
  }

  ownershipViolationSteps(owner: SchemaType, attribute: SchemaType, requirement: OwnershipRequirement): Steps<OwnershipViolation | undefined> {
    return this.ownershipViolationQuestion(owner, attribute, requirement).steps;
  }

  ownershipViolationQuestion(owner: SchemaType, attribute: SchemaType, requirement: OwnershipRequirement): CheckQuestion<OwnershipViolation | undefined> {
    const things = this.things();
    // As TypeDB's Attribute.getOwners(ownerType): an attribute of an `owner` instance is not unique when any other
    // instance of `owner` or of one of its subtypes owns it too.
    const ownerTypes = requirement === 'key-cardinality' ? [] : this.schema().subtypes(owner).filter((t) => !t.isMeta);
    const ownedMoreThanOnce = (attribute: IID): boolean => {
      let owners = 0;
      for (const type of ownerTypes) for (const _ of things.ownersOfType(attribute, type)) if (++owners > 1) return true;
      return false;
    };
    return {
      key: `ownership-violation:${owner.id}:${attribute.id}:${requirement}:${ids(ownerTypes)}`,
      steps: (function* (): Steps<OwnershipViolation | undefined> {
        // Each instance reads its attributes, then their owners of each owner type: pause points go by reads.
        const counter = new ReadCounter();
        for (const thing of things.instances(owner)) {
          const owned = [...things.ownedAttributes(thing.iid, attribute)];
          if (requirement !== 'unique') {
            if (owned.length === 0) return 'missing';
            if (owned.length > 1) return 'too-many';
          }
          if (ownerTypes.length > 0 && owned.some((a) => ownedMoreThanOnce(a.iid))) return 'not-unique';
          if (counter.due(1 + owned.length * ownerTypes.length)) yield PENDING;
        }
        return undefined;
      })(),
    };
  }

  regexViolationSteps(attribute: SchemaType, regex: string): Steps<string | undefined> {
    return this.regexViolationQuestion(attribute, regex).steps;
  }

  regexViolationQuestion(attribute: SchemaType, regex: string): CheckQuestion<string | undefined> {
    const things = this.things();
    const types = this.schema().subtypes(attribute).filter((type) => !type.isMeta);
    return {
      key: `regex-violation:${ids(types)}:${regex}`,
      steps: (function* (): Steps<string | undefined> {
        const pattern = wholeMatchRegex(regex);
        const counter = new ReadCounter();
        for (const type of types) {
          for (const a of things.instances(type)) {
            const value = things.attributeValue(a.iid);
            if (value.type === 'string' && !pattern.test(value.value)) return value.value;
            if (counter.due()) yield PENDING;
          }
        }
        return undefined;
      })(),
    };
  }

  hasRelationRolePlayersQuestion(relation: SchemaType, role: SchemaType): CheckQuestion<boolean> {
    const things = this.things();
    return {
      key: `relation-players:${relation.id}:${role.id}`,
      steps: (function* (): Steps<boolean> {
        const counter = new ReadCounter();
        for (const r of things.instances(relation)) {
          for (const _ of things.rolePlayers(r, role)) return true;
          if (counter.due()) yield PENDING;
        }
        return false;
      })(),
    };
  }
}
