// Step assertions that fail with exactly the given message. (node:assert's equal/ok attach actual/expected
// values, and cucumber's formatter then prints a bare diff such as "-0 +1" instead of the message.)
import { AssertionError } from 'node:assert';

export function ensure(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new AssertionError({ message: typeof message === 'string' ? message : message() });
}

export function ensureSame(actual: readonly unknown[], expected: readonly unknown[], what: string): void {
  ensure(
    actual.length === expected.length && actual.every((a, i) => a === expected[i]),
    () => `${what}: expected [${expected.join(', ')}], got [${actual.join(', ')}]`,
  );
}
