// Commit-time revalidation of existing data after a schema transaction. Every schema mutation already checks the
// data it affects (as TypeDB does), but a sequence of mutations can still leave data behind that no single step
// was responsible for — e.g. an ownership redeclared on a subtype and then removed again. Before a schema commit,
// the data must be valid under the new schema; it was valid under the old one, so only what changed between the two
// is checked, and only for types that have instances:
// - types that became abstract, or were deleted, have no instances;
// - ownerships, played roles and related roles that a type no longer has are not used by its instances;
// - ownerships that became @key or @unique hold for the existing instances;
// - a changed regex matches the existing attributes.
// The checks read every instance of the types concerned, so they are work in steps (common/steps.ts): a server
// serves other clients while a schema commit checks a million things.
import type { StrataError } from '../common/errors.js';
import { PENDING, runSteps, type Steps } from '../common/steps.js';
import {
  TypeWrite,
  combinedError,
  type Ownership,
  type OwnershipRequirement,
  type OwnershipViolation,
  type SchemaReader,
  type SchemaType,
} from '../schema/index.js';
import { labelOf, type ThingReader } from './things.js';

/** The annotation and regex questions of InstanceChecks, as work in steps over every instance they read. */
export interface SteppedInstanceChecks {
  ownershipViolationSteps(owner: SchemaType, attribute: SchemaType, requirement: OwnershipRequirement): Steps<OwnershipViolation | undefined>;
  regexViolationSteps(attribute: SchemaType, regex: string): Steps<string | undefined>;
}

/** Instances read between two pause points. */
const INSTANCES_PER_STEP = 64;

/**
 * Throws every violation found (one combined error), or returns when the data fits the new schema. `things` reads
 * the transaction's view; `checks` answers the annotation and regex questions over the same view.
 */
export function validateDataAgainstSchemaChange(
  before: SchemaReader,
  after: SchemaReader,
  things: ThingReader,
  checks: SteppedInstanceChecks,
): void {
  runSteps(validateDataAgainstSchemaChangeSteps(before, after, things, checks));
}

/** validateDataAgainstSchemaChange as work in steps, with a pause point every few instances read. */
export function* validateDataAgainstSchemaChangeSteps(
  before: SchemaReader,
  after: SchemaReader,
  things: ThingReader,
  checks: SteppedInstanceChecks,
): Steps<void> {
  const errors: StrataError[] = [];
  for (const old of before.all()) {
    if (old.isMeta || old.root === 'role') continue;
    const now = after.byId(old.id);
    const hasInstances = things.countInstances(old, 1) > 0;
    if (!hasInstances) continue;
    if (!now) {
      errors.push(TypeWrite.typeHasInstancesDelete(labelOf(old)));
      continue;
    }
    yield* validateType(before, after, old, now, things, checks, errors);
  }
  if (errors.length > 0) throw combinedError(errors);
}

function* validateType(
  before: SchemaReader,
  after: SchemaReader,
  old: SchemaType,
  now: SchemaType,
  things: ThingReader,
  checks: SteppedInstanceChecks,
  errors: StrataError[],
): Steps<void> {
  if (now.abstract && !old.abstract) errors.push(TypeWrite.typeHasInstancesSetAbstract(labelOf(now)));

  const ownsNow = after.owns(now);
  for (const [attributeId, ownership] of before.owns(old)) {
    if (ownsNow.has(attributeId)) continue;
    if (yield* anyInstance(things, now, (iid) => things.ownsAnyOf(iid, ownership.attribute))) {
      errors.push(TypeWrite.invalidUndefineOwnsHasInstances(labelOf(now), labelOf(ownership.attribute)));
    }
  }
  const ownsBefore = before.owns(old);
  for (const [attributeId, ownership] of ownsNow) {
    const requirement = stricterRequirement(ownership, ownsBefore.get(attributeId));
    if (!requirement) continue;
    const violation = yield* checks.ownershipViolationSteps(now, ownership.attribute, requirement);
    const owner = labelOf(now);
    const attribute = labelOf(ownership.attribute);
    if (violation === 'missing') errors.push(TypeWrite.ownsKeyPreconditionMissing(owner, attribute));
    else if (violation === 'too-many') errors.push(TypeWrite.ownsKeyPreconditionTooMany(owner, attribute));
    else if (violation === 'not-unique') {
      errors.push(
        requirement === 'unique'
          ? TypeWrite.ownsUniquePrecondition(attribute, owner)
          : TypeWrite.ownsKeyPreconditionUniqueness(attribute, owner),
      );
    }
  }

  const playsNow = after.plays(now);
  for (const [roleId, playing] of before.plays(old)) {
    if (playsNow.has(roleId)) continue;
    if (yield* anyInstance(things, now, (iid) => things.playsRole(iid, playing.role))) {
      errors.push(TypeWrite.invalidUndefinePlaysHasInstances(labelOf(now), labelOf(playing.role)));
    }
  }

  if (now.root === 'relation') {
    const relatesNow = new Set(after.relates(now).map((role) => role.id));
    for (const role of before.relates(old)) {
      if (relatesNow.has(role.id)) continue;
      if (yield* anyInstance(things, now, (iid) => things.hasPlayerInRole(iid, role))) {
        errors.push(TypeWrite.invalidUndefineRelatesHasInstances(labelOf(role)));
      }
    }
  }

  if (now.root === 'attribute' && now.regex !== undefined && now.regex !== old.regex) {
    const value = yield* checks.regexViolationSteps(now, now.regex);
    if (value !== undefined) errors.push(TypeWrite.attributeRegexUnsatisfiesInstances(labelOf(now), now.regex, value));
  }
}

/** What existing data must newly satisfy when an ownership's effective annotations change from `old` to `now`. */
function stricterRequirement(now: Ownership, old: Ownership | undefined): OwnershipRequirement | undefined {
  if (now.key) {
    if (old?.key) return undefined;
    return old?.unique ? 'key-cardinality' : 'key';
  }
  if (now.unique && !old?.unique && !old?.key) return 'unique';
  return undefined;
}

function* anyInstance(things: ThingReader, type: SchemaType, test: (iid: Uint8Array) => boolean): Steps<boolean> {
  let read = 0;
  for (const thing of things.instances(type)) {
    if (test(thing.iid)) return true;
    if (++read % INSTANCES_PER_STEP === 0) yield PENDING;
  }
  return false;
}
