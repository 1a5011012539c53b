import { describe, expect, it } from 'vitest'
import { OpenApiError } from '../../src/errors.js'
import { validateCrd } from '../../src/crd/validate.js'
import type { JsonObject } from '../../src/types.js'

// Each row breaks one apiextensions validation rule (validation.go / schema validation.go) of an
// otherwise valid CRD; the message names the file, document index, CRD and rule.
function valid(): JsonObject {
  return {
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
              properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } },
            },
          },
        },
      ],
    },
  }
}

type Spec = { group: string; names: JsonObject; versions: JsonObject[]; [k: string]: unknown }
const spec = (crd: JsonObject): Spec => crd.spec as Spec
const v1 = (crd: JsonObject): JsonObject => spec(crd).versions[0] as JsonObject
const root = (crd: JsonObject): JsonObject =>
  (v1(crd).schema as { openAPIV3Schema: JsonObject }).openAPIV3Schema
const specProps = (crd: JsonObject): JsonObject =>
  ((root(crd).properties as JsonObject).spec as { properties: JsonObject }).properties

const where = 'crds.yaml document 3 (widgets.example.dev) is not a valid CustomResourceDefinition: '
const rows: { name: string; given: (crd: JsonObject) => void; want: string }[] = [
  {
    name: 'v1beta1',
    given: (c) => (c.apiVersion = 'apiextensions.k8s.io/v1beta1'),
    want: 'apiVersion: must be apiextensions.k8s.io/v1, not "apiextensions.k8s.io/v1beta1" (apiextensions.k8s.io/v1beta1 was removed in Kubernetes 1.22)',
  },
  {
    name: 'name not plural.group',
    given: (c) => (c.metadata = { name: 'widget.example.dev' }),
    want: `metadata.name: must be spec.names.plural+"."+spec.group: 'widgets.example.dev'`,
  },
  {
    name: 'group without a dot',
    given: (c) => {
      spec(c).group = 'example'
      c.metadata = { name: 'widgets.example' }
    },
    want: "spec.group: should be a domain with at least one dot, e.g. 'example.com'",
  },
  {
    name: 'bad scope',
    given: (c) => (spec(c).scope = 'Global'),
    want: "spec.scope: must be 'Namespaced' or 'Cluster'",
  },
  {
    name: 'upper-case plural',
    given: (c) => {
      spec(c).names.plural = 'Widgets'
      c.metadata = { name: 'Widgets.example.dev' }
    },
    want: 'spec.names.plural: must be a DNS-1035 label (lower case, starting with a letter)',
  },
  {
    name: 'listKind equal to kind',
    given: (c) => (spec(c).names.listKind = 'Widget'),
    want: 'spec.names.listKind: must not equal spec.names.kind',
  },
  {
    name: 'bad short name',
    given: (c) => (spec(c).names.shortNames = ['w_d']),
    want: 'spec.names.shortNames[0]: must be a DNS-1035 label',
  },
  {
    name: 'no versions',
    given: (c) => (spec(c).versions = []),
    want: 'spec.versions: must have exactly one version marked as storage version',
  },
  {
    name: 'two storage versions',
    given: (c) => spec(c).versions.push({ ...v1(c), name: 'v2' }),
    want: 'spec.versions: must have exactly one version marked as storage version, not 2',
  },
  {
    name: 'duplicate version',
    given: (c) => spec(c).versions.push({ ...v1(c), storage: false }),
    want: 'spec.versions[1].name: must be unique',
  },
  {
    name: 'no schema',
    given: (c) => delete v1(c).schema,
    want: 'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
  },
  {
    name: 'deprecationWarning without deprecated',
    given: (c) => (v1(c).deprecationWarning = 'old'),
    want: 'spec.versions[0].deprecationWarning: can only be set for deprecated versions',
  },
  {
    name: 'missing type (not structural)',
    given: (c) => (specProps(c).a = { description: 'no type' }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].type: must not be empty for specified object fields (structural schema), unless x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields is true',
  },
  {
    name: '$ref',
    given: (c) => (specProps(c).a = { type: 'object', $ref: '#/definitions/X' }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].$ref: must not be set: a structural schema has no $ref',
  },
  {
    name: 'type inside anyOf',
    given: (c) => (specProps(c).a = { type: 'string', anyOf: [{ type: 'integer' }] }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].anyOf[0].type: must not be set inside allOf/anyOf/oneOf/not',
  },
  {
    name: 'int-or-string with preserve-unknown-fields',
    given: (c) =>
      (specProps(c).a = {
        'x-kubernetes-int-or-string': true,
        'x-kubernetes-preserve-unknown-fields': true,
      }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-preserve-unknown-fields: must be false if x-kubernetes-int-or-string is true',
  },
  {
    // Regression (cert-manager's ClusterIssuer): the int-or-string anyOf pattern is exempt from
    // the junctor rule, but the node still needs a type or x-kubernetes-int-or-string.
    name: 'the int-or-string anyOf pattern without x-kubernetes-int-or-string',
    given: (c) => (specProps(c).a = { anyOf: [{ type: 'integer' }, { type: 'string' }] }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].type: must not be empty for specified object fields (structural schema), unless x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields is true',
  },
  {
    name: 'an int-or-string anyOf that is not exactly integer, string',
    given: (c) =>
      (specProps(c).a = {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string', description: 'x' }],
      }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].anyOf[0].type: must not be set inside allOf/anyOf/oneOf/not; spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].anyOf[1].type: must not be set inside allOf/anyOf/oneOf/not; spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].anyOf[1].description: must not be set inside allOf/anyOf/oneOf/not',
  },
  {
    name: 'array without items',
    given: (c) => (specProps(c).a = { type: 'array' }),
    want: "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].items: must be specified when type is 'array'",
  },
  {
    name: 'properties and additionalProperties',
    given: (c) =>
      (specProps(c).a = {
        type: 'object',
        properties: { b: { type: 'string' } },
        additionalProperties: { type: 'string' },
      }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].additionalProperties: must not be set together with properties',
  },
  {
    name: 'root metadata beyond name',
    given: (c) =>
      ((root(c).properties as JsonObject).metadata = {
        type: 'object',
        properties: { labels: { type: 'object' } },
      }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[metadata].properties[labels]: must not be specified: only name and generateName may be restricted',
  },
  {
    name: 'embedded resource without properties',
    given: (c) => (specProps(c).a = { type: 'object', 'x-kubernetes-embedded-resource': true }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].properties: must not be empty when x-kubernetes-embedded-resource is true and x-kubernetes-preserve-unknown-fields is not',
  },
  {
    name: 'printer columns (ValidateCustomResourceColumnDefinition)',
    given: (c) =>
      (v1(c).additionalPrinterColumns = [
        { name: 'A', type: 'string', jsonPath: '.spec.a' },
        { type: 'text', jsonPath: 'spec.a', format: 'uuid', priority: 0.5 },
      ]),
    want: "spec.versions[0].additionalPrinterColumns[1].name: Required value; spec.versions[0].additionalPrinterColumns[1].type: must be one of boolean,date,integer,number,string; spec.versions[0].additionalPrinterColumns[1].format: must be one of byte,date,date-time,double,float,int32,int64,password; spec.versions[0].additionalPrinterColumns[1].jsonPath: must be a simple JSON path starting with '.'; spec.versions[0].additionalPrinterColumns[1].priority: must be an integer",
  },
  {
    name: 'scale path outside spec',
    given: (c) =>
      (v1(c).subresources = {
        scale: { specReplicasPath: '.replicas', statusReplicasPath: '.status.replicas' },
      }),
    want: "spec.versions[0].subresources.scale.specReplicasPath: should be a json path under '.spec'",
  },
  // Each row below is a CRD kube-apiserver refuses that this validator once accepted; `want` is
  // the server's field and detail (validation.go) in this validator's "<field>: <rule>" form.
  {
    name: 'a k8s.io group without the api-approved annotation (validateAPIApproval)',
    given: (c) => {
      spec(c).group = 'widgets.k8s.io'
      c.metadata = { name: 'widgets.widgets.k8s.io' }
    },
    want: 'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
  },
  {
    name: 'a kubernetes.io group with an approval that is neither a URL nor "unapproved…"',
    given: (c) => {
      spec(c).group = 'kubernetes.io'
      c.metadata = {
        name: 'widgets.kubernetes.io',
        annotations: { 'api-approved.kubernetes.io': 'yes please' },
      }
    },
    want: 'metadata.annotations[api-approved.kubernetes.io]: protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111',
  },
  {
    name: 'a deprecationWarning with a control character (validateDeprecationWarning)',
    given: (c) => {
      v1(c).deprecated = true
      v1(c).deprecationWarning = 'use v2\u001b]0;pwned\u0007'
    },
    want: 'spec.versions[0].deprecationWarning: must only contain printable UTF-8 characters; non-printable character found at index 6',
  },
  {
    name: 'a deprecationWarning index counted in UTF-8 bytes, as Go does',
    given: (c) => {
      v1(c).deprecated = true
      v1(c).deprecationWarning = 'ü\u00a0'
    },
    want: 'spec.versions[0].deprecationWarning: must only contain printable UTF-8 characters; non-printable character found at index 2',
  },
  {
    name: 'an empty deprecationWarning',
    given: (c) => {
      v1(c).deprecated = true
      v1(c).deprecationWarning = ''
    },
    want: 'spec.versions[0].deprecationWarning: must not be an empty string',
  },
  {
    name: 'an unknown x-kubernetes-list-type',
    given: (c) =>
      (specProps(c).a = {
        type: 'array',
        items: { type: 'string' },
        'x-kubernetes-list-type': 'bag',
      }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "map", "set"',
  },
  {
    name: 'an unknown x-kubernetes-map-type',
    given: (c) => (specProps(c).a = { type: 'object', 'x-kubernetes-map-type': 'deep' }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-map-type: Unsupported value: "deep": supported values: "atomic", "granular"',
  },
  {
    name: 'x-kubernetes-list-type map without list-map keys',
    given: (c) =>
      (specProps(c).a = {
        type: 'array',
        items: { type: 'object', properties: { k: { type: 'string' } } },
        'x-kubernetes-list-type': 'map',
      }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map',
  },
  {
    name: 'list-map keys that are not scalar item properties, or repeated',
    given: (c) =>
      (specProps(c).a = {
        type: 'array',
        items: { type: 'object', properties: { k: { type: 'object' } } },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['k', 'missing', 'k'],
      }),
    want: "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].items.properties[k].type: must be a scalar type if parent array's x-kubernetes-list-type is map; spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-list-map-keys: entries must all be names of item properties; spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].items.properties[k].type: must be a scalar type if parent array's x-kubernetes-list-type is map; spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-list-map-keys: must not contain duplicate entries",
  },
  {
    name: 'list-map keys on a set list',
    given: (c) =>
      (specProps(c).a = {
        type: 'array',
        items: { type: 'string' },
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-list-map-keys': ['k'],
      }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-list-type: must be map if x-kubernetes-list-map-keys is non-empty',
  },
  {
    name: 'a default of the wrong type (defaulting ValidateDefaults)',
    given: (c) => (specProps(c).a = { type: 'integer', default: 'three' }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].default: in body must be of type integer: got string',
  },
  {
    name: 'a null default on a field that is not nullable',
    given: (c) => (specProps(c).a = { type: 'string', default: null }),
    want: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].default: must not be null unless nullable is true',
  },
]

describe('validateCrd', () => {
  it('accepts the valid CRD, defaulting nothing it was given', () => {
    const crd = validateCrd({ where: { file: 'crds.yaml', index: 3 }, value: valid() })
    expect(crd).toMatchObject({
      name: 'widgets.example.dev',
      group: 'example.dev',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    })
    expect(crd.versions.map((v) => [v.name, v.served, v.storage])).toEqual([['v1', true, true]])
  })

  // Regression: cert-manager's ClusterIssuer (resources.limits: additionalProperties with the
  // controller-gen int-or-string pattern) was refused; validation.go isIntOrStringAnyOfPattern
  // and isIntOrStringAllOfPattern exempt exactly these shapes.
  it.each([
    {
      given: {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
      },
    },
    {
      given: {
        type: 'object',
        additionalProperties: {
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string' }],
          pattern: '^\\d+$',
        },
      },
    },
    {
      given: {
        'x-kubernetes-int-or-string': true,
        allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, { pattern: '^\\d+$' }],
      },
    },
    // Regression: external-snapshotter's VolumeSnapshot status.restoreSize has a type beside
    // x-kubernetes-int-or-string, which validation.go does not forbid.
    { given: { type: 'string', 'x-kubernetes-int-or-string': true } },
  ])('accepts the int-or-string schema $given', ({ given }) => {
    const value = valid()
    specProps(value).a = given
    expect(() => validateCrd({ where: { file: 'crds.yaml', index: 3 }, value })).not.toThrow()
  })

  it.each([
    { given: { type: 'number', default: 3 } },
    { given: { 'x-kubernetes-int-or-string': true, default: '50%' } },
    { given: { type: 'string', nullable: true, default: null } },
    { given: { type: 'object', 'x-kubernetes-map-type': 'atomic' } },
  ])('accepts the default or map type of $given', ({ given }) => {
    const value = valid()
    specProps(value).a = given
    expect(() => validateCrd({ where: { file: 'crds.yaml', index: 3 }, value })).not.toThrow()
  })

  it.each([
    'https://github.com/kubernetes/enhancements/pull/1111',
    'unapproved, experimental-only',
  ])('accepts a protected group approved with %j', (approval) => {
    const value = valid()
    spec(value).group = 'sigs.k8s.io'
    value.metadata = {
      name: 'widgets.sigs.k8s.io',
      annotations: { 'api-approved.kubernetes.io': approval },
    }
    expect(() => validateCrd({ where: { file: 'crds.yaml', index: 3 }, value })).not.toThrow()
  })

  it('defaults singular and listKind as the apiserver does', () => {
    const value = valid()
    spec(value).names = { plural: 'widgets', kind: 'Widget' }
    const crd = validateCrd({ where: { file: 'crds.yaml', index: 3 }, value })
    expect(crd.names).toEqual({
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
    })
  })

  it.each(rows)('refuses $name', ({ given, want }) => {
    const value = valid()
    given(value)
    const label = (value.metadata as { name: string }).name
    expect(() => validateCrd({ where: { file: 'crds.yaml', index: 3 }, value })).toThrowError(
      new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_INVALID',
        `${where.replace('widgets.example.dev', label)}${want}`,
      ),
    )
  })

  it('reports every problem of one CRD in one message', () => {
    const value = valid()
    spec(value).scope = 'x'
    spec(value).names.shortNames = ['A']
    expect(() => validateCrd({ where: { file: 'crds.yaml', index: 3 }, value })).toThrowError(
      `${where}spec.scope: must be 'Namespaced' or 'Cluster'; spec.names.shortNames[0]: must be a DNS-1035 label`,
    )
  })
})
