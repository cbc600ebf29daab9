// Ownership annotations (@key, @unique) and TypeDB's strictness order between them: @key > @unique > none.
import type { Annotation } from '../typeql/ast.js';

export interface AnnotationSet {
  readonly key: boolean;
  readonly unique: boolean;
}

export const NO_ANNOTATIONS: AnnotationSet = { key: false, unique: false };

export function annotationsOf(list: readonly Annotation[]): AnnotationSet {
  return { key: list.includes('key'), unique: list.includes('unique') };
}

export function annotationList(set: AnnotationSet): Annotation[] {
  const list: Annotation[] = [];
  if (set.key) list.push('key');
  if (set.unique) list.push('unique');
  return list;
}

export function isEmpty(set: AnnotationSet): boolean {
  return !set.key && !set.unique;
}

export function union(a: AnnotationSet, b: AnnotationSet): AnnotationSet {
  return { key: a.key || b.key, unique: a.unique || b.unique };
}

/** Whether `first` constrains strictly more than `second` (OwnsImpl.isFirstStricter). */
export function isFirstStricter(first: AnnotationSet, second: AnnotationSet): boolean {
  if (second.key) return false;
  if (second.unique) return first.key;
  return first.key || first.unique;
}

/** Whether `first` constrains at least as much as `second` (OwnsImpl.isFirstStricterOrEqual). */
export function isFirstStricterOrEqual(first: AnnotationSet, second: AnnotationSet): boolean {
  if (second.key) return first.key;
  if (second.unique) return first.key || first.unique;
  return true;
}

/** ` @key @unique` as written after an `owns` constraint (sorted as strings, as TypeDB prints them). */
export function annotationSuffix(set: AnnotationSet): string {
  return annotationList(set)
    .map((a) => ` @${a}`)
    .join('');
}
