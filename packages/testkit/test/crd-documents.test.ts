import { describe, expect, it } from 'vitest'
import { serveCrds } from '../src/crd-documents.js'

// An int-or-string node as the server publishes it (apiextensions-apiserver
// `pkg/apiserver/schema/unfold.go` Unfold): kept when it already spells `anyOf: [{type: integer},
// {type: string}]` (isIntOrStringAnyOfPattern, also as the first allOf: isIntOrStringAllOfPattern,
// both a DeepEqual, so an element with any other field is no such pattern), else given that anyOf,
// or with its own anyOf that pair is prepended to allOf.
const crd = (size: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'things.t.dev' },
  spec: {
    group: 't.dev',
    scope: 'Namespaced',
    names: { plural: 'things', singular: 'thing', kind: 'Thing', listKind: 'ThingList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { size } } },
          },
        },
      },
    ],
  },
})
const PAIR = [{ type: 'integer' }, { type: 'string' }]

function published(size: Record<string, unknown>): unknown {
  const served = serveCrds([crd(size)], {
    schema: () => ({ type: 'object' }),
    parameter: () => undefined,
  })
  const document = served.documents.get('apis/t.dev/v1')?.() as {
    components: { schemas: Record<string, { properties: Record<string, unknown> }> }
  }
  const spec = document.components.schemas['dev.t.v1.Thing']?.properties['spec'] as {
    properties: Record<string, unknown>
  }
  return spec.properties['size']
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
