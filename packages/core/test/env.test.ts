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

describe('nextTask, past the frame budget', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
    vi.resetModules()
  })

  /**
   * A fresh copy of env.ts (its budget is module state) with a browser's scheduler, a clock the
   * test moves, and animation frames the test renders.
   */
  const setUp = async () => {
    vi.resetModules()
    const env = await import('../src/env')
    let clock = 1000
    vi.spyOn(performance, 'now').mockImplementation(() => clock)
    const postTask = vi.fn((cb: () => void) => new Promise<void>((resolve) => setTimeout(() => resolve(cb()), 0)))
    vi.stubGlobal('scheduler', { postTask })
    const frames: FrameRequestCallback[] = []
    vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => frames.push(cb))
    const render = () => frames.splice(0).forEach((cb) => cb(clock))
    /** Runs `nextTask`, then `ms` of work in the task it resolved in (as start-up code does). */
    const task = async (ms: number) => {
      await env.nextTask()
      clock += ms
    }
    /** Whether `p` settles within a few macrotasks. */
    const settles = async (p: Promise<unknown>) => {
      let done = false
      void p.then(() => (done = true))
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0))
      return done
    }
    const advance = (ms: number) => void (clock += ms)
    return { env, postTask, render, task, settles, advance }
  }

  it('posts the next task at once until the budget is spent, then only after a frame is rendered', async () => {
    const { env, postTask, render, task, settles } = await setUp()
    await task(12)
    await task(env.FRAME_BUDGET_MS - 12 + 1)
    expect(postTask).toHaveBeenCalledTimes(2)
    // 21 ms of work since the last frame: the next task waits for one.
    const waiting = env.nextTask()
    expect(await settles(waiting)).toBe(false)
    expect(postTask).toHaveBeenCalledTimes(2)
    render()
    expect(await settles(waiting)).toBe(true)
    expect(postTask).toHaveBeenCalledTimes(3)
    // A new frame, a new budget.
    await task(5)
    expect(await settles(env.nextTask())).toBe(true)
  })

  it("counts from countWork() (createTacit's start): the work of the script's first task too", async () => {
    const { env, postTask, render, settles, advance } = await setUp()
    env.countWork()
    advance(env.FRAME_BUDGET_MS)
    const waiting = env.nextTask()
    expect(await settles(waiting)).toBe(false)
    expect(postTask).not.toHaveBeenCalled()
    render()
    expect(await settles(waiting)).toBe(true)
  })

  it('a rendered frame resets the budget', async () => {
    const { env, render, task, settles } = await setUp()
    await task(env.FRAME_BUDGET_MS - 5)
    render()
    await task(env.FRAME_BUDGET_MS - 5)
    expect(await settles(env.nextTask())).toBe(true)
  })

  it('a hidden page, which renders no frames, is not held', async () => {
    const { env, task, settles } = await setUp()
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    try {
      await task(50)
      await task(50)
      expect(await settles(env.nextTask())).toBe(true)
    } finally {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
    }
  })

  it('a page hidden while it waits for a frame goes on after a timer', async () => {
    const { env, task } = await setUp()
    await task(30)
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    try {
      let done = false
      void env.nextTask().then(() => (done = true))
      await vi.advanceTimersByTimeAsync(99)
      expect(done).toBe(false)
      // The timer, then the task it posts.
      await vi.advanceTimersByTimeAsync(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(done).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })
})
