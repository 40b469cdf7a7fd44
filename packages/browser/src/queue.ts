import type { Tacit } from '@tacit/core'

/** A call queued before the script loaded: `tacit.push(['track', 'signup'])`. */
export type QueuedCall = [method: string, ...args: unknown[]]

/** A short description of a bad queue entry; JSON.stringify throws on cycles and BigInt. */
const describe = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? typeof value
  } catch {
    return typeof value
  }
}

/** Runs one queued call against the API; a bad call is reported, never thrown into the page. */
export const runCall = (api: Tacit, call: unknown, onError: (e: unknown) => void): void => {
  try {
    if (!Array.isArray(call) || typeof call[0] !== 'string') {
      throw new TypeError(`tacit.push() takes an array like ['track', 'signup'], got ${describe(call)}`)
    }
    const [method, ...args] = call as QueuedCall
    const fn = (api as unknown as Record<string, unknown>)[method]
    // `toString`, `constructor`…: inherited from Object, not part of the API.
    if (typeof fn !== 'function' || method.startsWith('_') || method in Object.prototype) {
      throw new TypeError(`tacit.push(): "${method}" is not a Tacit method`)
    }
    const result = (fn as (...a: unknown[]) => unknown).apply(api, args)
    if (result && typeof (result as Promise<unknown>).catch === 'function') (result as Promise<unknown>).catch(onError)
  } catch (error) {
    onError(error)
  }
}

/** Replays the calls a page queued before the script loaded, in order. */
export const replay = (api: Tacit, queue: unknown, onError: (e: unknown) => void): void => {
  if (!Array.isArray(queue)) return
  for (const call of queue) runCall(api, call, onError)
}
