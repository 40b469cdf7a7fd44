import { resolveOptions, type TacitOptions } from '@tacit/core'

const LISTS = new Set(['signals', 'keepQueryParams'])
const NUMBER_LISTS = new Set(['scrollMarks'])
const ALIASES: Record<string, string> = { respectGpc: 'respectGlobalPrivacyControl' }

const camel = (kebab: string): string => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

/** An attribute value as the option it stands for: booleans, numbers, JSON objects, lists. */
const parseValue = (key: string, raw: string, defaults: Record<string, unknown>): unknown => {
  const v = raw.trim()
  if (typeof defaults[key] === 'string') return v // dbName="123" stays a name
  if (LISTS.has(key)) return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []
  if (NUMBER_LISTS.has(key)) return v.split(',').map((s) => s.trim()).filter(Boolean).map(Number)
  if (v === 'true') return true
  if (v === 'false') return false
  if (/^-?(\d+(\.\d*)?|\.\d+)$/.test(v)) return Number(v)
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
export const readConfig = (
  script: Element | null,
  win: Window,
  warn: (message: string) => void = () => {},
): TacitOptions => {
  const defaults = resolveOptions({}) as unknown as Record<string, unknown>
  const base = (win as Window & { tacitConfig?: unknown }).tacitConfig
  const out: Record<string, unknown> = base && typeof base === 'object' ? { ...(base as object) } : {}
  if (script) {
    for (const attr of Array.from(script.attributes)) {
      if (!attr.name.startsWith('data-') || attr.name.startsWith('data-tacit-')) continue
      const raw = camel(attr.name.slice(5))
      const key = ALIASES[raw] || raw
      if (!(key in defaults)) {
        // Other tools put their own data-* on script tags (data-cfasync, data-nscript): say so, go on.
        warn(`${attr.name} is not a Tacit option and is ignored (check the spelling if you meant one)`)
        continue
      }
      out[key] = parseValue(key, attr.value, defaults)
    }
  }
  return out as TacitOptions
}
