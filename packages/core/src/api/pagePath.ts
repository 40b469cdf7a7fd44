/**
 * The page as Tacit names it: the path, without query string or fragment, except query
 * parameters the site lists in `keepQueryParams`.
 */
export const pagePath = (loc: Pick<Location, 'pathname' | 'search'> | undefined, keep: readonly string[]): string => {
  if (!loc) return '/'
  let path = loc.pathname || '/'
  if (keep.length && loc.search) {
    const params = new URLSearchParams(loc.search)
    const kept = new URLSearchParams()
    for (const name of keep) {
      const v = params.get(name)
      if (v !== null) kept.set(name, v)
    }
    const q = kept.toString()
    if (q) path += `?${q}`
  }
  return path.slice(0, 500)
}
