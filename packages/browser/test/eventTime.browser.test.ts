import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { center, launch, newContext, ready, serve, type Served } from './chromium'

// On a busy page a handler runs late: a pointerover handled 500 ms after the pointer arrived used
// to start the pause 500 ms late, so a rest just over the hesitation threshold measured under it
// (a hesitation test flaked on a loaded CI machine this way). Tacit now times input from the
// event's own stamp. Here a long task really delays the handling of trusted input, in the built
// tacit.min.js: the pause must still be measured from the pointer's arrival.

const HESITATION_MS = 1000 // the default
const REST_MS = 1200 // just above it, measured from when the pointer is sent onto the button
const LONG_TASK_MS = 600

let browser: Browser
let server: Served
beforeAll(async () => {
  server = await serve()
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

interface Witness {
  /** event.timeStamp of the pointer's arrival on #help and of its leaving. */
  over?: number
  out?: number
  /** How long the arrival waited before it was handled. */
  lag?: number
}

describe('input timed from when it happened, in real Chromium', () => {
  it('a pointer rest is measured from its arrival though a long task delays the handling', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/test/signals.html`)
    await ready(page)
    // The page's own record of the truth, from the browser's stamps on the same events.
    await page.evaluate(() => {
      const w = window as unknown as { __witness: Witness }
      w.__witness = {}
      const help = document.getElementById('help')!
      help.addEventListener('pointerover', (e) => {
        w.__witness.over = e.timeStamp
        w.__witness.lag = performance.now() - e.timeStamp
      })
      help.addEventListener('pointerout', (e) => {
        w.__witness.out = e.timeStamp
      })
    })
    const help = await center(page, '#help')
    await page.mouse.move(5, 700)

    // A long task starts just before the pointer arrives: the pointerover waits behind it.
    await page.evaluate((ms) => {
      setTimeout(() => {
        const end = performance.now() + ms
        while (performance.now() < end) {
          // busy, as a heavy page script would be
        }
      }, 0)
    }, LONG_TASK_MS)
    const sent = Date.now()
    await page.mouse.move(help.x, help.y)
    await new Promise((r) => setTimeout(r, Math.max(0, sent + REST_MS - Date.now())))
    await page.mouse.move(5, 700)

    const witness = await page.evaluate(() => (window as unknown as { __witness: Witness }).__witness)
    const rest = witness.out! - witness.over!
    // The scenario this test is about: a real rest over the threshold whose handling was late
    // enough that timing the handlers would have measured it under the threshold.
    expect(rest, 'the pointer rested at least the threshold').toBeGreaterThanOrEqual(HESITATION_MS)
    expect(rest - witness.lag!, 'the long task delayed the arrival enough to matter').toBeLessThan(HESITATION_MS)

    const hesitations = await page.evaluate(() =>
      ((window as unknown as { __signals: Array<{ type: string }> }).__signals).filter((s) => s.type === 'hesitation'),
    )
    expect(hesitations).toEqual([expect.objectContaining({ target: 'button#help', outcome: 'abandoned' })])
    const { ms } = hesitations[0] as { ms: number }
    // Tacit's pause is the browser's own: Date.now() and the stamps differ by rounding only.
    expect(Math.abs(ms - rest)).toBeLessThanOrEqual(5)
    await context.close()
  })
})
