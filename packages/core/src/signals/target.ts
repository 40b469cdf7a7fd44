/**
 * How an element is described in a signal: never by its text or value. Only attributes that
 * a site author chose as identifiers are read (`data-tacit-item`, `id`, `role`, `name`).
 */

const INTERACTIVE =
  'a[href],button,input,select,textarea,summary,label,[role=button],[role=link],[role=tab],[role=menuitem],[role=checkbox],[role=radio],[role=switch],[role=option],[tabindex],[data-tacit-item],[data-tacit-goal]'

export const TRACKED = '[data-tacit-item]'

const PAYMENT_AUTOCOMPLETE = /^cc-|\bcc-/

export interface TargetInfo {
  target: string
  item?: string
  tags?: string[]
}

const short = (s: string, max = 64): string => (s.length > max ? s.slice(0, max) : s)

/** The element's tag plus the first identifier it has: `button#buy`, `div[role=tab]`. */
export const describeElement = (el: Element): string => {
  const tag = el.localName || el.nodeName.toLowerCase()
  const id = el.getAttribute('id')
  if (id) return `${tag}#${short(id)}`
  const role = el.getAttribute('role')
  if (role) return `${tag}[role=${short(role)}]`
  const name = el.getAttribute('name')
  if (name) return `${tag}[name=${short(name)}]`
  return tag
}

/** Target description of `el`, with the item and tags of its nearest tracked ancestor. */
export const describeTarget = (el: Element): TargetInfo => {
  const tracked = el.closest(TRACKED)
  if (tracked) {
    const item = short(tracked.getAttribute('data-tacit-item') || '')
    const tags = parseTags(tracked.getAttribute('data-tacit-tags'))
    const info: TargetInfo = { target: item || describeElement(tracked) }
    if (item) info.item = item
    if (tags.length) info.tags = tags
    return info
  }
  return { target: describeElement(el) }
}

const parsed = new Map<string, string[]>()

/** The tags of a `data-tacit-tags` value: at most 16, trimmed, lowercased, without repeats. */
export const parseTags = (value: string | null): string[] => {
  if (!value) return []
  // A page has a few distinct tag lists, read at every hover, click and dwell: parsed once each.
  let tags = parsed.get(value)
  if (!tags) {
    tags = []
    for (const raw of value.split(',')) {
      const tag = raw.trim().toLowerCase()
      if (tag && tags.length < 16 && !tags.includes(tag)) tags.push(short(tag, 40))
    }
    if (parsed.size >= 1000) parsed.clear()
    parsed.set(value, tags)
  }
  return tags.slice()
}

/** The nearest interactive or tracked element at or above `node`, if any. */
export const interactiveAncestor = (node: EventTarget | null): Element | null => {
  const el = asElement(node)
  return el ? el.closest(INTERACTIVE) : null
}

export const asElement = (node: EventTarget | null): Element | null => {
  if (!node || typeof (node as Node).nodeType !== 'number') return null
  const n = node as Node
  if (n.nodeType === 1) return n as Element
  return n.parentElement
}

/**
 * Elements that never produce a signal: anything inside `data-tacit-ignore`, password fields and
 * payment fields (autocomplete `cc-*`), always.
 */
export const isIgnored = (el: Element | null): boolean => {
  if (!el) return false
  if (el.closest('[data-tacit-ignore]')) return true
  if (isSensitiveField(el)) return true
  return false
}

export const isSensitiveField = (el: Element): boolean => {
  const tag = el.localName
  if (tag !== 'input' && tag !== 'textarea' && tag !== 'select') return false
  if (tag === 'input' && (el as HTMLInputElement).type === 'password') return true
  const ac = (el.getAttribute('autocomplete') || '').toLowerCase()
  return PAYMENT_AUTOCOMPLETE.test(ac)
}

const TEXT_INPUT_TYPES = new Set([
  'text', 'email', 'search', 'tel', 'url', 'password', 'number', 'date', 'datetime-local',
  'month', 'time', 'week', 'range',
])

/** Text fields, steppers and editable regions: places where repeated clicks are normal. */
export const isTextLike = (el: Element): boolean => {
  const tag = el.localName
  if (tag === 'textarea' || tag === 'select') return true
  if (tag === 'input') return TEXT_INPUT_TYPES.has((el as HTMLInputElement).type || 'text')
  return (el as HTMLElement).isContentEditable === true
}

/** A form field: the name it reports in signals (its `name`, else its id), never its value. */
export const fieldName = (el: Element): string =>
  short(el.getAttribute('name') || el.getAttribute('id') || el.localName)

export const isFormField = (el: Element | null): el is HTMLInputElement =>
  !!el && (el.localName === 'input' || el.localName === 'textarea' || el.localName === 'select')
