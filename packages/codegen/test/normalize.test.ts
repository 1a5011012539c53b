import { describe, expect, it } from 'vitest'

import { CodegenError } from '../src/errors.js'
import type { Schema } from '../src/types.js'
import {
  LITERALS_KEY,
  LITERAL_TYPE,
  OPEN_TYPE,
  REF_KEY,
  REF_TYPE,
  normalizeSchema,
  refName,
  type NormalizeContext,
} from '../src/normalize.js'
import { RULES_KEY } from '../src/validation-doc.js'

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'
const ctx: NormalizeContext = {
  has: (name) => name === META,
  docs: true,
  objectMeta: META,
  appliesDefaults: false,
}
const metaRef = { type: REF_TYPE, [REF_KEY]: META }

describe('normalizeSchema', () => {
  it.each([
    {
      name: 'v3 int-or-string',
      given: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
      want: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
    },
    {
      name: 'v2 int-or-string',
      given: { format: 'int-or-string', type: 'string' },
      want: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
    },
    {
      name: 'CRD int-or-string',
      given: {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
      },
      want: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
    },
    {
      name: 'single-entry allOf unwrapped, default dropped',
      given: { allOf: [{ $ref: `#/components/schemas/${META}` }], default: {}, description: 'd' },
      want: { ...metaRef, description: 'd' },
    },
    { name: 'v2 $ref spelling', given: { $ref: `#/definitions/${META}` }, want: metaRef },
    { name: 'empty object is open', given: { type: 'object' }, want: { type: OPEN_TYPE } },
    {
      name: 'preserve-unknown-fields object is open',
      given: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      want: { type: OPEN_TYPE },
    },
    {
      name: 'preserve-unknown-fields keeps known properties plus an index signature',
      given: {
        type: 'object',
        properties: { a: { type: 'string' } },
        'x-kubernetes-preserve-unknown-fields': true,
      },
      want: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true },
    },
    {
      name: 'untyped preserve-unknown-fields is any JSON value',
      given: { 'x-kubernetes-preserve-unknown-fields': true },
      want: {},
    },
    {
      name: 'embedded resource',
      given: { type: 'object', 'x-kubernetes-embedded-resource': true },
      want: {
        type: 'object',
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: metaRef },
        required: [],
        additionalProperties: true,
      },
    },
    {
      name: 'date-time keeps its format note',
      given: { type: 'string', format: 'date-time' },
      want: { type: 'string', format: 'date-time' },
    },
    {
      name: 'byte keeps its format note',
      given: { type: 'string', format: 'byte' },
      want: { type: 'string', format: 'byte' },
    },
    {
      name: 'int32 format: a @format tag, the type stays number',
      given: { type: 'integer', format: 'int32' },
      want: { type: 'integer', [RULES_KEY]: ['@format int32'] },
    },
    {
      name: 'rules of a $ref wrapped in allOf with its own rules are kept beside the ref',
      given: { allOf: [{ $ref: `#/components/schemas/${META}` }], maxProperties: 3 },
      want: { ...metaRef, [RULES_KEY]: ['@maxProperties 3'] },
    },
    {
      name: 'an enum the literal union shows is not listed again',
      given: { type: 'string', enum: ['b', 'a'], maxLength: 1 },
      want: { type: LITERAL_TYPE, [LITERALS_KEY]: ['a', 'b'], [RULES_KEY]: ['@maxLength 1'] },
    },
    {
      name: 'enum becomes sorted literals',
      given: { type: 'string', enum: ['b', 'a'] },
      want: { type: LITERAL_TYPE, [LITERALS_KEY]: ['a', 'b'] },
    },
    {
      name: 'required keeps only declared properties',
      given: {
        type: 'object',
        required: ['a', 'ghost', 'constructor'],
        properties: { a: { type: 'string' } },
      },
      want: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
    },
    {
      name: '__proto__ is a property like any other',
      given: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}') as Schema,
      want: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}') as Schema,
    },
    {
      name: 'map of strings',
      given: { type: 'object', additionalProperties: { type: 'string' } },
      want: { type: 'object', additionalProperties: { type: 'string' } },
    },
    {
      name: 'array items',
      given: { type: 'array', items: { type: 'object' } },
      want: { type: 'array', items: { type: OPEN_TYPE } },
    },
  ])('$name', ({ given, want }) => {
    expect(normalizeSchema(given, ctx, 'X')).toEqual(want)
  })

  // Who the rule applies to: CRD schemas (the apiserver defaults them before validating) and
  // never built-ins (kube-openapi's zero-value markers: `default: ""`, `0`, `false`, `{}`).
  it.each([
    {
      name: 'CRD: a default makes a required field optional',
      appliesDefaults: true,
      default: 3,
      want: [],
    },
    { name: 'CRD: an empty-object default too', appliesDefaults: true, default: {}, want: [] },
    {
      name: 'built-in: "" beside required stays required',
      appliesDefaults: false,
      default: '',
      want: ['b'],
    },
    {
      name: 'built-in: 0 beside required stays required',
      appliesDefaults: false,
      default: 0,
      want: ['b'],
    },
    {
      name: 'built-in: false beside required stays required',
      appliesDefaults: false,
      default: false,
      want: ['b'],
    },
    {
      name: 'built-in: {} beside required stays required',
      appliesDefaults: false,
      default: {},
      want: ['b'],
    },
  ])('$name', ({ appliesDefaults, default: value, want }) => {
    const given = {
      type: 'object',
      required: ['b'],
      properties: { b: { type: 'integer', default: value } },
    }
    expect(normalizeSchema(given, { ...ctx, appliesDefaults }, 'X').required ?? []).toEqual(want)
  })

  it('drops descriptions when docs are off', () => {
    expect(
      normalizeSchema({ type: 'string', description: 'd' }, { ...ctx, docs: false }, 'X'),
    ).toEqual({ type: 'string' })
  })

  it('names the schema and field of an unresolved $ref', () => {
    const call = (): unknown =>
      normalizeSchema(
        { properties: { spec: { $ref: '#/components/schemas/io.k8s.Missing' } } },
        ctx,
        'io.k8s.api.core.v1.Pod',
      )
    expect(call).toThrow(CodegenError)
    expect(call).toThrow(
      /io\.k8s\.api\.core\.v1\.Pod\.spec: \$ref '#\/components\/schemas\/io\.k8s\.Missing' names no schema/,
    )
  })
})

// RFC 6901 §6: a JSON pointer in a URI fragment is percent-encoded. Found by the names property
// test, whose producer wrote a schema named '%00 ' unescaped (a pointer to "\u0000 ").
describe('refName', () => {
  it.each([
    {
      given: '#/components/schemas/io.k8s.api.apps.v1.Deployment',
      want: 'io.k8s.api.apps.v1.Deployment',
    },
    { given: '#/definitions/io.k8s.api.apps.v1.Deployment', want: 'io.k8s.api.apps.v1.Deployment' },
    { given: '#/components/schemas/%2500%20', want: '%00 ' },
    { given: '#/components/schemas/%00 ', want: '\u0000 ' },
    { given: '#/components/schemas/100%', want: '100%' },
    { given: 'other.json#/components/schemas/X', want: undefined },
  ])('$given → $want', ({ given, want }) => {
    expect(refName(given)).toBe(want)
  })
})
