// Benchmark instrumentation, loaded before tacit.min.js.
//
// - Every requestIdleCallback callback is timed: Tacit trains the intent model only inside idle
//   callbacks (one slice each), so the longest callback is the longest training slice.
// - Long tasks (over 50 ms) are recorded with a PerformanceObserver.
// - The first indexedDB.open() is timed from request to success, and every transaction from
//   creation to completion.
// - window.tacit is an accessor: the script tag's boot() reads it first (the moment Tacit starts
//   creating itself) and assigns the API at the end; then `ready` is timed, and the first
//   decision after it.
;(() => {
  const bench = (window.__bench = { slices: [], longtasks: [], t: {} })
  const ric = window.requestIdleCallback && window.requestIdleCallback.bind(window)
  if (ric) {
    window.requestIdleCallback = (cb, options) =>
      ric((deadline) => {
        const start = performance.now()
        try {
          cb(deadline)
        } finally {
          bench.slices.push({ at: start, ms: performance.now() - start })
        }
      }, options)
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longtasks.push({ at: e.startTime, ms: e.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    // No Long Tasks API: the figure is reported as unavailable.
  }
  // Tacit's IndexedDB open: when it is asked for and when the database is handed over, to split
  // the time to ready into waiting for the browser and Tacit's own work.
  const open = IDBFactory.prototype.open
  IDBFactory.prototype.open = function (...args) {
    const request = open.apply(this, args)
    if (bench.t.idbOpen === undefined) {
      bench.t.idbOpen = performance.now()
      request.addEventListener('success', () => (bench.t.idbOpened = performance.now()))
    }
    return request
  }
  bench.transactions = []
  const transaction = IDBDatabase.prototype.transaction
  IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
    const tx = transaction.call(this, stores, mode, ...rest)
    const record = { mode: mode || 'readonly', stores: typeof stores === 'string' ? 1 : stores.length, start: performance.now(), end: undefined }
    bench.transactions.push(record)
    const end = () => (record.end = performance.now())
    tx.addEventListener('complete', end)
    tx.addEventListener('abort', end)
    tx.addEventListener('error', end)
    return tx
  }
  let value = []
  Object.defineProperty(window, 'tacit', {
    configurable: true,
    get() {
      if (bench.t.boot === undefined) bench.t.boot = performance.now()
      return value
    },
    set(api) {
      value = api
      if (!api || Array.isArray(api) || !api.ready) return
      bench.t.assigned = performance.now()
      api.ready.then(() => {
        const t = performance.now()
        bench.t.ready = t
        const decision = api.decide('bench-first', ['a', 'b', 'c'])
        bench.t.firstDecision = performance.now()
        bench.t.firstDecideMs = bench.t.firstDecision - t
        bench.firstDecision = decision
      })
    },
  })
})()
