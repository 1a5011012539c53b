import { describe, expect, it } from 'vitest'
import { crdAsV1, crdAsV1beta1 } from '../src/crd-v1beta1.js'

// apiextensions-apiserver pkg/apis/apiextensions/v1/conversion.go: v1 → internal hoists a
// per-version field every version has alike to the spec and sets `version` to the first
// version; v1beta1 spells a printer column's path `JSONPath` and a webhook's fields one level up.
const meta = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.dev' },
}
const names = { plural: 'widgets', kind: 'Widget' }
const schema = { openAPIV3Schema: { type: 'object' } }
const other = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } }
const col = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }
const v1beta1Col = { name: 'Age', type: 'date', JSONPath: '.metadata.creationTimestamp' }

const rows: { given: string; spec: object; want: object }[] = [
  {
    given: 'one version: its schema, subresources and columns move to the spec',
    spec: {
      group: 'example.dev',
      names,
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema,
          subresources: { status: {} },
          additionalPrinterColumns: [col],
        },
      ],
    },
    want: {
      group: 'example.dev',
      names,
      scope: 'Namespaced',
      version: 'v1',
      preserveUnknownFields: false,
      validation: schema,
      subresources: { status: {} },
      additionalPrinterColumns: [v1beta1Col],
      versions: [{ name: 'v1', served: true, storage: true }],
    },
  },
  {
    given: 'two versions with different schemas: each keeps its own; alike columns move up',
    spec: {
      group: 'example.dev',
      names,
      scope: 'Cluster',
      versions: [
        { name: 'v2', served: true, storage: true, schema, additionalPrinterColumns: [col] },
        {
          name: 'v1',
          served: true,
          storage: false,
          schema: other,
          additionalPrinterColumns: [col],
        },
      ],
    },
    want: {
      group: 'example.dev',
      names,
      scope: 'Cluster',
      version: 'v2',
      preserveUnknownFields: false,
      additionalPrinterColumns: [v1beta1Col],
      versions: [
        { name: 'v2', served: true, storage: true, schema },
        { name: 'v1', served: true, storage: false, schema: other },
      ],
    },
  },
  {
    given: 'a conversion webhook and preserveUnknownFields',
    spec: {
      group: 'example.dev',
      names,
      scope: 'Namespaced',
      preserveUnknownFields: true,
      conversion: {
        strategy: 'Webhook',
        webhook: {
          clientConfig: { url: 'https://example.dev/convert' },
          conversionReviewVersions: ['v1'],
        },
      },
      versions: [{ name: 'v1', served: true, storage: true }],
    },
    want: {
      group: 'example.dev',
      names,
      scope: 'Namespaced',
      version: 'v1',
      preserveUnknownFields: true,
      conversion: {
        strategy: 'Webhook',
        webhookClientConfig: { url: 'https://example.dev/convert' },
        conversionReviewVersions: ['v1'],
      },
      versions: [{ name: 'v1', served: true, storage: true }],
    },
  },
]

describe('crdAsV1beta1', () => {
  it.each(rows)('$given', ({ spec, want }) => {
    expect(crdAsV1beta1({ ...meta, spec })).toEqual({
      ...meta,
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      spec: want,
    })
  })
})

// A server that holds CRDs at v1beta1 reads them back as v1 (crd-controller.ts, table.ts): the
// inverse conversion, v1beta1 → internal → v1, gives each row's CRD back.
describe('crdAsV1', () => {
  it.each(rows)('$given: back to v1', ({ spec }) => {
    expect(crdAsV1(crdAsV1beta1({ ...meta, spec }))).toEqual({ ...meta, spec })
  })

  it('leaves a v1 object as it is', () => {
    const crd = { ...meta, spec: rows[0]?.spec }
    expect(crdAsV1(crd)).toBe(crd)
  })

  it('a 1.13 CRD with only `version` gets that one version, with the spec-wide schema and columns', () => {
    const v1beta1 = {
      ...meta,
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      spec: {
        group: 'example.dev',
        names,
        scope: 'Namespaced',
        version: 'v1',
        validation: schema,
        additionalPrinterColumns: [v1beta1Col],
        conversion: { strategy: 'None' },
      },
    }
    expect(crdAsV1(v1beta1)).toEqual({
      ...meta,
      spec: {
        group: 'example.dev',
        names,
        scope: 'Namespaced',
        versions: [
          { name: 'v1', served: true, storage: true, schema, additionalPrinterColumns: [col] },
        ],
        conversion: { strategy: 'None' },
      },
    })
  })
})
