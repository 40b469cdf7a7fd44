import { afterEach, describe, expect, it } from 'vitest'
import { listenAtTarget } from '../../src/signals/atTarget'
import { runDetector } from '../helpers'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('listenAtTarget', () => {
  it('runs for the target\'s own event only, not for a descendant\'s non-bubbling one; errors go to onError; removed on destroy', () => {
    document.body.innerHTML = '<div id="outer"><span id="inner"></span></div>'
    const root = document.documentElement
    const calls: string[] = []
    const name = (e: Event) => (e.target as Element).id || (e.target as Element).localName
    const { errors, destroy } = runDetector((ctx) => {
      listenAtTarget(ctx, root, 'pointerleave', (e: Event) => calls.push(`target:${name(e)}`))
      ctx.listen(root, 'pointerleave', (e: Event) => calls.push(`capture:${name(e)}`))
      listenAtTarget(ctx, root, 'pointerleave', () => {
        throw new Error('boom')
      })
    })
    document.getElementById('inner')!.dispatchEvent(new PointerEvent('pointerleave'))
    root.dispatchEvent(new PointerEvent('pointerleave'))
    // A capture listener sees the descendant's event on its way down; the target listener does not.
    expect(calls).toEqual(['capture:inner', 'capture:html', 'target:html'])
    expect(errors).toEqual([new Error('boom')])
    destroy()
    root.dispatchEvent(new PointerEvent('pointerleave'))
    expect(calls).toHaveLength(3)
    expect(errors).toHaveLength(1)
  })
})
