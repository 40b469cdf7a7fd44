// Where a page's JavaScript time goes, from the DevTools protocol's sampling profiler: self time
// per function and per script, for the session benchmark's --profile run.

const pathOf = (url) => {
  try {
    return new URL(url).pathname
  } catch {
    return url // not a URL (an evaluated script's name): as it is
  }
}

/** Starts sampling (every `intervalUs` µs) on a CDP session. */
export const startProfile = async (cdp, intervalUs = 100) => {
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs })
  await cdp.send('Profiler.start')
}

/** Stops sampling; returns the profile (Profiler.Profile). */
export const stopProfile = async (cdp) => (await cdp.send('Profiler.stop')).profile

/**
 * Self time in ms per function (name, script, line:column of its start) and per script URL
 * (the path only), from one or more profiles: an estimate of CPU time. Idle, program and GC time are kept apart under
 * their own names.
 */
export const selfTimes = (profiles) => {
  const byFunction = new Map()
  const byUrl = new Map()
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
    // Each sample counts for one sampling interval (the median gap between samples), not for its
    // own gap: on a machine busier than its CPUs the main thread is descheduled now and then, and
    // the sample taken when it resumes would otherwise carry the whole wait.
    const gaps = [...profile.timeDeltas].sort((a, b) => a - b)
    const interval = (gaps[gaps.length >> 1] || 0) / 1000
    const ms = new Map()
    profile.samples.forEach((id) => ms.set(id, (ms.get(id) || 0) + interval))
    for (const [id, t] of ms) {
      const { functionName, url, lineNumber, columnNumber } = nodes.get(id).callFrame
      const script = url ? pathOf(url) : ''
      const name = functionName || (script ? '(anonymous)' : '(native or internal)')
      const key = `${name} ${script}:${lineNumber + 1}:${columnNumber + 1}`
      const f = byFunction.get(key) || { name, script, line: lineNumber + 1, column: columnNumber + 1, ms: 0 }
      f.ms += t
      byFunction.set(key, f)
      const u = script || name
      byUrl.set(u, (byUrl.get(u) || 0) + t)
    }
  }
  return {
    functions: [...byFunction.values()].sort((a, b) => b.ms - a.ms),
    scripts: [...byUrl.entries()].map(([script, ms]) => ({ script, ms })).sort((a, b) => b.ms - a.ms),
  }
}

/** The text around a 1-based line and column of a source: a hint of what a minified function is. */
export const excerpt = (source, line, column, width = 90) => {
  const text = source.split('\n')[line - 1] || ''
  return text.slice(Math.max(0, column - 1), column - 1 + width).replace(/\s+/g, ' ')
}
