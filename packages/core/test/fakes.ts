/**
 * An IntersectionObserver the test drives (happy-dom's never calls back): it records what is
 * observed and reports entries on demand.
 */
export class FakeIntersectionObserver {
  static all: FakeIntersectionObserver[] = []
  observed = new Set<Element>()
  disconnected = false
  constructor(
    readonly cb: IntersectionObserverCallback,
    readonly options: IntersectionObserverInit = {},
  ) {
    FakeIntersectionObserver.all.push(this)
  }
  observe(el: Element): void {
    this.observed.add(el)
  }
  unobserve(el: Element): void {
    this.observed.delete(el)
  }
  disconnect(): void {
    this.observed.clear()
    this.disconnected = true
  }
  takeRecords(): IntersectionObserverEntry[] {
    return []
  }
  /** Reports `el` at a visible ratio, as the browser does when a threshold is crossed. */
  reportRatio(el: Element, ratio: number): void {
    if (!this.observed.has(el)) return
    const entry = { target: el, isIntersecting: ratio > 0, intersectionRatio: ratio, time: 0 }
    this.cb([entry as unknown as IntersectionObserverEntry], this as unknown as IntersectionObserver)
  }
  /** One callback with an entry per observed element: intersecting or not. */
  report(states: Array<[Element, boolean]>): void {
    const entries = states
      .filter(([el]) => this.observed.has(el))
      .map(([el, on]) => ({ target: el, isIntersecting: on, intersectionRatio: on ? 1 : 0 }))
    if (entries.length) this.cb(entries as unknown as IntersectionObserverEntry[], this as unknown as IntersectionObserver)
  }
}
