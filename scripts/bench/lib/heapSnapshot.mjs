// V8 heap snapshots (the JSON of HeapProfiler.takeHeapSnapshot, as DevTools saves them): the graph
// in typed arrays, reachability and dominators. For scripts/bench/heap.mjs.

/** Backing stores: off the V8 heap, not in JSHeapUsedSize. */
const OFF_HEAP = new Set(['system / JSArrayBufferData', 'system / ExternalStringData'])

/** The graph of a snapshot's text; names, types and edges resolved on demand. */
export const parseSnapshot = (text) => {
  const { snapshot, nodes, edges, strings } = JSON.parse(text)
  const { node_fields: nodeFields, node_types: [nodeTypes], edge_fields: edgeFields, edge_types: [edgeTypes] } = snapshot.meta
  const [fType, fName, fId, fSelf, fEdges] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => nodeFields.indexOf(f))
  const nf = nodeFields.length, ef = edgeFields.length, N = nodes.length / nf, E = edges.length / ef
  const type = new Uint8Array(N), name = new Uint32Array(N), id = new Uint32Array(N), self = new Float64Array(N), first = new Uint32Array(N + 1)
  for (let n = 0, i = 0; n < N; n++, i += nf) {
    ;[type[n], name[n], id[n], self[n]] = [nodes[i + fType], nodes[i + fName], nodes[i + fId], nodes[i + fSelf]]
    first[n + 1] = first[n] + nodes[i + fEdges]
  }
  const etype = new Uint8Array(E), ename = new Uint32Array(E), eto = new Uint32Array(E)
  for (let k = 0; k < E; k++) [etype[k], ename[k], eto[k]] = [edges[k * ef], edges[k * ef + 1], edges[k * ef + 2] / nf]
  const g = {
    N, first, eto, etype, self,
    weak: edgeTypes.indexOf('weak'),
    type: (n) => nodeTypes[type[n]],
    name: (n) => strings[name[n]] ?? '',
    edgeType: (k) => edgeTypes[etype[k]],
    edgeName: (k) => (['element', 'hidden'].includes(edgeTypes[etype[k]]) ? String(ename[k]) : strings[ename[k]]),
    /** The target of n's edge called `edge`, or -1. */
    edge: (n, edge) => {
      for (let k = first[n]; k < first[n + 1]; k++) if (g.edgeName(k) === edge) return eto[k]
      return -1
    },
    /** A number's value (snapshots taken with captureNumericValue have it as a `value` edge). */
    value: (n) => Number(g.name(g.edge(n, 'value')) || NaN),
    /** V8 heap objects have odd ids, Blink's (cppgc) even ones; backing stores are off-heap. */
    isV8: (n) => id[n] % 2 === 1 && !OFF_HEAP.has(g.name(n)),
  }
  return g
}

/** Nodes reachable from the root (node 0) over strong edges, never entering a `blocked` node. */
export const reachable = (g, blocked = () => false) => {
  const seen = new Uint8Array(g.N), stack = [0]
  seen[0] = 1
  while (stack.length) {
    const n = stack.pop()
    for (let k = g.first[n]; k < g.first[n + 1]; k++) {
      const t = g.eto[k]
      if (g.etype[k] !== g.weak && !seen[t] && !blocked(t)) (seen[t] = 1), stack.push(t)
    }
  }
  return seen
}

/** Immediate dominators from the root over strong edges (Cooper, Harvey and Kennedy); -1: unreachable. */
export const dominators = (g) => {
  const post = [], order = new Int32Array(g.N), next = g.first.slice(0, g.N), seen = new Uint8Array(g.N), stack = [0]
  seen[0] = 1
  while (stack.length) {
    const n = stack[stack.length - 1], k = next[n]++
    if (k >= g.first[n + 1]) (order[stack.pop()] = post.length), post.push(n)
    else if (g.etype[k] !== g.weak && !seen[g.eto[k]]) (seen[g.eto[k]] = 1), stack.push(g.eto[k])
  }
  const preds = Array.from({ length: g.N }, () => [])
  for (const n of post) for (let k = g.first[n]; k < g.first[n + 1]; k++) if (g.etype[k] !== g.weak) preds[g.eto[k]].push(n)
  const idom = new Int32Array(g.N).fill(-1)
  idom[0] = 0
  const meet = (a, b) => {
    while (a !== b) {
      while (order[a] < order[b]) a = idom[a]
      while (order[b] < order[a]) b = idom[b]
    }
    return a
  }
  for (let changed = true; changed; ) {
    changed = false
    for (let i = post.length - 2; i >= 0; i--) {
      let d = -1
      for (const p of preds[post[i]]) if (idom[p] !== -1) d = d === -1 ? p : meet(p, d)
      if (d !== idom[post[i]]) (idom[post[i]] = d), (changed = true)
    }
  }
  return idom
}
