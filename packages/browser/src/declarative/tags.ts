/** `data-tacit-tags="luggage, Premium"` as core reads it: trimmed, lower case, no duplicates. */
export const parseTags = (value: string | null): string[] => {
  const out: string[] = []
  for (const raw of (value || '').split(',')) {
    const tag = raw.trim().toLowerCase()
    if (tag && !out.includes(tag)) out.push(tag)
  }
  return out
}

/** `<div#help>` style, for messages about an element: never its text. */
export const nameOf = (el: Element): string => `<${el.localName}${el.id ? `#${el.id}` : ''}>`
