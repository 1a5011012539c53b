// Input made to be slow or to exhaust the stack finishes with the server's answer or a coded error.
// (No timing is asserted: re2js matches in linear time, so a pathological pattern cannot stall.)
import { describe, expect, it } from 'vitest'
import {
  decodeObject,
  findUnknownFields,
  isK8sCodegenError,
  maxDepth,
  validateObject,
  type OpenApiDocument,
  type Schema,
} from '../src/index.js'

function documentFor(spec: Schema, extra: Record<string, Schema> = {}): OpenApiDocument {
  return {
    components: {
      schemas: {
        'com.example.v1.Thing': {
          type: 'object',
          'x-kubernetes-group-version-kind': [
            { group: 'example.com', version: 'v1', kind: 'Thing' },
          ],
          properties: { spec },
        },
        ...extra,
      },
    },
  }
}

const thing = (spec: unknown): unknown => ({
  apiVersion: 'example.com/v1',
  kind: 'Thing',
  metadata: { name: 't' },
  spec,
})

function nested(depth: number): unknown {
  let v: unknown = {}
  for (let i = 0; i < depth; i++) v = { child: v }
  return v
}

describe('hostile input', () => {
  // A body's "__proto__" is an ordinary field to the server (a Go map key): kept where the schema
  // keeps unknown fields, an unknown field where it does not, and never the copy's prototype.
  it.each([
    {
      given: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      want: { unknown: [], kept: { x: 1 } },
    },
    {
      given: { type: 'object', properties: { a: { type: 'string', default: 'd' } } },
      want: { unknown: ['spec.__proto__'], kept: undefined },
    },
    {
      given: {
        type: 'object',
        additionalProperties: { type: 'object', properties: { b: { default: 1 } } },
      },
      want: { unknown: ['spec.__proto__.x'], kept: { b: 1 } },
    },
  ] satisfies { given: Schema; want: unknown }[])(
    'a "__proto__" field under $given',
    ({ given, want }) => {
      const object = thing(JSON.parse('{"__proto__": {"x": 1}}'))
      const document = documentFor(given)
      expect(findUnknownFields(document, object).map((u) => u.path)).toEqual(want.unknown)
      const spec = decodeObject(document, object)['spec'] as Record<string, unknown>
      expect(Object.getPrototypeOf(spec)).toBe(Object.prototype)
      expect(Object.getOwnPropertyDescriptor(spec, '__proto__')?.value).toEqual(
        want.kept === undefined ? undefined : expect.objectContaining(want.kept),
      )
    },
  )

  it('matches a pathological pattern against a long string in linear time', () => {
    const given = thing({ s: 'a'.repeat(100_000) + '!' })
    const got = validateObject(
      documentFor({ type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } }),
      given,
    )
    expect(got?.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.s',
        message: `Invalid value: "${'a'.repeat(100_000)}!": spec.s in body should match '^(a+)+$'`,
      },
    ])
  })

  it('counts the runes of a huge string without printing it', () => {
    const given = thing({ s: 'é'.repeat(5_000_000) })
    const got = validateObject(
      documentFor({ type: 'object', properties: { s: { type: 'string', maxLength: 10 } } }),
      given,
    )
    expect(got?.message).toBe(
      'Thing.example.com "t" is invalid: spec.s: Too long: may not be more than 10 bytes',
    )
  })

  it('keeps deep nesting under x-kubernetes-preserve-unknown-fields without walking it', () => {
    const given = thing({ free: nested(maxDepth - 10) })
    const spec: Schema = {
      type: 'object',
      properties: { free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    }
    expect(validateObject(documentFor(spec), given)).toBeUndefined()
  })

  it('refuses an object nested deeper than maxDepth under a recursive schema with a coded error', () => {
    const node: Schema = {
      type: 'object',
      properties: { child: { $ref: '#/components/schemas/Node' } },
    }
    const given = thing(nested(100_000))
    const error = ((): unknown => {
      try {
        return validateObject(
          documentFor({ $ref: '#/components/schemas/Node' }, { Node: node }),
          given,
        )
      } catch (e) {
        return e
      }
    })()
    expect(isK8sCodegenError(error) && error.code).toBe('K8S_CODEGEN_VALIDATION_TOO_DEEP')
  })

  it('walks a recursive schema as deep as the object goes', () => {
    const node: Schema = {
      type: 'object',
      properties: { child: { $ref: '#/components/schemas/Node' }, n: { type: 'integer' } },
    }
    let given: unknown = { n: 'x' }
    for (let i = 0; i < 3; i++) given = { child: given }
    const got = validateObject(
      documentFor({ $ref: '#/components/schemas/Node' }, { Node: node }),
      thing(given),
    )
    expect(got?.details.causes).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.child.child.child.n',
        message:
          'Invalid value: "string": spec.child.child.child.n in body must be of type integer: "string"',
      },
    ])
  })
})

describe('an object that cannot be validated is a coded error', () => {
  const rows = [
    { given: { kind: 'Thing' }, want: 'K8S_CODEGEN_VALIDATION_NOT_AN_OBJECT' },
    {
      given: { apiVersion: 'example.com/v2', kind: 'Thing' },
      want: 'K8S_CODEGEN_VALIDATION_KIND_NOT_FOUND',
    },
    {
      given: { apiVersion: 'example.com/v1', kind: 'Other' },
      want: 'K8S_CODEGEN_VALIDATION_KIND_NOT_FOUND',
    },
  ]
  it.each(rows)('$given', ({ given, want }) => {
    const error = ((): unknown => {
      try {
        return validateObject(documentFor({ type: 'object' }), given)
      } catch (e) {
        return e
      }
    })()
    expect(isK8sCodegenError(error) && error.code).toBe(want)
  })

  it('names a dangling $ref', () => {
    expect(() =>
      validateObject(documentFor({ $ref: '#/components/schemas/Missing' }), thing({})),
    ).toThrow(
      'schema reference "#/components/schemas/Missing" names no schema of the example.com/v1 document',
    )
  })
})
