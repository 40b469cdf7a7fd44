/**
 * The value after `--name` on the command line, or `fallback` when the flag is absent or is
 * followed by another flag. Strings: each benchmark converts what it reads.
 */
export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 && process.argv[i + 1] !== undefined && !process.argv[i + 1].startsWith('--') ? process.argv[i + 1] : fallback
}
