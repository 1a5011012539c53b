// The emulator's CRD validation on its own: what the recorded server-parity rows
// (server-parity/crd-validation.ts) cannot show — the v1beta1-only 1.13 profile, which requires no
// schema, and the internal form's `spec.version` — beside a v1 row for the opposite case.
import { describe, expect, it } from 'vitest'
import { crdValidationErrors } from '../src/crd-validation.js'

const crd = (spec: Record<string, unknown>): Record<string, unknown> => ({
  metadata: { name: 'widgets.example.dev' },
  spec: {
    group: 'example.dev',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    ...spec,
  },
})

const rows: { given: { version: string; crd: Record<string, unknown> }; want: string[] }[] = [
  {
    given: { version: 'v1', crd: crd({ versions: [{ name: 'v1', served: true, storage: true }] }) },
    want: ['spec.versions[0].schema.openAPIV3Schema'],
  },
  {
    given: {
      version: 'v1beta1',
      crd: crd({ version: 'v1', versions: [{ name: 'v1', served: true, storage: true }] }),
    },
    want: [],
  },
  {
    given: {
      version: 'v1beta1',
      crd: crd({
        version: 'v2',
        versions: [
          { name: 'v1', served: true, storage: true },
          { name: 'v2', served: true, storage: false },
        ],
      }),
    },
    want: ['spec.version'],
  },
  {
    // A v1beta1 schema at the top is not structural-checked on 1.13.
    given: {
      version: 'v1beta1',
      crd: crd({
        version: 'v1',
        versions: [{ name: 'v1', served: true, storage: true }],
        validation: { openAPIV3Schema: { properties: { spec: {} } } },
      }),
    },
    want: [],
  },
  {
    given: {
      version: 'v1',
      crd: crd({
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { properties: { spec: {} } } },
          },
        ],
      }),
    },
    want: [
      'spec.validation.openAPIV3Schema.properties[spec].type',
      'spec.validation.openAPIV3Schema.type',
    ],
  },
]

describe('crdValidationErrors', () => {
  it.each(rows)('$given.version: $want', ({ given, want }) => {
    expect(crdValidationErrors(given.crd, undefined, given.version).map((e) => e.field)).toEqual(
      want,
    )
  })
})

// Simplification (README): what kube-apiserver refuses and the emulator accepts — a CEL rule that
// does not compile ("undefined field 'a'"), a schema default its schema refuses.
describe('crdValidationErrors leaves to kube-apiserver', () => {
  const version = {
    name: 'v1',
    served: true,
    storage: true,
    schema: {
      openAPIV3Schema: {
        type: 'object',
        properties: {
          spec: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a > 0' }] },
        },
      },
    },
  }
  it.each([
    { given: 'an uncompilable CEL rule', want: [] as string[], extra: {}, schema: undefined },
    {
      // kube-apiserver: `…properties[n].default: Invalid value: "string":  in body must be of type integer`.
      given: 'a schema default of the wrong type',
      want: [] as string[],
      extra: {},
      schema: { type: 'object', properties: { n: { type: 'integer', default: 'x' } } },
    },
  ])('$given', ({ want, extra, schema }) => {
    const v = schema === undefined ? version : { ...version, schema: { openAPIV3Schema: schema } }
    expect(
      crdValidationErrors(crd({ versions: [v], ...extra }), undefined, 'v1').map((e) => e.field),
    ).toEqual(want)
  })
})
