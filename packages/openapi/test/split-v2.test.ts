import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { recordedProfileDir } from '@k8s-codegen/testkit'
import { describe, expect, it } from 'vitest'
import { groupVersionKeyOfPath, splitV2Document } from '../src/split-v2.js'
import type { JsonObject, OpenApiV3Document } from '../src/types.js'

const shared = recordedProfileDir()
if (!shared)
  console.warn(
    'split-v2: ../shared/fixtures/kubernetes is absent; the recorded 1.28 comparison is skipped',
  )

function refsOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsOf(v, out)
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v)
      else refsOf(v, out)
    }
  }
  return out
}

function expectSelfContained(key: string, doc: OpenApiV3Document): void {
  const schemas = doc.components?.schemas ?? {}
  for (const ref of refsOf(doc.paths).concat(refsOf(schemas))) {
    expect(ref, `${key}: ${ref}`).toMatch(/^#\/components\/schemas\//)
    expect(
      schemas[ref.slice('#/components/schemas/'.length)],
      `${key}: ${ref} resolves`,
    ).toBeDefined()
  }
}

// The comparison the lead asked for: an operation's media types, GVK and action, and the path
// set, as the apiserver's own v3 document of the same group-version has them.
function operationShape(op: JsonObject): unknown {
  const responses = op.responses as Record<string, { content?: Record<string, unknown> }>
  return {
    requestBody: Object.keys(
      (op.requestBody as { content?: object } | undefined)?.content ?? {},
    ).sort(),
    responses: Object.fromEntries(
      Object.entries(responses).map(([code, r]) => [code, Object.keys(r.content ?? {}).sort()]),
    ),
    gvk: op['x-kubernetes-group-version-kind'],
    action: op['x-kubernetes-action'],
  }
}

describe('groupVersionKeyOfPath', () => {
  it.each([
    { given: '/api/v1/namespaces/{namespace}/pods', want: 'api/v1' },
    { given: '/api/v1/', want: 'api/v1' },
    { given: '/apis/apps/v1/watch/deployments', want: 'apis/apps/v1' },
    { given: '/apis/apps/v1', want: 'apis/apps/v1' },
    { given: '/apis/apps/', want: undefined },
    { given: '/api/', want: undefined },
    { given: '/version/', want: undefined },
    { given: '/logs/{logpath}', want: undefined },
    { given: '/.well-known/openid-configuration/', want: undefined },
    { given: '/openid/v1/jwks/', want: undefined },
  ])('$given', ({ given, want }) => {
    expect(groupVersionKeyOfPath(given)).toBe(want)
  })
})

describe('splitV2Document', () => {
  it('converts parameters, bodies, responses and refs the way kube-openapi builder3 does', () => {
    const docs = splitV2Document({
      swagger: '2.0',
      info: { title: 'Kubernetes', version: 'unversioned' },
      securityDefinitions: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header' } },
      security: [{ BearerToken: [] }],
      parameters: {
        'pretty-x': {
          in: 'query',
          name: 'pretty',
          type: 'string',
          uniqueItems: true,
          description: 'p',
        },
      },
      paths: {
        '/apis/example.dev/v1/widgets': {
          parameters: [{ $ref: '#/parameters/pretty-x' }],
          post: {
            consumes: ['*/*'],
            produces: ['application/json', 'application/yaml'],
            schemes: ['https'],
            parameters: [
              {
                in: 'body',
                name: 'body',
                required: true,
                schema: { $ref: '#/definitions/dev.example.v1.Widget' },
              },
            ],
            responses: {
              '201': {
                description: 'Created',
                schema: { $ref: '#/definitions/dev.example.v1.Widget' },
              },
              '401': { description: 'Unauthorized' },
            },
            'x-kubernetes-action': 'post',
          },
        },
        '/apis/example.dev/': { get: { responses: {} } },
      },
      definitions: {
        'dev.example.v1.Widget': {
          type: 'object',
          properties: {
            size: {
              $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString',
              description: 'how big',
            },
          },
          'x-kubernetes-group-version-kind': [
            { group: 'example.dev', kind: 'Widget', version: 'v1' },
          ],
        },
        'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
          type: 'string',
          format: 'int-or-string',
        },
        'unreferenced.Thing': { type: 'object' },
      },
    })
    expect([...docs.keys()]).toEqual(['apis/example.dev/v1'])
    expect(docs.get('apis/example.dev/v1')).toEqual({
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'unversioned' },
      paths: {
        '/apis/example.dev/v1/widgets': {
          parameters: [
            {
              in: 'query',
              name: 'pretty',
              description: 'p',
              schema: { type: 'string', uniqueItems: true },
            },
          ],
          post: {
            requestBody: {
              content: {
                '*/*': { schema: { $ref: '#/components/schemas/dev.example.v1.Widget' } },
              },
            },
            responses: {
              '201': {
                description: 'Created',
                content: {
                  'application/json': {
                    schema: { $ref: '#/components/schemas/dev.example.v1.Widget' },
                  },
                  'application/yaml': {
                    schema: { $ref: '#/components/schemas/dev.example.v1.Widget' },
                  },
                },
              },
              '401': { description: 'Unauthorized' },
            },
            'x-kubernetes-action': 'post',
          },
        },
      },
      components: {
        schemas: {
          'dev.example.v1.Widget': {
            type: 'object',
            properties: {
              size: {
                allOf: [
                  { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
                ],
                description: 'how big',
              },
            },
            'x-kubernetes-group-version-kind': [
              { group: 'example.dev', kind: 'Widget', version: 'v1' },
            ],
          },
          'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
            format: 'int-or-string',
            oneOf: [{ type: 'integer' }, { type: 'string' }],
          },
        },
        securitySchemes: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header' } },
      },
    })
  })

  it('keeps a definition property named __proto__ as a property', () => {
    const definition = JSON.parse(
      '{"type":"object","required":["__proto__"],"properties":{"__proto__":{"type":"string"},"constructor":{"type":"integer"}}}',
    ) as Record<string, unknown>
    const docs = splitV2Document({
      swagger: '2.0',
      paths: {
        '/apis/example.dev/v1/widgets': {
          get: {
            responses: {
              '200': { description: 'OK', schema: { $ref: '#/definitions/dev.example.v1.Widget' } },
            },
          },
        },
      },
      definitions: { 'dev.example.v1.Widget': definition },
    })
    const widget = (
      docs.get('apis/example.dev/v1') as { components: { schemas: Record<string, unknown> } }
    ).components.schemas['dev.example.v1.Widget']
    expect(JSON.parse(JSON.stringify(widget))).toEqual(definition)
  })

  it.each([
    { given: null, want: 'must be a JSON object' },
    { given: { swagger: '3.0' }, want: "swagger must be '2.0'" },
    { given: { swagger: '2.0', paths: [] }, want: 'paths must be an object' },
    {
      given: {
        swagger: '2.0',
        paths: {
          '/api/v1/x': {
            get: {
              responses: {
                '200': { description: 'OK', schema: { $ref: '#/definitions/Missing' } },
              },
            },
          },
        },
        definitions: {},
      },
      want: "refers to '#/definitions/Missing'",
    },
    {
      given: {
        swagger: '2.0',
        paths: {
          '/api/v1/x': { get: { parameters: [{ $ref: '#/parameters/nope' }], responses: {} } },
        },
      },
      want: '#/parameters/nope',
    },
  ])('rejects $want', ({ given, want }) => {
    expect(() => splitV2Document(given)).toThrow(want)
  })

  it('splits the kubernetes-client@9 1.13 spec into self-contained per-GV documents', () => {
    const require = createRequire(import.meta.url)
    const dir = join(require.resolve('kubernetes-client/package.json'), '..', 'lib', 'specs')
    const v2: unknown = JSON.parse(
      gunzipSync(readFileSync(join(dir, 'swagger-1.13.json.gz'))).toString('utf8'),
    )
    const docs = splitV2Document(v2)
    expect([...docs.keys()]).toEqual(
      expect.arrayContaining([
        'api/v1',
        'apis/apps/v1',
        'apis/extensions/v1beta1',
        'apis/batch/v2alpha1',
      ]),
    )
    for (const [key, doc] of docs) {
      expectSelfContained(key, doc)
      for (const path of Object.keys(doc.paths)) expect(groupVersionKeyOfPath(path)).toBe(key)
    }
    const deployment =
      docs.get('apis/apps/v1')?.components?.schemas?.['io.k8s.api.apps.v1.Deployment']
    expect(deployment?.['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ])
  })

  describe.skipIf(!shared)('against the recorded v3 documents of the same group-versions', () => {
    const v2: unknown = shared
      ? JSON.parse(readFileSync(join(shared, 'v2', 'kubernetes-1.28.json'), 'utf8'))
      : undefined
    const docs = shared ? splitV2Document(v2) : new Map<string, OpenApiV3Document>()

    it.each([
      'api/v1',
      'apis/apps/v1',
      'apis/batch/v1',
      'apis/autoscaling/v2',
      'apis/discovery.k8s.io/v1',
      'apis/apiextensions.k8s.io/v1',
    ])(
      '%s has the paths, operation shapes and (a superset of the) schemas the apiserver serves',
      (key) => {
        const recorded = JSON.parse(
          readFileSync(join(shared!, 'v3', `${key}.json`), 'utf8'),
        ) as OpenApiV3Document
        const mine = docs.get(key)!
        expectSelfContained(key, mine)
        expect(Object.keys(mine.paths).sort()).toEqual(Object.keys(recorded.paths).sort())
        // 1.28 (v2) only adds types over the 1.26–1.27 servers the v3 documents come from.
        expect(Object.keys(mine.components?.schemas ?? {})).toEqual(
          expect.arrayContaining(Object.keys(recorded.components?.schemas ?? {})),
        )
        expect(mine.components?.securitySchemes).toEqual(recorded.components?.securitySchemes)
        for (const [path, item] of Object.entries(recorded.paths)) {
          for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
            const theirs = item[method] as JsonObject | undefined
            if (!theirs) continue
            expect(
              operationShape(mine.paths[path]?.[method] as JsonObject),
              `${method} ${path}`,
            ).toEqual(operationShape(theirs))
          }
        }
        const recordedQuantity =
          recorded.components?.schemas?.['io.k8s.apimachinery.pkg.api.resource.Quantity']
        if (recordedQuantity)
          expect(
            mine.components?.schemas?.['io.k8s.apimachinery.pkg.api.resource.Quantity'],
          ).toEqual(recordedQuantity)
      },
    )
  })
})
