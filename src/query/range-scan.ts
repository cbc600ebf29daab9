// Reading an attribute variable's candidates from the ranges of values its comparisons with constants allow
// (value-ranges.ts), with an estimate of how many that is for the planner; and reading them in value order, for a
// sort that can then stop early.
import type { SchemaType } from '../schema/api.js';
import type { Thing, ThingReader } from '../concept/things.js';
import type { Value } from '../common/values.js';
import type { Conjunction } from './ir.js';
import { OWNERS_COUNTED } from './plan-costs.js';
import { attributeBounds, isRangeComparator, type ConstantComparison, type ValueBounds } from './value-ranges.js';

export interface RangeScan {
  /** How many attributes it reads, about: counted exactly up to COUNT_LIMIT, else as many as a scan would read. */
  readonly estimate: number;
  /**
   * How many owners the attributes it reads have in all, counted up to OWNERS_COUNTED from the ownership keys (once,
   * when first asked): what a step reading their owners after it reads.
   */
  owners(): number;
  read(): Generator<Thing>;
  /** The same attributes in value order, when they are of one type and its keys are in that order (inValueOrder). */
  inOrder(): InValueOrder | undefined;
}

/** Reads attributes in value order, ascending or descending. */
export type InValueOrder = (descending: boolean) => Generator<Thing>;

/** Planning counts a range's keys up to this many: enough to tell a narrow range from a wide one. */
const COUNT_LIMIT = 1024;

/** The comparisons of `variable` with constants that bound it (`$s > 99.5`, not `$s != 3` nor `$s > $t`). */
export function rangeComparisons(conjunction: Conjunction, variable: string): ConstantComparison[] {
  const out: ConstantComparison[] = [];
  for (const c of conjunction.constraints) {
    if (c.kind === 'compare' && c.left === variable && c.right.kind === 'value' && isRangeComparator(c.op)) {
      out.push({ op: c.op, value: c.right.value });
    }
  }
  return out;
}

/**
 * The scan of `types` narrowed by the comparisons; undefined when they narrow none of them (a plain scan of the
 * types then reads the same). Types none of whose values can satisfy them are not read at all.
 */
export function rangeScan(
  things: ThingReader,
  types: readonly SchemaType[],
  comparisons: readonly ConstantComparison[],
  instanceCount: (type: SchemaType) => number,
): RangeScan | undefined {
  const reads: { type: SchemaType; ranges?: readonly ValueBounds[] }[] = [];
  let narrowed = false;
  let estimate = 0;
  for (const type of types) {
    const ranges = attributeBounds(type, comparisons);
    if (ranges === 'none') {
      narrowed = true;
      continue;
    }
    if (ranges === undefined) {
      reads.push({ type });
      estimate += instanceCount(type);
      continue;
    }
    narrowed = true;
    reads.push({ type, ranges });
    let counted = 0;
    for (const { lower, upper } of ranges) counted += things.countAttributesBetween(type, lower, upper, COUNT_LIMIT);
    estimate += counted >= COUNT_LIMIT ? Math.max(counted, instanceCount(type)) : counted;
  }
  if (!narrowed) return undefined;
  let owners: number | undefined;
  const countOwners = () => {
    let n = 0;
    for (const { type, ranges } of reads) {
      for (const { lower, upper } of ranges ?? [{}]) if (n < OWNERS_COUNTED) n += things.countOwnersBetween(type, lower, upper, OWNERS_COUNTED - n);
    }
    return n;
  };
  return {
    estimate,
    owners: () => (owners ??= countOwners()),
    *read() {
      for (const { type, ranges } of reads) {
        if (ranges === undefined) yield* things.instances(type);
        else for (const { lower, upper } of ranges) yield* things.attributesBetween(type, lower, upper);
      }
    },
    inOrder: () => (reads.length === 1 ? inValueOrder(things, reads[0]!.type, reads[0]!.ranges) : undefined),
  };
}

/** Value types whose attribute keys sort as a sort compares their values. */
const KEY_ORDERED = new Set(['long', 'double', 'datetime', 'boolean']);
const POSITIVE_INFINITY: Value = { type: 'double', value: Infinity };
const NEGATIVE_INFINITY: Value = { type: 'double', value: -Infinity };

/**
 * Reads the attributes of `type` within `ranges` (ascending, disjoint; all of them when undefined) in value order;
 * undefined when their keys are not in the order a sort compares values in: strings (keyed by length first), and
 * doubles once a NaN is stored (it compares equal to every value, yet is keyed beyond the infinities).
 */
export function inValueOrder(things: ThingReader, type: SchemaType, ranges: readonly ValueBounds[] = [{}]): InValueOrder | undefined {
  if (!KEY_ORDERED.has(type.valueType ?? '') || (type.valueType === 'double' && holdsNaN(things, type))) return undefined;
  return function* (descending) {
    for (const { lower, upper } of descending ? [...ranges].reverse() : ranges) yield* things.attributesBetween(type, lower, upper, descending);
  };
}

/** Whether a double attribute type has a value keyed beyond +Infinity or below -Infinity: a NaN. */
function holdsNaN(things: ThingReader, type: SchemaType): boolean {
  const beyond = (infinity: Value, above: boolean) => {
    const counted = things.countAttributesBetween(type, above ? infinity : undefined, above ? undefined : infinity, 2);
    return counted > (things.getAttribute(type, infinity) === undefined ? 0 : 1);
  };
  return beyond(POSITIVE_INFINITY, true) || beyond(NEGATIVE_INFINITY, false);
}
