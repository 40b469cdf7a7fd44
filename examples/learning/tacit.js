// The page talks to Tacit through `window.tacit`: a queue (an array) until tacit.min.js has
// loaded, the API afterwards. `push` works on both.

/** The API once tacit.min.js has loaded and started; never resolves if it failed to start. */
export const whenTacit = () =>
  new Promise((resolve) => {
    const started = () => window.tacit && !Array.isArray(window.tacit)
    if (started()) return resolve(window.tacit)
    const script = document.querySelector('script[src$="tacit.min.js"]')
    script?.addEventListener('load', () => started() && resolve(window.tacit), { once: true })
  })

/** Calls a Tacit method now or, before the script (async) has loaded, once it has. */
export const call = (method, ...args) => {
  window.tacit = window.tacit || []
  window.tacit.push([method, ...args])
}
