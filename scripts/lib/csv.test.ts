import { describe, expect, it } from 'vitest'
import { columnIndex, detectDelimiter, parseCsv } from './csv'

describe('parseCsv', () => {
  it('reads a header and rows, with LF or CRLF line ends and a trailing newline', () => {
    expect(parseCsv('a,b\n1,2\n3,4\n')).toEqual({ header: ['a', 'b'], rows: [['1', '2'], ['3', '4']] })
    expect(parseCsv('a,b\r\n1,2\r\n3,4')).toEqual({ header: ['a', 'b'], rows: [['1', '2'], ['3', '4']] })
  })

  it('handles quoted fields with separators, doubled quotes and line breaks inside', () => {
    const t = parseCsv('name,note\n"Smith, J","said ""hi""\nthen left"\nx,\n')
    expect(t.rows).toEqual([
      ['Smith, J', 'said "hi"\nthen left'],
      ['x', ''],
    ])
  })

  it("detects ';' (the original UCI file) and skips blank lines and a byte-order mark", () => {
    expect(detectDelimiter('a;b;c\n1;2;3')).toBe(';')
    expect(detectDelimiter('a,b\n')).toBe(',')
    expect(parseCsv('\ufeffa;b\n\n1;2\n\n')).toEqual({ header: ['a', 'b'], rows: [['1', '2']] })
  })

  it('names the line of a row with the wrong number of fields, and an unterminated quote', () => {
    expect(() => parseCsv('a,b\n1,2\n1,2,3\n')).toThrow(/line 3 has 3 fields, the header has 2/)
    expect(() => parseCsv('a,b\n"1,2\n')).toThrow(/unterminated/)
  })

  it('finds columns by name, listing the columns when one is missing', () => {
    const t = parseCsv('Revenue,PageValues\nTRUE,1\n')
    expect(columnIndex(t, 'PageValues')).toBe(1)
    expect(() => columnIndex(t, 'Pagevalues')).toThrow(/no column "Pagevalues"; columns: Revenue, PageValues/)
  })
})
