/**
 * A cycle in a graph given as node -> the nodes it depends on (edges to nodes outside the
 * map are ignored), as the list of nodes along it with the first repeated at the end; null
 * when there is none.
 */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const color = new Map<string, number>();
  for (const start of graph.keys()) {
    if ((color.get(start) ?? WHITE) !== WHITE) continue;
    // Iterative DFS so that long chains cannot overflow the stack.
    const path: string[] = [];
    const stack: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    color.set(start, GREY);
    path.push(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { node: string; next: number };
      const deps = graph.get(frame.node) ?? [];
      if (frame.next >= deps.length) {
        color.set(frame.node, BLACK);
        stack.pop();
        path.pop();
        continue;
      }
      const dep = deps[frame.next] as string;
      frame.next += 1;
      if (!graph.has(dep)) continue;
      const c = color.get(dep) ?? WHITE;
      if (c === GREY) return [...path.slice(path.indexOf(dep)), dep];
      if (c === WHITE) {
        color.set(dep, GREY);
        path.push(dep);
        stack.push({ node: dep, next: 0 });
      }
    }
  }
  return null;
}
