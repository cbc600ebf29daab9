// The units the matcher's planner compares next steps in: roughly the things a step reads per answer so far.
export const CHEAP = 1;
/** Following an edge from a bound thing (its attributes, one relation's players). */
export const EDGE_COST = 8;
export const UNBOUNDED = 1e12;

/** Enumerating every instance of types with `instances` instances in all. */
export const scanCost = (instances: number) => 100 + instances * 10;
/**
 * The owners of one attribute value counted when weighing its lookup, at most: past this many, any plan starting from
 * it is dear, and counting a value millions of things share (`has active true`) took ~40 ms a query.
 */
export const OWNERS_COUNTED = 10_000;
