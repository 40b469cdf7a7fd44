import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTask } from '../src/env'

describe('nextTask', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('resolves in a later task: the microtasks queued now run first', async () => {
    const order: string[] = []
    const done = nextTask().then(() => order.push('task'))
    queueMicrotask(() => queueMicrotask(() => order.push('microtask')))
    for (let i = 0; i < 10; i++) await Promise.resolve()
    expect(order).toEqual(['microtask'])
    await done
    expect(order).toEqual(['microtask', 'task'])
  })

  it('is not held by fake timers (start-up must finish in tests that fake them)', async () => {
    vi.useFakeTimers()
    await expect(nextTask()).resolves.toBeUndefined()
  })

  it("uses scheduler.postTask at 'user-blocking' priority where the browser has it", async () => {
    const postTask = vi.fn((cb: () => void) => Promise.resolve().then(cb))
    vi.stubGlobal('scheduler', { postTask })
    await nextTask()
    expect(postTask).toHaveBeenCalledTimes(1)
    expect(postTask.mock.calls[0][1]).toEqual({ priority: 'user-blocking' })
  })
})
