import { describe, expect, it } from 'vitest'
import { crdBaselineFromDocuments, shippedCrdBaseline } from '../../src/crd/baseline.js'
import { crdsToSwaggerV2 } from '../../src/crd/to-openapi-v2.js'
import { crdsToOpenApiV3 } from '../../src/crd/to-openapi-v3.js'
import type { CustomResourceDefinition } from '../../src/crd/types.js'
import { validateCrd } from '../../src/crd/validate.js'
import type { JsonObject, OpenApiV3Document } from '../../src/types.js'

// Rules a real kube-apiserver 1.37 showed (packages/cli/test/generate-crds-equals-real-apiserver
// .test.ts checks them on the whole corpus where one is built); these rows keep them without Go.
const crd = (version: JsonObject = {}): CustomResourceDefinition =>
  validateCrd({
    value: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.dev' },
      spec: {
        group: 'example.dev',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    externalDocs: { url: 'https://example.dev', description: 'd', x: 1 },
                    properties: { color: { type: 'string', default: 'red', example: 'blue' } },
                  },
                },
              },
            },
            ...version,
          },
        ],
      },
    },
    where: { file: 'widgets.yaml', index: 0 },
  })

const v3 = (c: CustomResourceDefinition, baseline = shippedCrdBaseline()): OpenApiV3Document =>
  crdsToOpenApiV3([c], baseline)[0]?.document as OpenApiV3Document
const schemas = (doc: OpenApiV3Document): Record<string, JsonObject> =>
  doc.components?.schemas as Record<string, JsonObject>
const COLLECTION = '/apis/example.dev/v1/namespaces/{namespace}/widgets'

describe('what a real kube-apiserver 1.37 publishes for a CRD', () => {
  it('names deletecollection delete<Group><Version>Collection<Scope><Kind> (shortest verb prefix)', () => {
    const op = v3(crd()).paths[COLLECTION]?.delete as JsonObject
    expect(op.operationId).toBe('deleteExampleDevV1CollectionNamespacedWidget')
  })

  it('marks request bodies required, but the delete body', () => {
    const rows = [
      { given: ['post', COLLECTION], want: true },
      { given: ['put', `${COLLECTION}/{name}`], want: true },
      { given: ['patch', `${COLLECTION}/{name}`], want: true },
      { given: ['delete', `${COLLECTION}/{name}`], want: undefined },
    ] as const
    const doc = v3(crd())
    for (const { given, want } of rows) {
      const op = doc.paths[given[1]]?.[given[0]] as { requestBody: { required?: boolean } }
      expect(op.requestBody.required, given.join(' ')).toBe(want)
    }
  })

  it('publishes selectableFields on the kind and list schemas, without the leading dot', () => {
    const rows = [
      { given: [{ jsonPath: '.spec.color' }], want: [{ fieldPath: 'spec.color' }] },
      { given: undefined, want: undefined },
    ]
    for (const { given, want } of rows) {
      const doc = v3(crd(given === undefined ? {} : { selectableFields: given }))
      expect(schemas(doc)['dev.example.v1.Widget']?.['x-kubernetes-selectable-fields']).toEqual(
        want,
      )
      expect(schemas(doc)['dev.example.v1.WidgetList']?.['x-kubernetes-selectable-fields']).toEqual(
        want,
      )
    }
  })

  it('refuses a selectable field that is not a JSON path', () => {
    expect(() => crd({ selectableFields: [{ jsonPath: 'spec.color' }] })).toThrow(
      /selectableFields\[0\]\.jsonPath: must be a JSON path starting with '\.'/,
    )
  })

  it('keeps example and externalDocs (description, url) on schema nodes', () => {
    const spec = (
      schemas(v3(crd()))['dev.example.v1.Widget']?.properties as Record<string, JsonObject>
    ).spec as JsonObject
    expect(spec.externalDocs).toEqual({ url: 'https://example.dev', description: 'd' })
    expect((spec.properties as Record<string, JsonObject>).color).toEqual({
      type: 'string',
      default: 'red',
      example: 'blue',
    })
  })

  it('prunes defaults from /openapi/v2 (PruneDefaults), not from /openapi/v3', () => {
    const { definitions } = crdsToSwaggerV2([crd()], shippedCrdBaseline().parameters)
    const spec = (definitions['dev.example.v1.Widget']?.properties as Record<string, JsonObject>)
      .spec as JsonObject
    expect((spec.properties as Record<string, JsonObject>).color).toEqual({
      type: 'string',
      example: 'blue',
    })
  })

  it("takes each action's options from the base's own routes, else the shipped list", () => {
    const option = (name: string, description = name): JsonObject => ({
      description,
      in: 'query',
      name,
      schema: { type: 'string', uniqueItems: true },
    })
    // A base whose list routes take shardSelector and whose patch route has its own
    // fieldManager text (PatchOptions), as a 1.37 server's built-in routes do.
    const doc: OpenApiV3Document = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.37.2' },
      paths: {
        '/api/v1/namespaces/{namespace}/configmaps': {
          get: {
            'x-kubernetes-action': 'list',
            parameters: [option('limit'), option('shardSelector')],
          },
        },
        '/api/v1/namespaces/{namespace}/configmaps/{name}': {
          patch: {
            'x-kubernetes-action': 'patch',
            parameters: [option('fieldManager', 'required for apply requests')],
          },
        },
      },
      components: { schemas: structuredClone(shippedCrdBaseline().schemas) },
    }
    const names = (d: OpenApiV3Document, path: string, method: string): unknown[] => {
      const item = d.paths[path] as Record<string, { parameters?: JsonObject[] }> & {
        parameters?: JsonObject[]
      }
      return [...(item.parameters ?? []), ...(item[method]?.parameters ?? [])]
        .filter((p) => p.in === 'query' && p.name !== 'pretty')
        .map((p) => `${String(p.name)}: ${String(p.description)}`)
    }
    const derived = v3(crd(), crdBaselineFromDocuments([doc], 'base'))
    expect(names(derived, COLLECTION, 'get')).toEqual([
      'limit: limit',
      'shardSelector: shardSelector',
    ])
    expect(names(derived, COLLECTION, 'delete')).toEqual([
      'limit: limit',
      'shardSelector: shardSelector',
    ])
    expect(names(derived, `${COLLECTION}/{name}`, 'patch')).toEqual([
      'fieldManager: required for apply requests',
    ])
    const shipped = v3(crd())
    expect(names(shipped, COLLECTION, 'get')).not.toContainEqual(
      expect.stringMatching(/^shardSelector/),
    )
    expect(names(shipped, COLLECTION, 'get')).toContainEqual(expect.stringMatching(/^watch: /))
  })
})
