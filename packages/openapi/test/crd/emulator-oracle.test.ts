import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { loadCrdFiles, serveCrds } from '@k8s-codegen/testkit'
import { describe, expect, it } from 'vitest'

import { canonicalJson } from '../../src/_canonical-json.js'
import { shippedCrdBaseline } from '../../src/crd/baseline.js'
import { loadCrds } from '../../src/crd/load.js'
import { crdsToOpenApiV3 } from '../../src/crd/to-openapi-v3.js'
import { crdsToSwaggerV2 } from '../../src/crd/to-openapi-v2.js'
import { validateCrd } from '../../src/crd/validate.js'

// The product's conversion (src/crd) against the emulator's own (testkit crd-documents.ts),
// written separately from the same apiextensions-apiserver sources: documents, discovery lists
// and the /openapi/v2 additions must be the same JSON for every CRD of the corpus, with the same
// baseline on both sides.
const require = createRequire(import.meta.url)
const CORPORA = {
  authored: fileURLToPath(new URL('../fixtures/crds', import.meta.url)),
  forklift: join(
    dirname(require.resolve('@kubev2v/types/package.json')),
    'src/generated/forklift/crds',
  ),
}

describe.each(Object.entries(CORPORA))('product and emulator agree on the %s CRDs', (_, dir) => {
  const baseline = shippedCrdBaseline()
  const builtins = {
    schema: (name: string) => baseline.schemas[name],
    parameter: (name: string) => baseline.parameters[name],
  }

  it('serves the same v3 documents and discovery lists', async () => {
    const product = crdsToOpenApiV3((await loadCrds([dir], { cwd: dir })).crds, baseline)
    const emulator = serveCrds(loadCrdFiles([dir]), builtins)
    expect(product.map((gv) => gv.key)).toEqual([...emulator.documents.keys()].sort())
    for (const gv of product) {
      expect(canonicalJson(gv.document), gv.key).toBe(
        canonicalJson(JSON.parse(emulator.documents.get(gv.key)?.() ?? 'null')),
      )
      expect(gv.discovery, gv.key).toEqual(emulator.discovery.get(gv.key))
    }
  })

  it('adds the same paths and definitions to /openapi/v2', async () => {
    const product = crdsToSwaggerV2((await loadCrds([dir], { cwd: dir })).crds, baseline.parameters)
    const emulator = serveCrds(loadCrdFiles([dir]), builtins)
    expect(canonicalJson(product.definitions)).toBe(canonicalJson(emulator.v2().definitions))
    expect(canonicalJson(product.paths)).toBe(canonicalJson(emulator.v2().paths))
  })
})

// A real kube-apiserver's answer, as far as it is public: the blog post "CRD" of
// phosae/x-kubernetes' author (zeng.dev, 2023; Apache-2.0 project) prints
// `curl /openapi/v3/apis/hello.zeng.dev/v1 | jq` cut at depth 3 for the CRD
// `foos.hello.zeng.dev` (namespaced Foo, one served version, no subresources). Its skeleton,
// transcribed here, must be what both conversions serve for that CRD.
describe('both conversions against a real server (foos.hello.zeng.dev)', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'foos.hello.zeng.dev' },
    spec: {
      group: 'hello.zeng.dev',
      names: { kind: 'Foo', listKind: 'FooList', plural: 'foos', singular: 'foo' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['spec'],
              properties: {
                spec: {
                  type: 'object',
                  required: ['msg'],
                  properties: { msg: { type: 'string' }, msg1: { type: 'string' } },
                },
              },
            },
          },
        },
      ],
    },
  }
  const served = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
    paths: {
      '/apis/hello.zeng.dev/v1/foos': ['get', 'parameters'],
      '/apis/hello.zeng.dev/v1/namespaces/{namespace}/foos': [
        'get',
        'post',
        'delete',
        'parameters',
      ],
      '/apis/hello.zeng.dev/v1/namespaces/{namespace}/foos/{name}': [
        'get',
        'put',
        'delete',
        'patch',
        'parameters',
      ],
    },
    schemas: [
      'dev.zeng.hello.v1.Foo',
      'dev.zeng.hello.v1.FooList',
      'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
      'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
      'io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause',
      'io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
    ],
  }
  const skeleton = (doc: Record<string, unknown>): unknown => ({
    openapi: doc.openapi,
    info: doc.info,
    paths: Object.fromEntries(
      Object.entries(doc.paths as Record<string, object>).map(([p, item]) => [
        p,
        Object.keys(item).sort(),
      ]),
    ),
    schemas: Object.keys((doc.components as { schemas: object }).schemas).sort(),
  })
  const want = {
    ...served,
    paths: Object.fromEntries(
      Object.entries(served.paths).map(([p, keys]) => [p, [...keys].sort()]),
    ),
  }

  it('the product', () => {
    const validated = validateCrd({ where: { file: 'foos.yaml', index: 0 }, value: crd })
    const [gv] = crdsToOpenApiV3([validated], shippedCrdBaseline())
    expect(skeleton(gv?.document as unknown as Record<string, unknown>)).toEqual(want)
  })

  it('the emulator', () => {
    const baseline = shippedCrdBaseline()
    const emulator = serveCrds([crd], {
      schema: (name) => baseline.schemas[name],
      parameter: (name) => baseline.parameters[name],
    })
    expect(
      skeleton(
        JSON.parse(emulator.documents.get('apis/hello.zeng.dev/v1')?.() ?? '{}') as Record<
          string,
          unknown
        >,
      ),
    ).toEqual(want)
  })
})
