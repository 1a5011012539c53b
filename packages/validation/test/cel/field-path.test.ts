// A rule's fieldPath as apiextensions-apiserver pkg/apiserver/schema/cel/validation.go
// ValidFieldPath reads it: rows from its TestValidateFieldPath (validation_test.go, v0.37.2), with
// the schema of that test, and a property over quoted names.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalizedFieldPath, validFieldPath } from '../../src/cel/field-path.js'
import type { Schema } from '../../src/index.js'

const number: Schema = { type: 'number' }
const schema: Schema = {
  type: 'object',
  properties: {
    foo: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { subAdd: number } },
    },
    'white space': number,
    "'foo'bar": number,
    a: {
      type: 'object',
      properties: {
        "foo's": number,
        'test\u0007': number,
        'bb[b': number,
        bbb: { type: 'object', properties: { c: number, '34': number } },
        'bbb.c': { type: 'object', properties: { "a-b.3'4": number } },
      },
    },
    list: { type: 'array', items: { type: 'object', properties: { a: number } } },
  },
}

const rows: { given: string; want: string | undefined }[] = [
  { given: '.a', want: 'a' },
  { given: "['\\'foo\\'bar']", want: "'foo'bar" },
  { given: ".\\'foo\\'bar", want: undefined },
  { given: '. a', want: undefined },
  { given: '.white space', want: 'white space' },
  { given: "['white space']", want: 'white space' },
  { given: '.a.bb[b', want: undefined },
  { given: ".a['bbb.c']", want: 'a.bbb.c' },
  { given: ".a['bbb.c'", want: undefined },
  { given: '.', want: undefined },
  { given: '.foo.subAdd', want: 'foo[subAdd]' },
  { given: ".foo['subAdd']", want: 'foo[subAdd]' },
  { given: ".a.foo's", want: "a.foo's" },
  { given: ".a['foo\\'s']", want: "a.foo's" },
  { given: ".a['test\\a']", want: 'a.test\u0007' },
  { given: '.a.foo', want: undefined },
  { given: '.a.bbb[0]', want: undefined },
  { given: '.a.bbb.34', want: 'a.bbb.34' },
  { given: ".a.bbb['34']", want: 'a.bbb.34' },
  { given: '.list', want: 'list' },
  { given: '.list[0]', want: undefined },
  { given: ".list['a']", want: undefined },
  { given: 'a', want: undefined },
  { given: '.c', want: undefined },
  { given: '.a..b', want: undefined },
]

describe('normalizedFieldPath', () => {
  it.each(rows)('$given', ({ given, want }) => {
    expect(normalizedFieldPath(given, schema)).toBe(want)
  })

  it('reads any chain of quoted property names back as the field path', () => {
    // A name ending in a backslash cannot be quoted: the server's scanner reads `\'` as an
    // escaped quote, not the end of the string.
    const name = fc.string({ minLength: 1, maxLength: 8 }).filter((n) => !n.endsWith('\\'))
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 5 }), (names) => {
        const nested = names.reduceRight<Schema>(
          (inner, n) => ({ type: 'object', properties: { [n]: inner } }),
          number,
        )
        const path = names
          .map((n) => `['${n.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`)
          .join('')
        expect(normalizedFieldPath(path, nested)).toBe(names.join('.'))
      }),
    )
  })
})

// ValidFieldPath's errors (validation.go, v0.37.2), which a CRD's selectable fields report
// (`is an invalid path: …`); selectable fields allow no array notation.
const errorRows: { given: string; arrays?: boolean; want: string }[] = [
  { given: '.c', want: 'does not refer to a valid field' },
  { given: 'a', want: 'expected [ or . but got: a' },
  { given: '.', want: 'unexpected end of JSON path' },
  { given: ".a['bbb.c'", want: 'unexpected end of JSON path' },
  { given: '.a.bbb[0]', want: 'expected single quoted string but got 0' },
  { given: ".a['x\\q']", want: 'invalid string literal: invalid escape char \\q' },
  { given: ".list['a']", want: 'does not refer to a valid field' },
  { given: "['white space']", arrays: false, want: 'array notation is not allowed' },
]

describe('validFieldPath', () => {
  it.each(errorRows)('$given', ({ given, arrays, want }) => {
    expect(
      validFieldPath(given, schema, arrays === undefined ? {} : { allowArrayNotation: arrays }),
    ).toEqual({ error: want })
  })

  it('names the schema and the root segment of a valid path', () => {
    expect(validFieldPath('.a.bbb.c', schema, { allowArrayNotation: false })).toEqual({
      path: 'a.bbb.c',
      root: 'a',
      schema: number,
    })
  })
})
