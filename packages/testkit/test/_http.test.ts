import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { acceptsGzip, acceptsJson, ifNoneMatchHits, parseAccept } from '../src/_http.js'

describe('parseAccept (goautoneg ParseAccept)', () => {
  it.each([
    { given: 'application/json', want: [{ type: 'application', subType: 'json', q: 1 }] },
    {
      given: 'application/json;q=0.5, */*;q=0.9, application/*',
      want: [
        { type: 'application', subType: '*', q: 1 },
        { type: '*', subType: '*', q: 0.9 },
        { type: 'application', subType: 'json', q: 0.5 },
      ],
    },
    { given: ' , ', want: [] },
  ])('$given', ({ given, want }) => {
    expect(parseAccept(given)).toEqual(want)
  })

  it('never throws and always sorts by q, descending', () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        const clauses = parseAccept(header)
        for (let i = 1; i < clauses.length; i++) {
          expect((clauses[i - 1]?.q ?? 0) >= (clauses[i]?.q ?? 0)).toBe(true)
        }
      }),
    )
  })

  it('accepts JSON for every range that covers application/json, and no other', () => {
    const types = fc.constantFrom('application', '*', 'text', 'image')
    const subTypes = fc.constantFrom(
      'json',
      '*',
      'yaml',
      'com.github.proto-openapi.spec.v3.v1.0+protobuf',
    )
    fc.assert(
      fc.property(types, subTypes, (type, subType) => {
        const [clause] = parseAccept(`${type}/${subType}`)
        const want =
          (type === 'application' || type === '*') && (subType === 'json' || subType === '*')
        expect(clause !== undefined && acceptsJson(clause)).toBe(want)
      }),
    )
  })
})

describe('acceptsGzip (gziphandler)', () => {
  it.each([
    { given: 'gzip', want: true },
    { given: 'deflate, gzip;q=0.5', want: true },
    { given: 'gzip;q=0', want: false },
    { given: 'identity', want: false },
    { given: undefined, want: false },
  ])('$given → $want', ({ given, want }) => {
    expect(acceptsGzip(given)).toBe(want)
  })
})

describe('ifNoneMatchHits (net/http checkIfNoneMatch)', () => {
  const etag = '"ABC"'
  it.each([
    { given: '"ABC"', want: true },
    { given: 'W/"ABC"', want: true },
    { given: '"X", "ABC"', want: true },
    { given: '*', want: true },
    { given: '"abc"', want: false },
    { given: undefined, want: false },
  ])('$given → $want', ({ given, want }) => {
    expect(ifNoneMatchHits(given, etag)).toBe(want)
  })

  it('matches any list that contains the tag', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^"[A-F0-9]{1,8}"$/)), fc.nat(), (tags, at) => {
        const list = [...tags]
        list.splice(at % (list.length + 1), 0, etag)
        expect(ifNoneMatchHits(list.join(', '), etag)).toBe(true)
      }),
    )
  })
})
