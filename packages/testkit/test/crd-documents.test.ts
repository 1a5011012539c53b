import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { JsonObject } from '../src/_json.js'
import { loadCrdFiles, serveCrds } from '../src/crd-documents.js'

// An int-or-string node as the server publishes it (apiextensions-apiserver
// `pkg/apiserver/schema/unfold.go` Unfold): kept when it already spells `anyOf: [{type: integer},
// {type: string}]` (isIntOrStringAnyOfPattern, also as the first allOf: isIntOrStringAllOfPattern,
// both a DeepEqual, so an element with any other field is no such pattern), else given that anyOf,
// or with its own anyOf that pair is prepended to allOf.
// The project's test CRD (test.dev Thing, stored as v1) with `spec.field` set to the node.
const [thing] = loadCrdFiles([fileURLToPath(new URL('fixtures/crds/things.yaml', import.meta.url))])
function crd(field: Record<string, unknown>): JsonObject {
  const copy = structuredClone(thing) as JsonObject & { spec: { versions: JsonObject[] } }
  const v1 = copy.spec.versions.find((v) => v['name'] === 'v1') as JsonObject
  v1['schema'] = {
    openAPIV3Schema: {
      type: 'object',
      properties: { spec: { type: 'object', properties: { field } } },
    },
  }
  return copy
}
const PAIR = [{ type: 'integer' }, { type: 'string' }]

function published(field: Record<string, unknown>): unknown {
  const input = crd(field)
  const before = structuredClone(input)
  const served = serveCrds([input], {
    schema: () => ({ type: 'object' }),
    parameter: () => undefined,
  })
  const document = JSON.parse(served.documents.get('apis/test.dev/v1')?.() ?? '{}') as {
    components: { schemas: Record<string, { properties: Record<string, unknown> }> }
  }
  const spec = document.components.schemas['dev.test.v1.Thing']?.properties['spec'] as {
    properties: Record<string, unknown>
  }
  // Nodes published unchanged are the CRD's own: building a document never writes to them.
  expect(input).toStrictEqual(before)
  return spec.properties['field']
}

describe('int-or-string nodes of a CRD document', () => {
  it.each([
    {
      given: { 'x-kubernetes-int-or-string': true },
      want: { 'x-kubernetes-int-or-string': true, anyOf: PAIR },
    },
    {
      given: { 'x-kubernetes-int-or-string': true, anyOf: PAIR },
      want: { 'x-kubernetes-int-or-string': true, anyOf: PAIR },
    },
    {
      given: { 'x-kubernetes-int-or-string': true, allOf: [{ anyOf: PAIR }, { pattern: '^\\d' }] },
      want: { 'x-kubernetes-int-or-string': true, allOf: [{ anyOf: PAIR }, { pattern: '^\\d' }] },
    },
    {
      given: { 'x-kubernetes-int-or-string': true, anyOf: [PAIR[1], PAIR[0]] },
      want: {
        'x-kubernetes-int-or-string': true,
        anyOf: [PAIR[1], PAIR[0]],
        allOf: [{ anyOf: PAIR }],
      },
    },
    {
      given: {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }],
      },
      want: {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }],
        allOf: [{ anyOf: PAIR }],
      },
    },
    {
      given: { 'x-kubernetes-int-or-string': true, anyOf: [...PAIR, { type: 'string' }] },
      want: {
        'x-kubernetes-int-or-string': true,
        anyOf: [...PAIR, { type: 'string' }],
        allOf: [{ anyOf: PAIR }],
      },
    },
  ])('$given', ({ given, want }) => {
    expect(published(given)).toStrictEqual(want)
  })
})

// Nested nodes: what is published unchanged is kept as it is, whatever changes below a node is
// still changed (builder.go publishes the structural schema: false flags absent, externalDocs
// only description and url, embedded resources with apiVersion, kind and metadata).
describe('nested nodes of a CRD document', () => {
  const EMBEDDED = {
    type: 'object',
    'x-kubernetes-embedded-resource': true,
    'x-kubernetes-preserve-unknown-fields': true,
  }
  const META_REF = {
    allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
    description:
      "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  }
  it.each([
    {
      given: {
        type: 'object',
        description: 'kept',
        properties: { a: { type: 'array', items: { type: 'string', enum: ['x'] } } },
        additionalProperties: { type: 'integer', format: 'int32' },
      },
      want: {
        type: 'object',
        description: 'kept',
        properties: { a: { type: 'array', items: { type: 'string', enum: ['x'] } } },
        additionalProperties: { type: 'integer', format: 'int32' },
      },
    },
    {
      given: {
        type: 'object',
        properties: {
          a: { type: 'array', items: { type: 'object', nullable: false, properties: {} } },
          b: { type: 'string', nullable: true },
        },
      },
      want: {
        type: 'object',
        properties: {
          a: { type: 'array', items: { type: 'object', properties: {} } },
          b: { type: 'string', nullable: true },
        },
      },
    },
    {
      given: {
        type: 'object',
        additionalProperties: { type: 'string', externalDocs: { url: 'u', extra: 1 } },
      },
      want: {
        type: 'object',
        additionalProperties: { type: 'string', externalDocs: { url: 'u' } },
      },
    },
    {
      given: { type: 'object', properties: { template: EMBEDDED } },
      want: {
        type: 'object',
        properties: {
          template: {
            ...EMBEDDED,
            properties: {
              apiVersion: {
                description:
                  'apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
                type: 'string',
              },
              kind: {
                description:
                  'kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
                type: 'string',
              },
              metadata: META_REF,
            },
            required: ['kind', 'apiVersion'],
          },
        },
      },
    },
  ])('$given', ({ given, want }) => {
    expect(published(given)).toStrictEqual(want)
  })
})
