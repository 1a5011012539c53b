// Go's len(s) and utf8.RuneCountInString, counted without encoding: the same figures as
// encoding to UTF-8 (TextEncoder, which writes a lone surrogate as U+FFFD's three bytes) and as
// iterating the string's code points.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runeCount, utf8Length } from '../src/formats.js'

describe('string lengths as Go counts them', () => {
  it.each([
    { given: '', want: { bytes: 0, runes: 0 } },
    { given: 'nginx', want: { bytes: 5, runes: 5 } },
    { given: 'é', want: { bytes: 2, runes: 1 } },
    { given: '世界', want: { bytes: 6, runes: 2 } },
    { given: '😀', want: { bytes: 4, runes: 1 } },
    { given: '\ud800x', want: { bytes: 4, runes: 2 } },
    { given: 'x\udc00', want: { bytes: 4, runes: 2 } },
  ])('$given', ({ given, want }) => {
    expect({ bytes: utf8Length(given), runes: runeCount(given) }).toEqual(want)
  })

  it('match UTF-8 encoding and code point iteration for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length)
        expect(runeCount(s)).toBe([...s].length)
      }),
    )
  })
})
