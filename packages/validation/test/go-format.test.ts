// Rows printed by Go 1.26 itself (fmt %v / %q and encoding/json.Marshal on the same values), the
// functions the apiserver's messages go through.
import { describe, expect, it } from 'vitest'
import { goFloat, goJson, goQuote, goValue, GoStruct } from '../src/go-format.js'

describe('goFloat prints a float64 as Go %v does', () => {
  const rows = [
    { given: 1e6, want: '1e+06' },
    { given: 1234567.5, want: '1.2345675e+06' },
    { given: 123456.5, want: '123456.5' },
    { given: 0.0001, want: '0.0001' },
    { given: 0.00001, want: '1e-05' },
    { given: 1.5, want: '1.5' },
    { given: 1e21, want: '1e+21' },
    { given: -2.5e-7, want: '-2.5e-07' },
  ]
  it.each(rows)('$given', ({ given, want }) => expect(goFloat(given)).toBe(want))
})

describe('goJson prints a decoded JSON value as encoding/json.Marshal does', () => {
  const rows = [
    { given: 1e6, want: '1000000' },
    { given: 0.00001, want: '0.00001' },
    { given: -2.5e-7, want: '-2.5e-7' },
    { given: 1e30, want: '1e+30' },
    { given: 'a\u0000\u00ff"b', want: '"a\\u0000ÿ\\"b"' },
    { given: '\u2028<&>', want: '"\\u2028\\u003c\\u0026\\u003e"' },
    { given: { b: 1, a: [true, null, 'x'] }, want: '{"a":[true,null,"x"],"b":1}' },
    // A struct without JSON tags keeps its declaration order; a map inside it is sorted.
    {
      given: new GoStruct([
        ['Name', 'v1'],
        ['Properties', { b: 1, a: '<' }],
        ['Items', null],
      ]),
      want: '{"Name":"v1","Properties":{"a":"\\u003c","b":1},"Items":null}',
    },
  ]
  it.each(rows)('$given', ({ given, want }) => expect(goJson(given)).toBe(want))
})

describe('goQuote quotes as strconv.Quote (%q) does', () => {
  const rows = [
    { given: 'a\u0000\u00ff"b', want: '"a\\x00ÿ\\"b"' },
    { given: 'tab\there', want: '"tab\\there"' },
    { given: '\u2028<&>', want: '"\\u2028<&>"' },
    { given: '日本\u200b', want: '"日本\\u200b"' },
    { given: '\u007f', want: '"\\x7f"' },
  ]
  it.each(rows)('$given', ({ given, want }) => expect(goQuote(given)).toBe(want))
})

describe('goValue prints a decoded JSON value as Go %v does', () => {
  it('prints lists, maps and nil', () => {
    expect(goValue(['a', 1, 1.5, { k: 'v' }, null])).toBe('[a 1 1.5 map[k:v] <nil>]')
  })
})
