import { describe, expect, it } from 'vitest'
import { crdAsV1, crdAsV1beta1, crdV1beta1Defaults } from '../src/crd-v1beta1.js'

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

// v1beta1 → internal → v1 (Convert_apiextensions_CustomResourceDefinitionSpec_To_v1_…): the way
// back gives each row's v1 spec again, but for the `preserveUnknownFields: false` v1beta1 spelled
// out (v1 keeps it when set).
describe('crdAsV1', () => {
  it.each(rows)('$given', ({ spec }) => {
    const back = crdAsV1(crdAsV1beta1({ ...meta, spec }))
    const want = { preserveUnknownFields: false, ...spec }
    expect(back).toEqual({ ...meta, spec: want })
  })

  it('leaves a v1 object as it is', () => {
    const crd = { ...meta, spec: rows[0]?.spec }
    expect(crdAsV1(crd)).toBe(crd)
  })
})

// apiextensions-apiserver pkg/apis/apiextensions/v1beta1/defaults.go
// SetDefaults_CustomResourceDefinitionSpec, as a 1.13 server decodes a v1beta1 CRD.
const defaultRows: { given: string; spec: object; want: object }[] = [
  {
    given: 'only the deprecated version: versions, names, scope and conversion defaulted',
    spec: { group: 'example.com', version: 'v1', names: { plural: 'widgets', kind: 'Widget' } },
    want: {
      group: 'example.com',
      version: 'v1',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true }],
      conversion: { strategy: 'None' },
    },
  },
  {
    given: 'only versions: version is the first; what is set stays',
    spec: {
      group: 'example.com',
      scope: 'Cluster',
      names: { plural: 'widgets', kind: 'Widget', singular: 'wd', listKind: 'Widgets' },
      versions: [
        { name: 'v2', served: true, storage: true },
        { name: 'v1', served: true, storage: false },
      ],
      conversion: { strategy: 'Webhook' },
    },
    want: {
      group: 'example.com',
      scope: 'Cluster',
      names: { plural: 'widgets', kind: 'Widget', singular: 'wd', listKind: 'Widgets' },
      versions: [
        { name: 'v2', served: true, storage: true },
        { name: 'v1', served: true, storage: false },
      ],
      version: 'v2',
      conversion: { strategy: 'Webhook' },
    },
  },
]

describe('crdV1beta1Defaults', () => {
  it.each(defaultRows)('$given', ({ spec, want }) => {
    expect(crdV1beta1Defaults({ ...meta, spec })).toEqual({ ...meta, spec: want })
  })
})
