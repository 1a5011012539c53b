// allOf, anyOf, oneOf and not of fixtures/gadgets-crd.json, each `want` recorded from a real
// kube-apiserver v1.37.2 (POST …/gadgets?dryRun=All; undefined = 201 Created) against the document
// it published (fixtures/gadgets-openapi-v3.json). kube-openapi reports a failed composition at
// <nil>, followed by the errors of the branch that matched most (Result.MatchCount).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { validateObject, type OpenApiDocument, type StatusCause } from '../src/index.js'
import { sortedCauses } from './_widgets.js'

const document = JSON.parse(
  readFileSync(new URL('fixtures/gadgets-openapi-v3.json', import.meta.url), 'utf8'),
) as OpenApiDocument

const rows: { given: unknown; want: { message: string; causes: StatusCause[] } | undefined }[] = [
  {
    given: { pick: {} },
    want: {
      message:
        'Gadget.example.com "g" is invalid: [<nil>: Invalid value: "": "spec.pick" must validate one and only one schema (oneOf). Found none valid, spec.pick.x: Required value]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "": "spec.pick" must validate one and only one schema (oneOf). Found none valid',
          field: '<nil>',
        },
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.pick.x' },
      ],
    },
  },
  {
    given: { pick: { x: 'a', y: 'b' } },
    want: {
      message:
        'Gadget.example.com "g" is invalid: <nil>: Invalid value: "": "spec.pick" must validate one and only one schema (oneOf). Found 2 valid alternatives',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "": "spec.pick" must validate one and only one schema (oneOf). Found 2 valid alternatives',
          field: '<nil>',
        },
      ],
    },
  },
  {
    given: { either: {} },
    want: {
      message:
        'Gadget.example.com "g" is invalid: [<nil>: Invalid value: "": "spec.either" must validate at least one schema (anyOf), spec.either.x: Required value]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "": "spec.either" must validate at least one schema (anyOf)',
          field: '<nil>',
        },
        { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.either.x' },
      ],
    },
  },
  {
    given: { either: { y: 3 } },
    want: {
      message:
        'Gadget.example.com "g" is invalid: [<nil>: Invalid value: "": "spec.either" must validate at least one schema (anyOf), spec.either.y: Invalid value: 3: spec.either.y in body should be greater than or equal to 5]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "": "spec.either" must validate at least one schema (anyOf)',
          field: '<nil>',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 3: spec.either.y in body should be greater than or equal to 5',
          field: 'spec.either.y',
        },
      ],
    },
  },
  {
    given: { all: 0 },
    want: {
      message:
        'Gadget.example.com "g" is invalid: [spec.all: Invalid value: 0: spec.all in body should be greater than or equal to 1, <nil>: Invalid value: "": "spec.all" must validate all the schemas (allOf)]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0: spec.all in body should be greater than or equal to 1',
          field: 'spec.all',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "": "spec.all" must validate all the schemas (allOf)',
          field: '<nil>',
        },
      ],
    },
  },
  {
    given: { all: 3 },
    want: {
      message:
        'Gadget.example.com "g" is invalid: [spec.all: Invalid value: 3: spec.all in body should be a multiple of 2, <nil>: Invalid value: "": "spec.all" must validate all the schemas (allOf)]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 3: spec.all in body should be a multiple of 2',
          field: 'spec.all',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "": "spec.all" must validate all the schemas (allOf)',
          field: '<nil>',
        },
      ],
    },
  },
  {
    given: { all: 12 },
    want: {
      message:
        'Gadget.example.com "g" is invalid: [spec.all: Invalid value: 12: spec.all in body should be less than or equal to 10, <nil>: Invalid value: "": "spec.all" must validate all the schemas (allOf)]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 12: spec.all in body should be less than or equal to 10',
          field: 'spec.all',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "": "spec.all" must validate all the schemas (allOf)',
          field: '<nil>',
        },
      ],
    },
  },
  {
    given: { notBad: 'bad' },
    want: {
      message:
        'Gadget.example.com "g" is invalid: <nil>: Invalid value: "": "spec.notBad" must not validate the schema (not)',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "": "spec.notBad" must not validate the schema (not)',
          field: '<nil>',
        },
      ],
    },
  },
  {
    given: { bare: true },
    want: {
      message:
        'Gadget.example.com "g" is invalid: spec.bare: Invalid value: "boolean": spec.bare in body must be of type integer,string: "boolean"',
      causes: [
        {
          reason: 'FieldValueTypeInvalid',
          message:
            'Invalid value: "boolean": spec.bare in body must be of type integer,string: "boolean"',
          field: 'spec.bare',
        },
      ],
    },
  },
]

describe('validateObject evaluates allOf, anyOf, oneOf and not as kube-openapi does', () => {
  it.each(rows)('$given', ({ given, want }) => {
    const got = validateObject(document, {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g' },
      spec: given,
    })
    if (want === undefined) return expect(got).toBeUndefined()
    expect(got && sortedCauses(got.details.causes)).toEqual(sortedCauses(want.causes))
    expect(got?.message).toBe(want.message)
  })
})
