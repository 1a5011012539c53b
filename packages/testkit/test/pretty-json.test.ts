import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { indentJson, wantsPrettyJson } from '../src/pretty-json.js'

// encoding/json's HTML escaping, which json.MarshalIndent applies to every string.
const goEscaped = (text: string): string =>
  text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

describe('pretty JSON as the apiserver writes it for curl', () => {
  it.each([
    { given: '{}', want: '{}' },
    { given: '{"a":[],"b":{}}', want: '{\n  "a": [],\n  "b": {}\n}' },
    {
      given: '{"kind":"Status","details":{"causes":[{"field":"a"}]},"code":422}',
      want: '{\n  "kind": "Status",\n  "details": {\n    "causes": [\n      {\n        "field": "a"\n      }\n    ]\n  },\n  "code": 422\n}',
    },
    {
      given: '{"cells":["<none>","a&b"]}',
      want: '{\n  "cells": [\n    "\\u003cnone\\u003e",\n    "a\\u0026b"\n  ]\n}',
    },
    {
      given: '{"big":9007199254740993,"q":"\\"x\\\\"}',
      want: '{\n  "big": 9007199254740993,\n  "q": "\\"x\\\\"\n}',
    },
  ])('$given', ({ given, want }) => {
    expect(indentJson(given)).toBe(want)
  })

  it('re-indents any JSON as JSON.stringify(value, null, 2) does, strings HTML-escaped', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const compact = JSON.stringify(value)
        const indented = indentJson(compact)
        expect(indented).toBe(goEscaped(JSON.stringify(value, null, 2)))
        expect(JSON.parse(indented)).toEqual(JSON.parse(compact))
        expect(indentJson(indented)).toBe(indented)
      }),
    )
  })

  it.each([
    { given: { query: '', agent: 'curl/8.5.0' }, want: true },
    { given: { query: '', agent: 'Wget/1.21' }, want: true },
    { given: { query: '', agent: 'Mozilla/5.0 (X11)' }, want: true },
    { given: { query: '', agent: 'kubectl/v1.32.4 (linux/amd64)' }, want: false },
    { given: { query: 'pretty=true', agent: 'kubectl/v1.32.4' }, want: true },
    { given: { query: 'pretty=0', agent: 'curl/8.5.0' }, want: false },
    { given: { query: 'pretty=', agent: 'curl/8.5.0' }, want: true },
    { given: { query: 'pretty=yes', agent: 'curl/8.5.0' }, want: false },
  ])('isPrettyPrint $given.query $given.agent', ({ given, want }) => {
    expect(wantsPrettyJson(new URLSearchParams(given.query), given.agent)).toBe(want)
  })
})
