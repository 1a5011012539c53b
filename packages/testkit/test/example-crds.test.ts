import { describe, expect, it } from 'vitest'
import { exampleCrdDocument } from '../src/index.js'

describe('exampleCrdDocument', () => {
  const doc = exampleCrdDocument()
  const schemas = doc.components.schemas

  it('names schemas the way apiextensions does (reversed domain) and tags them with their GVK', () => {
    expect(schemas['dev.example.v1.Widget']?.['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.dev', kind: 'Widget', version: 'v1' },
    ])
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'dev.example.v1.WidgetList',
        'dev.example.v1.Gadget',
        'dev.example.v1.GadgetList',
      ]),
    )
  })

  it('uses the structural-schema extensions codegen must handle', () => {
    const text = JSON.stringify(schemas['dev.example.v1.Widget'])
    for (const extension of [
      'x-kubernetes-int-or-string',
      'x-kubernetes-preserve-unknown-fields',
      'x-kubernetes-embedded-resource',
      'x-kubernetes-list-map-keys',
    ]) {
      expect(text).toContain(extension)
    }
  })

  it('has namespaced Widget routes with status and scale, cluster-scoped Gadget routes without', () => {
    expect(Object.keys(doc.paths)).toEqual([
      '/apis/example.dev/v1/gadgets',
      '/apis/example.dev/v1/gadgets/{name}',
      '/apis/example.dev/v1/namespaces/{namespace}/widgets',
      '/apis/example.dev/v1/namespaces/{namespace}/widgets/{name}',
      '/apis/example.dev/v1/namespaces/{namespace}/widgets/{name}/scale',
      '/apis/example.dev/v1/namespaces/{namespace}/widgets/{name}/status',
      '/apis/example.dev/v1/widgets',
    ])
  })

  it('references only schemas it defines', () => {
    const refs = [
      ...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g),
    ].map((m) => m[1])
    for (const ref of new Set(refs)) expect(schemas, String(ref)).toHaveProperty([String(ref)])
  })

  it('returns an independent copy each call', () => {
    const a = exampleCrdDocument()
    delete a.paths['/apis/example.dev/v1/widgets']
    expect(exampleCrdDocument().paths).toHaveProperty(['/apis/example.dev/v1/widgets'])
  })
})
