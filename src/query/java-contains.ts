// TypeQL's `contains`, as TypeDB runs it in Java: String.regionMatches(ignoreCase = true) at every position, which
// compares one UTF-16 unit at a time, equal when equal as they are, upper-cased, or upper- then lower-cased
// (Character.toUpperCase/toLowerCase: one unit to one unit, so 'ß' stays 'ß' and 'İ' lowers to 'i'). TypeDB only
// tries a position whose unit is the pattern's first unit lower- or upper-cased, so a value whose match starts with
// another case form ('ı' for "i", 'ſ' for "s", the titlecase 'ǅ' itself) is not found there.

/** A `contains` test: `pattern` occurs in the value, ignoring case as Java does. */
export function javaContains(pattern: string): { test(value: string): boolean } {
  return {
    test(value: string): boolean {
      if (pattern.length === 0) return true;
      const firstLower = lower(pattern.charAt(0));
      const firstUpper = upper(pattern.charAt(0));
      const last = value.length - pattern.length;
      for (let at = 0; at <= last; at++) {
        const first = value.charAt(at);
        if (first !== firstLower && first !== firstUpper) continue;
        if (regionMatchesIgnoreCase(value, at, pattern)) return true;
      }
      return false;
    },
  };
}

function regionMatchesIgnoreCase(value: string, at: number, pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const a = value.charAt(at + i);
    const b = pattern.charAt(i);
    if (a === b) continue;
    const upperA = upper(a);
    const upperB = upper(b);
    if (upperA === upperB) continue;
    if (lower(upperA) === lower(upperB)) continue;
    return false;
  }
  return true;
}

/** Character.toUpperCase of one UTF-16 unit: a mapping to more than one unit leaves it as it is. */
function upper(unit: string): string {
  const mapped = unit.toUpperCase();
  return mapped.length === 1 ? mapped : unit;
}

/** Character.toLowerCase of one UTF-16 unit ('İ' has the one-unit mapping 'i', where JS gives 'i' and a dot). */
function lower(unit: string): string {
  if (unit === '\u0130') return 'i';
  const mapped = unit.toLowerCase();
  return mapped.length === 1 ? mapped : unit;
}
