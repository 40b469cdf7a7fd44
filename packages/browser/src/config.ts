import type { TacitOptions } from '@tacit/core'

const LISTS = new Set(['signals', 'keepQueryParams'])
const NUMBER_LISTS = new Set(['scrollMarks'])
const ALIASES: Record<string, string> = { respectGpc: 'respectGlobalPrivacyControl' }

const camel = (kebab: string): string => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

/** An attribute value as the option it stands for: booleans, numbers, JSON objects, lists. */
const parseValue = (key: string, raw: string): unknown => {
  const v = raw.trim()
  if (LISTS.has(key)) return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []
  if (NUMBER_LISTS.has(key)) return v.split(',').map((s) => Number(s.trim()))
  if (v === 'true') return true
  if (v === 'false') return false
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v)
  if (v.startsWith('{') || v.startsWith('[')) {
    try {
      return JSON.parse(v)
    } catch {
      return v // left as a string: validation then names the field and what it expects
    }
  }
  return v
}

/**
 * Options for the script tag: `window.tacitConfig` first, then the `data-*` attributes of the
 * tag itself (`data-consent="granted"`, `data-retention-days="14"`,
 * `data-funnels='{"checkout":["cart","pay","done"]}'`), which win.
 */
export const readConfig = (script: Element | null, win: Window): TacitOptions => {
  const base = (win as Window & { tacitConfig?: unknown }).tacitConfig
  const out: Record<string, unknown> = base && typeof base === 'object' ? { ...(base as object) } : {}
  if (script) {
    for (const attr of Array.from(script.attributes)) {
      if (!attr.name.startsWith('data-') || attr.name.startsWith('data-tacit-')) continue
      const raw = camel(attr.name.slice(5))
      const key = ALIASES[raw] || raw
      out[key] = parseValue(key, attr.value)
    }
  }
  return out as TacitOptions
}
