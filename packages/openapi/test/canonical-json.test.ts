import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, prettyCanonicalJson } from '../src/_canonical-json.js'

describe('canonicalJson', () => {
  const rows: { given: unknown; want: string }[] = [
    { given: { b: 1, a: [2, { d: null, c: 'x' }] }, want: '{"a":[2,{"c":"x","d":null}],"b":1}' },
    { given: { a: undefined, b: [undefined, 1] }, want: '{"b":[null,1]}' },
    { given: { '\u0000"': 'é\n' }, want: '{"\\u0000\\"":"é\\n"}' },
    { given: { b: 1, '10': 2, '': 3, '9': 4, '01': 5 }, want: '{"9":4,"10":2,"":3,"01":5,"b":1}' },
    { given: [], want: '[]' },
    { given: {}, want: '{}' },
  ]
  it.each(rows)('$want', ({ given, want }) => {
    expect(canonicalJson(given)).toBe(want)
  })

  it('is the compact form of what the lockfile writes (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(JSON.parse(prettyCanonicalJson(value))))
      }),
    )
  })
})
