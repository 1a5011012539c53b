import { describe, expect, it } from 'vitest'
import { canonicalValue } from '../../src/_canonical-json.js'
import { structuralSchema } from '../../src/crd/schema.js'
import type { JsonObject } from '../../src/types.js'

// structuralSchema() copies each node once: a node's fields are read by the copy of that node
// only, however deep it sits (copying every subtree again at each level read the deepest node
// once per ancestor: 8.6 copies per node on real CRDs).
describe('structuralSchema', () => {
  const counted = (depth: number): { schema: JsonObject; reads: number[] } => {
    const reads: number[] = []
    let node: JsonObject = { type: 'string' }
    for (let level = depth; level >= 0; level--) {
      const index = level
      reads[index] = 0
      const plain: JsonObject =
        level === depth
          ? node
          : level % 2 === 0
            ? { type: 'object', properties: { child: node } }
            : { type: 'array', items: node }
      node = new Proxy(plain, {
        get(target, key, receiver) {
          if (key === 'type') reads[index] = (reads[index] ?? 0) + 1
          return Reflect.get(target, key, receiver) as unknown
        },
      })
    }
    return { schema: node, reads }
  }

  // The one copy of a node reads `type` twice (to test it, to take it), at any depth.
  const rows: { given: number; want: number }[] = [
    { given: 1, want: 2 },
    { given: 12, want: 2 },
    { given: 40, want: 2 },
  ]
  it.each(rows)(
    'reads each node of a $given-deep schema as often as the root',
    ({ given, want }) => {
      const { schema, reads } = counted(given)
      structuralSchema(schema)
      expect(reads).toEqual(Array.from({ length: given + 1 }, () => want))
    },
  )

  // A real kube-apiserver v1.37.2 accepts a CRD whose properties are named `__proto__`,
  // `constructor` and `hasOwnProperty`, publishes each in /openapi/v3 and requires a required
  // `__proto__` (a Go map key like any other): the copy keeps them all.
  const named = (names: string[]): JsonObject =>
    JSON.parse(
      JSON.stringify({
        type: 'object',
        required: names.slice(0, 1),
        properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
      }),
    ) as JsonObject
  it.each([
    { given: ['__proto__'], want: ['__proto__'] },
    {
      given: ['__proto__', 'constructor', 'hasOwnProperty', 'toString'],
      want: ['__proto__', 'constructor', 'hasOwnProperty', 'toString'],
    },
  ])('keeps properties named $given', ({ given, want }) => {
    const got = structuralSchema(named(given))
    expect(Object.keys(got.properties as JsonObject)).toEqual(want)
    expect(Object.getPrototypeOf(got.properties)).toBe(Object.prototype)
    expect(JSON.parse(JSON.stringify(got))).toEqual(named(given))
  })

  // Its keys come out in the order canonical JSON sorts them, so storing a converted document
  // copies none of its schema nodes again (canonicalValue gives the node itself back).
  const sortedRows: { given: JsonObject; want: string[][] }[] = [
    {
      given: {
        type: 'object',
        description: 'd',
        required: ['b'],
        properties: { b: { type: 'string', pattern: 'x' }, a: { type: 'integer', minimum: 1 } },
        'x-kubernetes-validations': [{ rule: 'true' }],
        additionalProperties: false,
        nullable: true,
      },
      want: [
        [
          'additionalProperties',
          'description',
          'nullable',
          'properties',
          'required',
          'type',
          'x-kubernetes-validations',
        ],
        ['a', 'b'],
      ],
    },
    {
      // Every field a copy can have.
      given: Object.fromEntries(
        [
          ...['type', 'format', 'title', 'description', 'default', 'enum', 'pattern', 'required'],
          ...['maximum', 'minimum', 'maxLength', 'minLength', 'maxItems', 'minItems'],
          ...['multipleOf', 'maxProperties', 'minProperties', 'example'],
          ...['x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type'],
          'x-kubernetes-validations',
        ]
          .map((key): [string, unknown] => [key, 'v'])
          .concat(
            [
              ...['nullable', 'uniqueItems', 'exclusiveMaximum', 'exclusiveMinimum'],
              ...['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource'],
              'x-kubernetes-int-or-string',
            ].map((key) => [key, true]),
          )
          .concat([
            ['externalDocs', { url: 'u', description: 'd' }],
            ['allOf', [{ type: 'string' }]],
            ['anyOf', [{ type: 'integer' }, { type: 'string' }]],
            ['oneOf', [{ type: 'string' }]],
            ['not', { type: 'string' }],
            ['properties', { z: { type: 'string' }, a: { type: 'string' } }],
            ['items', { type: 'string' }],
            ['additionalProperties', { type: 'string' }],
          ]),
      ),
      want: [
        [
          'additionalProperties',
          'allOf',
          'anyOf',
          'default',
          'description',
          'enum',
          'example',
          'exclusiveMaximum',
          'exclusiveMinimum',
          'externalDocs',
          'format',
          'items',
          'maxItems',
          'maxLength',
          'maxProperties',
          'maximum',
          'minItems',
          'minLength',
          'minProperties',
          'minimum',
          'multipleOf',
          'not',
          'nullable',
          'oneOf',
          'pattern',
          'properties',
          'required',
          'title',
          'type',
          'uniqueItems',
          'x-kubernetes-embedded-resource',
          'x-kubernetes-int-or-string',
          'x-kubernetes-list-map-keys',
          'x-kubernetes-list-type',
          'x-kubernetes-map-type',
          'x-kubernetes-preserve-unknown-fields',
          'x-kubernetes-validations',
        ],
        ['a', 'z'],
      ],
    },
    {
      given: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'string', pattern: 'p' }] },
      want: [['allOf', 'anyOf', 'x-kubernetes-int-or-string'], []],
    },
  ]
  it.each(sortedRows)('keys come out sorted: $want', ({ given, want }) => {
    const got = structuralSchema(given)
    expect([Object.keys(got), Object.keys((got.properties ?? {}) as JsonObject)]).toEqual(want)
    expect(canonicalValue(got)).toBe(got)
  })

  it('copies: the result shares no node with the input', () => {
    const input: JsonObject = { type: 'object', properties: { a: { type: 'string' } } }
    const got = structuralSchema(input)
    expect(got).toEqual(input)
    expect(got.properties).not.toBe(input.properties)
  })
})
