// A JavaScript regex source made case-insensitive for ASCII letters without the `i` flag (`a` → `[aA]`), which
// V8's linear-time engine does not take. ASCII-only is also Java's `(?i)` without UNICODE_CASE.

const LOWER = /^[a-z]$/;
const UPPER = /^[A-Z]$/;
const isLetter = (c: string) => LOWER.test(c) || UPPER.test(c);
const swapCase = (c: string) => (LOWER.test(c) ? c.toUpperCase() : c.toLowerCase());

/** An escape with what its letters belong to: `\u00e9`, `\x41`, `\cA`, `\k<name>`, `\d`. */
const ESCAPE = /^\\(?:u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[a-zA-Z]|k<[^>]*>|.)/s;

/**
 * The source with every ASCII letter matching both cases, or undefined for what this does not rewrite (a class
 * range with an escape at either end or covering only some letters, other than `a-z`-like ranges of one case).
 */
export function asciiCaseless(source: string): string | undefined {
  let out = '';
  let inClass = false;
  /** Inside a class: the last atom if it was a plain character (a range may follow it). */
  let lastAtom: string | undefined;
  for (let i = 0; i < source.length; ) {
    const c = source[i]!;
    if (c === '\\') {
      const escape = ESCAPE.exec(source.slice(i, i + 12))![0];
      // `\x41`, `\u0061`: a letter written as its code.
      const coded = /^\\[xu]/.test(escape) ? String.fromCharCode(parseInt(escape.slice(2), 16)) : '';
      const other = isLetter(coded) ? `\\x${swapCase(coded).charCodeAt(0).toString(16)}` : '';
      // A range from an escape (`[\x61-\x7a]`) is not rewritten.
      if (inClass && source[i + escape.length] === '-' && source[i + escape.length + 1] !== ']') return undefined;
      out += other === '' ? escape : inClass ? escape + other : `[${escape}${other}]`;
      i += escape.length;
      lastAtom = undefined;
      continue;
    }
    if (!inClass && source.startsWith('(?<', i) && !source.startsWith('(?<=', i) && !source.startsWith('(?<!', i)) {
      const end = source.indexOf('>', i);
      out += source.slice(i, end + 1); // a group name: its letters are not matched
      i = end + 1;
      continue;
    }
    if (inClass && c === '-' && lastAtom !== undefined && source[i + 1] !== ']') {
      const end = source[i + 1]!;
      if (end === '\\') return undefined;
      const range = caselessRange(lastAtom, end);
      if (range === undefined) return undefined;
      // The start letter was written with its other case: that case goes after the range instead.
      out = (isLetter(lastAtom) ? out.slice(0, -1) : out) + range;
      i += 2;
      lastAtom = undefined;
      continue;
    }
    if (c === '[' && !inClass) {
      inClass = true;
      out += source.startsWith('[^', i) ? '[^' : '[';
      i += source.startsWith('[^', i) ? 2 : 1;
      lastAtom = undefined;
      continue;
    }
    if (c === ']' && inClass) inClass = false;
    if (isLetter(c)) out += inClass ? `${c}${swapCase(c)}` : `[${c}${swapCase(c)}]`;
    else out += c;
    lastAtom = inClass ? c : undefined;
    i++;
  }
  return out;
}

/**
 * What to write after a range's start (already written, with its other case when a letter) for `-end`: the range
 * and, for a range of letters of one case, the same range in the other case.
 */
function caselessRange(start: string, end: string): string | undefined {
  if ((LOWER.test(start) && LOWER.test(end)) || (UPPER.test(start) && UPPER.test(end))) {
    return `-${end}${swapCase(start)}-${swapCase(end)}`;
  }
  if (isLetter(start) || isLetter(end)) return undefined;
  const covers = (from: string, to: string) => start <= from && end >= to;
  const touches = (from: string, to: string) => start <= to && end >= from;
  const upper = touches('A', 'Z');
  const lower = touches('a', 'z');
  // Letters it holds in one case only would need their other case too.
  if ((upper || lower) && !(covers('A', 'Z') && covers('a', 'z'))) return undefined;
  return `-${end}`;
}
