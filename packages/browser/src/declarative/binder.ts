/** What each declarative binder returns: `add` binds one element (once); `unbind` undoes the binding. */
export interface Binder {
  add(el: Element): void
  /** Removes listeners and shows anything the binder still keeps hidden. */
  unbind(): void
}

/** Where binders send problems: an attribute they cannot use, an error from the API. Never thrown. */
export type Report = (problem: unknown) => void
