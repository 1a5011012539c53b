import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, canonicalValue, prettyCanonicalJson } from '../src/_canonical-json.js'

describe('canonicalJson', () => {
  const rows: { given: unknown; want: string }[] = [
    { given: { b: 1, a: [2, { d: null, c: 'x' }] }, want: '{"a":[2,{"c":"x","d":null}],"b":1}' },
    { given: { a: undefined, b: [undefined, 1] }, want: '{"b":[null,1]}' },
    { given: { '\u0000"': 'é\n' }, want: '{"\\u0000\\"":"é\\n"}' },
    { given: { b: 1, '10': 2, '': 3, '9': 4, '01': 5 }, want: '{"9":4,"10":2,"":3,"01":5,"b":1}' },
    { given: [], want: '[]' },
    { given: {}, want: '{}' },
    // A schema property named `__proto__` (JSON.parse makes it an own key; the apiserver accepts
    // and publishes it) is a key like any other.
    { given: JSON.parse('{"b":1,"__proto__":{"x":1}}'), want: '{"__proto__":{"x":1},"b":1}' },
    { given: JSON.parse('{"__proto__":2,"a":1}'), want: '{"__proto__":2,"a":1}' },
  ]
  it.each(rows)('$want', ({ given, want }) => {
    expect(canonicalJson(given)).toBe(want)
  })

  // The form is that of a key-sorted copy of every object (an own `__proto__` kept as a key),
  // whichever objects are already sorted (kept as they are) and whatever keys enumerate first
  // (integer-like ones).
  const copySorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copySorted)
    if (value === null || typeof value !== 'object') return value
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, copySorted((value as Record<string, unknown>)[key])]),
    )
  }
  const key = fc.oneof(
    fc.constantFrom('', '0', '9', '10', '01', 'a', 'b', 'B', '__proto__'),
    fc.string(),
  )
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 1 }),
      fc.array(tie('tree')),
      fc.dictionary(key, tie('tree')),
    ),
  }))

  it('is JSON of a key-sorted copy, sorted or not (property)', () => {
    fc.assert(
      fc.property(tree, (value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(copySorted(value)))
      }),
    )
  })

  // What `generate --crds` hands the generator instead of reading the stored entry back.
  it('canonicalValue is what parsing the canonical JSON gives back, key order included (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const got = canonicalValue(value)
        expect(JSON.stringify(got)).toBe(canonicalJson(value))
        expect(JSON.stringify(got)).toBe(JSON.stringify(JSON.parse(canonicalJson(value))))
        expect(got).toStrictEqual(JSON.parse(canonicalJson(value)))
      }),
    )
  })

  // js-yaml reads `-0.0` as -0, which JSON writes and reads back as 0 (a counterexample of the
  // property above).
  it('canonicalValue gives 0 for a negative zero, as its JSON reads back', () => {
    const rows = [
      { given: { '': -0 }, want: { '': 0 } },
      { given: [1, -0], want: [1, 0] },
      { given: { a: { b: [-0] } }, want: { a: { b: [0] } } },
      { given: -0, want: 0 },
    ]
    for (const { given, want } of rows) expect(canonicalValue(given)).toStrictEqual(want)
  })

  it('canonicalValue keeps a sorted value as it is and copies an unsorted one', () => {
    const sorted = { a: [{ b: 1, c: { d: 2 } }], e: 'x' }
    expect(canonicalValue(sorted)).toBe(sorted)
    const unsorted = { a: [{ c: { d: 2 }, b: 1 }], e: 'x' }
    const got = canonicalValue(unsorted) as typeof unsorted
    expect(got).not.toBe(unsorted)
    expect(Object.keys(got.a[0] ?? {})).toEqual(['b', 'c'])
    expect(got.a[0]?.c).toBe(unsorted.a[0]?.c)
  })

  it('is the compact form of what the lockfile writes (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(JSON.parse(prettyCanonicalJson(value))))
      }),
    )
  })
})
