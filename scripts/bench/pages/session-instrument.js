// Session benchmark instrumentation, injected before any page script (addInitScript) in every
// variant, so each variant pays the same for it.
//
// - Long tasks (over 50 ms), from the Long Tasks API: start and duration.
// - Long animation frames (over 50 ms): which scripts ran in them (source URL and duration of
//   each script over 5 ms), to tell which long frames an SDK caused and which the page did.
// - How many pointermove events reached the page.
// - When the SDK is ready, in ms from navigation start (performance.now()): for Tacit when
//   `tacit.ready` resolves, caught by an accessor on window.tacit (the script tag assigns its API
//   there); for posthog-js when its `loaded` callback runs (the page calls __bench.sdkReady()).
;(() => {
  const bench = (window.__bench = { longtasks: [], frames: [], ready: undefined, boot: undefined, pointermoves: 0 })
  // How many pointer moves reached the page (to check that no two moves were merged into one).
  addEventListener('pointermove', () => (bench.pointermoves += 1), { capture: true, passive: true })
  const observe = (type, onEntry) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true })
    } catch {
      bench[`no-${type}`] = true // the API is missing: reported as unavailable
    }
  }
  observe('longtask', (e) => bench.longtasks.push({ at: e.startTime, ms: e.duration }))
  observe('long-animation-frame', (e) =>
    bench.frames.push({
      at: e.startTime,
      ms: e.duration,
      blockingMs: e.blockingDuration,
      // compileMs: from the script entry's start to its execution (parsing and compiling it).
      scripts: e.scripts.map((s) => ({ url: s.sourceURL, ms: s.duration, invoker: s.invoker, compileMs: s.executionStart - s.startTime, layoutMs: s.forcedStyleAndLayoutDuration })),
    }),
  )
  bench.sdkReady = () => {
    if (bench.ready === undefined) bench.ready = performance.now()
  }
  if (!/[?&]sdk=(tacit|baseline)\b/.test(location.search)) return
  let value
  Object.defineProperty(window, 'tacit', {
    configurable: true,
    get() {
      // The script tag's first read of window.tacit: its bundle is parsed and it starts creating Tacit.
      if (bench.boot === undefined) bench.boot = performance.now()
      return value
    },
    set(api) {
      value = api
      if (api && !Array.isArray(api) && api.ready) api.ready.then(bench.sdkReady)
    },
  })
})()
