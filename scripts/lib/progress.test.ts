import { describe, expect, it } from 'vitest'
import { createProgress, renderBar } from './progress'

const stream = (isTTY: boolean) => {
  const out: string[] = []
  return { out, write: (t: string) => out.push(t), isTTY }
}

describe('progress bar', () => {
  it('renders the share done, the count and an estimate of the time left', () => {
    expect(renderBar(5, 10, 10, 'training', 4000)).toBe('training [#####.....]  50% 5/10 eta 4s')
    expect(renderBar(10, 10, 4, '', 1000, 'fold 5/5')).toBe('[####] 100% 10/10 fold 5/5')
    expect(renderBar(1, 100, 4, '', 60_000)).toMatch(/eta 99m00s$/)
  })

  it('on a terminal, redraws in place at most every interval and ends the line when done', () => {
    const s = stream(true)
    let t = 0
    const p = createProgress({ total: 4, stream: s, clock: () => t, intervalMs: 100, width: 4 })
    p.tick()
    p.tick() // within 100 ms: not drawn
    t = 150
    p.tick()
    p.done()
    expect(s.out).toHaveLength(3)
    expect(s.out[0]).toMatch(/^\r\[#\.\.\.\]  25% 1\/4/)
    expect(s.out[1]).toMatch(/^\r\[###\.\]  75% 3\/4/)
    expect(s.out[2]).toMatch(/100% 4\/4.*\n$/)
  })

  it('in a log (no terminal), prints one line per 10% instead of redrawing', () => {
    const s = stream(false)
    const p = createProgress({ total: 100, stream: s, clock: () => 0 })
    for (let i = 0; i < 100; i++) p.tick()
    p.done()
    p.tick()
    expect(s.out.length).toBe(11)
    expect(s.out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true)
  })
})
