/**
 * A small RFC 4180 CSV reader: quoted fields (with "" escapes and embedded separators or line
 * breaks), LF or CRLF line ends, and `,` or `;` separators (detected from the header when not
 * given). Blank lines are skipped. Values stay strings; typing is the encoder's job.
 */

/** A parsed table: the header row and the data rows, each as long as the header. */
export interface Table {
  header: string[]
  rows: string[][]
}

/** Parses CSV text. Throws on a row whose field count differs from the header's, naming the line. */
export const parseCsv = (text: string, options: { delimiter?: string } = {}): Table => {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const delimiter = options.delimiter ?? detectDelimiter(source)
  const records: { fields: string[]; line: number }[] = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let recordLine = 1
  let i = 0
  const endRecord = () => {
    fields.push(field)
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine })
    fields = []
    field = ''
  }
  while (i < source.length) {
    const c = source[i]
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else {
        if (c === '\n') line++
        field += c
      }
      i++
      continue
    }
    if (c === '"' && field === '') quoted = true
    else if (c === delimiter) {
      fields.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      endRecord()
      if (c === '\r' && source[i + 1] === '\n') i++
      line++
      recordLine = line
    } else field += c
    i++
  }
  if (quoted) throw new Error(`CSV: unterminated quoted field starting on line ${recordLine}`)
  if (field !== '' || fields.length > 0) endRecord()
  const [head, ...rest] = records
  if (!head) return { header: [], rows: [] }
  for (const r of rest) {
    if (r.fields.length !== head.fields.length) {
      throw new Error(`CSV: line ${r.line} has ${r.fields.length} fields, the header has ${head.fields.length}`)
    }
  }
  return { header: head.fields.map((h) => h.trim()), rows: rest.map((r) => r.fields) }
}

/** `;` when the first line has more semicolons than commas, else `,`. */
export const detectDelimiter = (text: string): string => {
  const end = text.search(/\r?\n/)
  const first = end < 0 ? text : text.slice(0, end)
  const count = (ch: string) => first.split(ch).length - 1
  return count(';') > count(',') ? ';' : ','
}

/** The index of a column, or an error that lists the columns there are. */
export const columnIndex = (table: Table, name: string): number => {
  const i = table.header.indexOf(name)
  if (i < 0) throw new Error(`CSV has no column "${name}"; columns: ${table.header.join(', ')}`)
  return i
}
