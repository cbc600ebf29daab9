// Strongly connected components (Tarjan's algorithm), shared by rule validation and rule evaluation.

/**
 * The components of the graph given by `successors`, each emitted after every component it can reach (so a
 * dependency graph comes out in evaluation order). Inside a component, nodes keep their order in `nodes`.
 */
export function stronglyConnectedComponents<T>(nodes: readonly T[], successors: (node: T) => Iterable<T>): T[][] {
  let index = 0;
  const indices = new Map<T, number>();
  const low = new Map<T, number>();
  const stack: T[] = [];
  const onStack = new Set<T>();
  const order = new Map(nodes.map((n, i) => [n, i]));
  const result: T[][] = [];
  const visit = (v: T) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of successors(v)) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: T[] = [];
      let w: T;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      component.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      result.push(component);
    }
  };
  for (const n of nodes) if (!indices.has(n)) visit(n);
  return result;
}
