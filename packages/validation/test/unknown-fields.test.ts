// Fields a custom resource's schema does not declare, as a real kube-apiserver v1.37.2 reported
// them (POST …/widgets?dryRun=All): Warning headers under fieldValidation=Warn, the 400 Status
// under fieldValidation=Strict.
import { describe, expect, it } from 'vitest'
import { findUnknownFields, newStrictDecodingError } from '../src/index.js'
import { widget, widgetsDocument } from './_widgets.js'

const rows: { given: unknown; want: string[] }[] = [
  { given: widget({ host: 'abc', size: 'm' }), want: [] },
  {
    given: { ...(widget({ host: 'abc', x: 1, extra: { y: { z: 1 } } }) as object), foo: 1 },
    want: ['unknown field "foo"', 'unknown field "spec.x"'],
  },
  {
    given: widget({
      host: 'abc',
      ports: [{ name: 'a', proto: 'TCP' }],
      labels: { k: 'v' },
      tags: [{ b: 1 }],
    }),
    want: ['unknown field "spec.ports[0].proto"', 'unknown field "spec.tags[0].b"'],
  },
  {
    given: widget({
      host: 'abcdefghijkl',
      tags: [1, { a: 1 }, { a: 1 }],
      x: 1,
      extra: { y: { z: 1 } },
    }),
    want: [
      'unknown field "spec.tags[1].a"',
      'unknown field "spec.tags[2].a"',
      'unknown field "spec.x"',
    ],
  },
]

describe('findUnknownFields reports what the server prunes, sorted as it sorts them', () => {
  it.each(rows)('$given', ({ given, want }) => {
    expect(findUnknownFields(widgetsDocument, given).map((u) => u.message)).toEqual(want)
  })
})

describe('newStrictDecodingError is the 400 of fieldValidation=Strict', () => {
  it('names the kind, the version and every unknown field', () => {
    const given = findUnknownFields(widgetsDocument, {
      ...(widget({ host: 'abc', x: 1 }) as object),
      foo: 1,
    }).map((u) => u.message)
    expect(newStrictDecodingError('Widget', 'v1', given)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "foo", unknown field "spec.x"',
      reason: 'BadRequest',
      code: 400,
    })
  })
})
