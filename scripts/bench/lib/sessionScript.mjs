// The scripted shopping session of the session benchmark, in trusted input (page.mouse,
// page.keyboard: the browser's own input pipeline, as a person's mouse and keyboard).
//
// Every variant gets the same input: the plan (which cards, which walk steps) comes from a seeded
// generator, and coordinates come from the layout, which is the same in every variant (Tacit's
// slot has reserved height, and ranking a first visit keeps the page order).
//
// Chromium delivers mouse moves to the page at most once per animation frame, so `moves` sets
// the session's length: 2,000 moves take about 35 s at 60 frames per second.

/** The window every variant's page gets. */
export const VIEWPORT = { width: 1280, height: 800 }
/** After ready: lazy loads and start-up timers, counted "at load". */
export const SETTLE_MS = 1000
/** After the page is left: the last IndexedDB writes and beacons. */
export const END_MS = 1500

/**
 * What the page is waited for before the load figures, evaluated over CDP (page.waitForFunction
 * would inject Playwright's own helper script, about 0.5 MiB of heap, into the SDK variants only):
 * the SDK ready (polled), or nothing.
 */
export const READY_EXPRESSION = {
  sdk: `new Promise((resolve, reject) => {
    const deadline = Date.now() + 30000
    const poll = () => window.__bench && window.__bench.ready !== undefined ? resolve(1) : Date.now() > deadline ? reject(new Error('SDK not ready in 30 s')) : setTimeout(poll, 20)
    poll()
  })`,
  none: 'Promise.resolve(1)',
}

/** A small seeded generator (mulberry32): the same session for every variant and run. */
export const random = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Makes the page believe it was hidden, as a tab switch would (as in packages/browser/test/chromium.ts). */
export const hidePage = (page) =>
  page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    Object.defineProperty(document, 'hidden', { value: true, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  })

/** Then the page is left: `pagehide`, on which posthog-js sends its page-leave event. */
const leavePage = (page) => page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false })))

/** Where the cards and fields are, in document coordinates; the viewport; the page height. */
const readLayout = (page) =>
  page.evaluate(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect()
      return { x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height }
    }
    return {
      cards: Array.from(document.querySelectorAll('#grid > .card'), (card) => ({
        card: box(card),
        thumb: box(card.querySelector('.thumb')),
        add: box(card.querySelector('.add')),
      })),
      fields: Object.fromEntries(['name', 'email', 'address'].map((id) => [id, box(document.getElementById(id))])),
      height: document.documentElement.scrollHeight,
      viewport: { w: innerWidth, h: innerHeight },
    }
  })

/**
 * Counts of what the session did, to check that every variant got the same session.
 * and how long each phase took (wall time).
 * @typedef {{ moves: number, hovers: number, clicks: number, wheels: number, keys: number, reachedBottom: boolean, phaseMs: Record<string, number> }} SessionCounts
 */

/**
 * Runs the session on a loaded page: browsing in 10 screens (a random walk of small moves,
 * hovers over cards, two of them over a second long, clicks on "Add" buttons and on pictures),
 * scrolling to the bottom and back, three rapid bursts of clicks on one picture (rage clicks),
 * typing into the checkout form, then hiding and leaving the page.
 * @returns {Promise<SessionCounts>}
 */
export const runSession = async (page, { moves = 2000, seed = 7 } = {}) => {
  const rnd = random(seed)
  const layout = await readLayout(page)
  const { w: vw, h: vh } = layout.viewport
  const counts = { moves: 0, hovers: 0, clicks: 0, wheels: 0, keys: 0, reachedBottom: false, phaseMs: {} }
  let phaseStart = Date.now()
  const phase = (name) => {
    counts.phaseMs[name] = Date.now() - phaseStart
    phaseStart = Date.now()
  }
  let scrollY = 0
  let pointer = { x: vw / 2, y: vh / 2 }

  const SCREENS = 10
  const HOVERS_PER_SCREEN = 6
  const CLICKS_PER_SCREEN = 8
  const HOVER_STEPS = 4
  const BURSTS = 3
  const BURST_CLICKS = 6
  const FORM_CLICKS = 2
  // Every mouse move counts, those that bring the pointer to a card and those of clicks too.
  const clicks = SCREENS * CLICKS_PER_SCREEN + BURSTS * BURST_CLICKS + FORM_CLICKS
  const walk = Math.max(0, moves - SCREENS * HOVERS_PER_SCREEN * HOVER_STEPS - clicks)
  const walkPerScreen = Math.floor(walk / SCREENS)

  const move = async (x, y) => {
    pointer = { x: Math.round(x), y: Math.round(y) }
    await page.mouse.move(pointer.x, pointer.y)
    counts.moves += 1
  }
  const click = async (x, y) => {
    await page.mouse.click(Math.round(x), Math.round(y)) // one move, then down and up
    pointer = { x: Math.round(x), y: Math.round(y) }
    counts.moves += 1
    counts.clicks += 1
  }
  const wheel = async (dy) => {
    await page.mouse.wheel(0, dy)
    counts.wheels += 1
  }
  /** A point inside a box of the document, in viewport coordinates at the current scroll. */
  const inside = (b) => ({ x: b.x + b.w * (0.3 + 0.4 * rnd()), y: b.y - scrollY + b.h * (0.3 + 0.4 * rnd()) })
  const visibleCards = () =>
    layout.cards.filter((c) => c.card.y - scrollY >= 60 && c.card.y + c.card.h - scrollY <= vh - 10 && c.card.x + c.card.w < vw)
  const settleScroll = async () => {
    await sleep(150)
    scrollY = await page.evaluate(() => scrollY)
  }

  for (let screen = 0; screen < SCREENS; screen++) {
    if (screen > 0) {
      // Two rows further down.
      for (let i = 0; i < 2; i++) await wheel(232)
      await settleScroll()
    }
    const cards = visibleCards()
    const pick = () => cards[Math.floor(rnd() * cards.length)]
    const spread = (n, offset) => Array.from({ length: n }, (_, k) => Math.floor(((k + offset) * walkPerScreen) / n))
    const hoverAt = spread(HOVERS_PER_SCREEN, 0)
    const clickAt = spread(CLICKS_PER_SCREEN, 0.5)
    for (let step = 0; step < walkPerScreen; step++) {
      // A random walk of small moves (2 to 10 px), kept inside the viewport.
      const dx = (rnd() < 0.5 ? -1 : 1) * (2 + rnd() * 8)
      const dy = (rnd() < 0.5 ? -1 : 1) * (2 + rnd() * 8)
      await move(Math.min(vw - 5, Math.max(5, pointer.x + dx)), Math.min(vh - 5, Math.max(5, pointer.y + dy)))
      // Hovers and clicks are spread evenly through the walk.
      while (hoverAt.length && hoverAt[0] === step) {
        hoverAt.shift()
        const target = inside(pick().card)
        const from = pointer
        for (let k = 1; k <= HOVER_STEPS; k++) await move(from.x + ((target.x - from.x) * k) / HOVER_STEPS, from.y + ((target.y - from.y) * k) / HOVER_STEPS)
        counts.hovers += 1
        // Two hovers long enough to be hesitations (over 1 s, then the pointer leaves).
        const long = (screen === 2 || screen === 7) && step === 0 && hoverAt.length === HOVERS_PER_SCREEN - 1
        await sleep(long ? 1100 : 50)
      }
      while (clickAt.length && clickAt[0] === step) {
        clickAt.shift()
        const card = pick()
        // Half on "Add" (the page changes: a live click), half on the picture (a dead click).
        const at = counts.clicks % 2 === 0 ? inside(card.add) : inside(card.thumb)
        await click(at.x, at.y)
      }
    }
  }

  phase('browse')

  // To the bottom of the page and back to the top.
  const wheelsDown = Math.ceil(layout.height / 1000) + 1
  for (let i = 0; i < wheelsDown; i++) await wheel(1000)
  await settleScroll()
  counts.reachedBottom = scrollY + vh >= layout.height - 5
  for (let i = 0; i < wheelsDown; i++) await wheel(-1000)
  await settleScroll()

  phase('scroll')

  // Rage clicks: three bursts of quick clicks, on a picture that does nothing, on an "Add"
  // button (posthog-js looks for rage clicks only on elements it autocaptures), on a picture.
  const top = visibleCards()
  for (let b = 0; b < BURSTS; b++) {
    const card = top[(b * 3) % top.length]
    const at = inside(b === 1 ? card.add : card.thumb)
    for (let i = 0; i < BURST_CLICKS; i++) {
      await click(at.x + (i % 3), at.y + (i % 2))
      await sleep(40)
    }
    await sleep(300)
  }

  phase('rage')

  // The checkout form, in the sidebar (the page is back at the top): name, email, then Tab to
  // the address.
  const type = async (text) => {
    await page.keyboard.type(text) // each key waits for the page to take it
    counts.keys += text.length
  }
  let at = inside(layout.fields.name)
  await click(at.x, at.y)
  await type('Ada Lovelace')
  at = inside(layout.fields.email)
  await click(at.x, at.y)
  await type('ada@example.com')
  await page.keyboard.press('Tab')
  counts.keys += 1
  await type('12 Byron Row')

  phase('form')

  // The person leaves: the tab is hidden, then the page is left.
  await sleep(300)
  await hidePage(page)
  await sleep(200)
  await leavePage(page)
  phase('leave')
  return counts
}
