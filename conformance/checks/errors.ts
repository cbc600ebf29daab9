// `…; throws exception` and `…; throws exception containing "…"`: the action must fail; the fragment, when
// given, must occur in the error text, case-insensitively (as in the Node driver's harness).
import { AssertionError } from 'node:assert';

/** The action may fail by throwing or by rejecting; engine calls are asynchronous (engine/harness-engine.ts). */
export async function assertThrows(action: () => unknown, fragment?: string): Promise<void> {
  let failure: unknown;
  try {
    await action();
  } catch (error) {
    failure = error ?? new Error(String(error));
  }
  if (failure === undefined) {
    throw new AssertionError({ message: fragment === undefined ? 'expected an exception, but none was thrown' : `expected an exception containing "${fragment}", but none was thrown` });
  }
  if (fragment === undefined) return;
  const text = errorText(failure);
  if (!text.toLowerCase().includes(fragment.toLowerCase())) {
    throw new AssertionError({ message: `expected an exception containing "${fragment}", but got: ${text}` });
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
