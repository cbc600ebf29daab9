// `fetch answers are`: JSON equality where arrays are multisets at every level, objects need exactly the same
// keys, and primitives compare with === after JSON.parse (so 10 and 10.0 are equal).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonEquals(expected: unknown, actual: unknown): boolean {
  return jsonMismatch(expected, actual, '$') === undefined;
}

/** Where the two documents first differ, or undefined when they are equal. */
export function jsonMismatch(expected: unknown, actual: unknown, path: string): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${show(actual)}`;
    if (expected.length !== actual.length) {
      return `${path}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`;
    }
    // equality is an equivalence relation, so removing the first equal element never blocks a later match
    const remaining = [...actual];
    for (const [i, element] of expected.entries()) {
      const at = remaining.findIndex((candidate) => jsonMismatch(element, candidate, path) === undefined);
      if (at < 0) {
        const hint = remaining.length === 1 ? `; differs: ${jsonMismatch(element, remaining[0], `${path}[*]`)}` : '';
        return `${path}: no actual element equals expected element [${i}] ${show(element)}${hint}`;
      }
      remaining.splice(at, 1);
    }
    return undefined;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return `${path}: expected an object, got ${show(actual)}`;
    const expectedKeys = Object.keys(expected);
    const actualKeys = Object.keys(actual);
    const missing = expectedKeys.filter((k) => !Object.hasOwn(actual, k));
    const extra = actualKeys.filter((k) => !Object.hasOwn(expected, k));
    if (missing.length > 0 || extra.length > 0) {
      return `${path}: keys differ (missing: [${missing.join(', ')}], unexpected: [${extra.join(', ')}])`;
    }
    for (const key of expectedKeys) {
      const mismatch = jsonMismatch(expected[key], actual[key], `${path}.${key}`);
      if (mismatch !== undefined) return mismatch;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value as Json, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
