// Wraps a Concept API so that it behaves like the transaction it belongs to: every call (and every step of a lazy
// result) first checks that the transaction is still open, and any failure closes the transaction before it
// propagates — as a failing query does.
import type { ConceptApi } from './concept-api.js';

export interface GuardHooks {
  /** Runs before every call and before each item of a lazy result; throws when the transaction is closed. */
  beforeCall(): void;
  /** Runs when a call or a lazy result fails, before the error propagates. */
  onFailure(error: unknown): void;
}

export function guardConceptApi(api: ConceptApi, hooks: GuardHooks): ConceptApi {
  return { types: guard(api.types, hooks), things: guard(api.things, hooks), rules: guard(api.rules, hooks) };
}

function guard<T extends object>(target: T, hooks: GuardHooks): T {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(object, property, receiver) {
      const member: unknown = Reflect.get(object, property, receiver);
      if (typeof member !== 'function') return member;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        wrapper = (...args: unknown[]) => {
          hooks.beforeCall();
          try {
            const result: unknown = member.apply(object, args);
            return isLazy(result) ? guardLazy(result, hooks) : result;
          } catch (error) {
            hooks.onFailure(error);
            throw error;
          }
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

/** Generators (lazy collections); arrays are complete results and pass through. */
function isLazy(value: unknown): value is Iterator<unknown> & Iterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as Iterator<unknown>).next === 'function' &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}

function* guardLazy<T>(source: Iterable<T>, hooks: GuardHooks): Generator<T> {
  const iterator = source[Symbol.iterator]();
  try {
    for (;;) {
      hooks.beforeCall();
      const next = iterator.next();
      if (next.done) return;
      yield next.value;
    }
  } catch (error) {
    hooks.onFailure(error);
    throw error;
  }
}
