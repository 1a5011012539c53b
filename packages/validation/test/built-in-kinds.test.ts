// A built-in kind's published document (the recorded apps/v1 of ../shared/fixtures/kubernetes)
// validates as a custom resource would: its schemas reference each other, and the `default: {}`
// the publisher puts on every referenced struct is no schema default the server applies. (A real
// server decodes a built-in kind into Go types first: for it a string `replicas` is a 400 decoding
// error; the 422 here is what it answers when such a schema is a custom resource's.)
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadBuiltInDocument } from '@k8s-codegen/kube-schemas'
import { recordedProfileDir } from '@k8s-codegen/testkit'
import { describe, expect, it } from 'vitest'
import { findUnknownFields, validateObject, type OpenApiDocument } from '../src/index.js'
import { builtInRows } from './_built-ins.js'

const recorded = recordedProfileDir()
if (recorded === undefined)
  console.warn('built-in-kinds: skipped, ../shared/fixtures/kubernetes is absent')

const deployment = (spec: Record<string, unknown>): unknown => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
    },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    ...spec,
  },
})

describe.skipIf(recorded === undefined)(
  'a Deployment against the recorded apps/v1 document',
  () => {
    const document = JSON.parse(
      readFileSync(join(recorded ?? '', 'v3', 'apis', 'apps', 'v1.json'), 'utf8'),
    ) as OpenApiDocument
    const rows = [
      { given: deployment({ replicas: 2 }), want: undefined },
      {
        given: deployment({ replicas: 'two' }),
        want: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      },
    ]
    it.each(rows)('$given', ({ given, want }) => {
      expect(validateObject(document, given)?.message).toBe(want)
    })

    it('lists the fields the schema does not declare', () => {
      const given = deployment({ replicas: 2, paused: false, bogus: 1 })
      expect(findUnknownFields(document, given)).toEqual([
        { path: 'spec.bogus', message: 'unknown field "spec.bogus"' },
      ])
    })
  },
)

describe('built-in kinds against the shipped 1.37 documents', () => {
  it.each(builtInRows)('$given.kind $given.metadata', ({ given, want }) => {
    const document = loadBuiltInDocument('1.37', given.apiVersion)
    expect(validateObject(document ?? {}, given)?.details.causes).toEqual(want)
  })

  it('names the Status after the kind and its group, as the server does', () => {
    const [row] = builtInRows
    const status = validateObject(loadBuiltInDocument('1.37', 'v1') ?? {}, row?.given)
    expect(status?.message).toBe(
      `ConfigMap "Bad_Name" is invalid: metadata.name: ${row?.want?.[0]?.message}`,
    )
    expect(status?.details).toEqual({ kind: 'ConfigMap', name: 'Bad_Name', causes: row?.want })
  })

  // RelaxedServiceNameValidation (pkg/features/kube_features.go) is on from 1.36.
  const service = (name: string): unknown => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { ports: [{ port: 80 }] },
  })
  it.each([
    {
      given: { name: '1abc', kubeVersion: '1.35' },
      want: [
        "Invalid value: \"1abc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    },
    { given: { name: '1abc', kubeVersion: '1.36' }, want: undefined },
    { given: { name: '1abc', kubeVersion: undefined }, want: undefined },
    { given: { name: 'abc', kubeVersion: '1.34' }, want: undefined },
  ])('a Service named $given.name in $given.kubeVersion', ({ given, want }) => {
    const document = loadBuiltInDocument(given.kubeVersion ?? '1.37', 'v1') ?? {}
    const options = given.kubeVersion === undefined ? {} : { kubeVersion: given.kubeVersion }
    expect(
      validateObject(document, service(given.name), options)?.details.causes.map((c) => c.message),
    ).toEqual(want)
  })
})

// A CRD manifest's schema nodes are JSONSchemaPropsOrArray, JSONSchemaPropsOrBool and JSON: Go
// types with their own UnmarshalJSON, which the server's strict decoder does not look into (it
// installs every corpus CRD without a warning). The fields of the CRD's own structs still count.
describe('unknown fields of a CustomResourceDefinition manifest', () => {
  const crd = (spec: Record<string, unknown>, version: Record<string, unknown> = {}): unknown => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
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
                  default: { size: 1 },
                  properties: {
                    hosts: { type: 'array', items: { type: 'string', maxLength: 253 } },
                    labels: { type: 'object', additionalProperties: { type: 'string' } },
                    extra: { 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
              },
            },
          },
          ...version,
        },
      ],
      ...spec,
    },
  })
  it.each([
    { given: crd({}), want: [] },
    {
      given: crd({ bogus: 1 }, { bogus: 2 }),
      want: ['spec.bogus', 'spec.versions[0].bogus'],
    },
  ])('$want', ({ given, want }) => {
    const document = loadBuiltInDocument('1.37', 'apiextensions.k8s.io/v1') ?? {}
    expect(findUnknownFields(document, given).map((u) => u.path)).toEqual(want)
    expect(validateObject(document, given)).toBeUndefined()
  })
})
