// Schemas that refer to themselves: what is found once per schema node (whether a subtree holds a
// default, a set or map list) must not be missed where a node's answer depends on a node still
// being examined. Tree → a (Branch) → b (Tree): Branch is examined while Tree is, and only
// through Tree does it reach the default of `d.c` and the set list `tags`.
import { describe, expect, it } from 'vitest'
import { decodeObject, validateObject, type OpenApiDocument } from '../src/index.js'

const document: OpenApiDocument = {
  components: {
    schemas: {
      'com.example.v1.Forest': {
        type: 'object',
        'x-kubernetes-group-version-kind': [
          { group: 'example.com', version: 'v1', kind: 'Forest' },
        ],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { type: 'object' },
          spec: { $ref: '#/components/schemas/com.example.v1.Tree' },
        },
      },
      'com.example.v1.Tree': {
        type: 'object',
        properties: {
          a: { $ref: '#/components/schemas/com.example.v1.Branch' },
          c: { type: 'string' },
          d: { $ref: '#/components/schemas/com.example.v1.Leaf' },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        },
      },
      'com.example.v1.Leaf': {
        type: 'object',
        properties: { c: { type: 'string', default: 'leaf' } },
      },
      'com.example.v1.Branch': {
        type: 'object',
        properties: { b: { $ref: '#/components/schemas/com.example.v1.Tree' } },
      },
    },
  },
}

const forest = (spec: unknown): unknown => ({
  apiVersion: 'example.com/v1',
  kind: 'Forest',
  metadata: { name: 'f' },
  spec,
})

describe('defaults and list types are found through a schema that refers to itself', () => {
  it.each([
    { given: forest({ a: { b: { d: {} } } }), want: forest({ a: { b: { d: { c: 'leaf' } } } }) },
    {
      given: forest({ d: { c: 'x' }, a: { b: { a: { b: { d: { c: null } } } } } }),
      want: forest({ d: { c: 'x' }, a: { b: { a: { b: { d: { c: 'leaf' } } } } } }),
    },
  ])('decodeObject($given)', ({ given, want }) => {
    expect(decodeObject(document, given)).toEqual(want)
  })

  it.each([
    {
      given: forest({ c: 'x', a: { b: { tags: ['p', 'p'] } } }),
      want: [
        {
          reason: 'FieldValueDuplicate',
          field: 'spec.a.b.tags[1]',
          message: 'Duplicate value: "p"',
        },
      ],
    },
    // Causes follow the schema's order of properties, not the object's order of keys.
    {
      given: forest({ tags: ['q', 'q'], c: 1, a: 'no' }),
      want: [
        {
          reason: 'FieldValueTypeInvalid',
          field: 'spec.a',
          message: 'Invalid value: "string": spec.a in body must be of type object: "string"',
        },
        {
          reason: 'FieldValueTypeInvalid',
          field: 'spec.c',
          message: 'Invalid value: "integer": spec.c in body must be of type string: "integer"',
        },
        { reason: 'FieldValueDuplicate', field: 'spec.tags[1]', message: 'Duplicate value: "q"' },
      ],
    },
  ])('validateObject($given)', ({ given, want }) => {
    expect(validateObject(document, given)?.details.causes).toEqual(want)
  })
})
