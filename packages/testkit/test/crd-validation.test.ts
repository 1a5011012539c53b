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

// What CRD create compiles and checks in its schema (crd-schema-rules.ts, crd-schema-defaults.ts),
// and what it still leaves to kube-apiserver (README simplifications): a rule cel-go's type
// checker refuses beyond an undeclared field, a rule estimated too expensive, a metadata default
// that makes invalid metadata.
describe('crdValidationErrors compiles rules and checks defaults', () => {
  const spec = (extra: Record<string, unknown>): Record<string, unknown> => ({
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { a: { type: 'integer' } }, ...extra },
    },
  })
  const at = 'spec.validation.openAPIV3Schema.properties[spec]'
  it.each([
    {
      given: 'a rule that compiles',
      schema: spec({ 'x-kubernetes-validations': [{ rule: 'self.a > 0' }] }),
      want: [] as string[],
    },
    {
      given: 'a rule with a syntax error',
      schema: spec({ 'x-kubernetes-validations': [{ rule: 'self.a >' }] }),
      want: [`${at}.x-kubernetes-validations[0].rule`],
    },
    {
      given: 'a rule selecting a field the schema does not declare',
      schema: spec({ 'x-kubernetes-validations': [{ rule: 'self.b > 0' }] }),
      want: [`${at}.x-kubernetes-validations[0].rule`],
    },
    {
      given: 'a rule selecting a key of a map',
      schema: {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            additionalProperties: { type: 'string' },
            'x-kubernetes-validations': [{ rule: "self.any == 'x'" }],
          },
        },
      },
      want: [] as string[],
    },
    {
      given: 'optionalOldSelf on a rule without oldSelf',
      schema: spec({ 'x-kubernetes-validations': [{ rule: 'self.a > 0', optionalOldSelf: true }] }),
      want: [`${at}.x-kubernetes-validations[0].optionalOldSelf`],
    },
    {
      given: "a rule cel-go's type checker refuses (startsWith on an integer)",
      schema: spec({ 'x-kubernetes-validations': [{ rule: "self.a.startsWith('x')" }] }),
      want: [] as string[],
    },
    {
      given: 'a schema default of the wrong type',
      schema: { type: 'object', properties: { n: { type: 'integer', default: 'x' } } },
      want: ['spec.validation.openAPIV3Schema.properties[n].default'],
    },
    {
      given: 'a schema default of the right type',
      schema: { type: 'object', properties: { n: { type: 'integer', default: 1 } } },
      want: [] as string[],
    },
  ])('$given', ({ schema, want }) => {
    const version = { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }
    expect(
      crdValidationErrors(crd({ versions: [version] }), undefined, 'v1').map((e) => e.field),
    ).toEqual(want)
  })
})
