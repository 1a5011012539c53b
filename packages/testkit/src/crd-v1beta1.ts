// A CustomResourceDefinition as apiextensions.k8s.io/v1beta1 serves it: what a server whose
// apiextensions group has no v1 (Kubernetes ≤ 1.15, the kubernetes-1.13 profile) holds for a CRD
// the emulator reads as v1. The conversion goes v1 → internal → v1beta1 as apiextensions-apiserver
// does it (pkg/apis/apiextensions/v1/conversion.go
// Convert_v1_CustomResourceDefinitionSpec_To_apiextensions_CustomResourceDefinitionSpec and
// Convert_v1_CustomResourceConversion_To_apiextensions_CustomResourceConversion; the v1beta1
// side is the generated field-for-field copy, where a printer column's `jsonPath` is `JSONPath`).
import { isDeepStrictEqual } from 'node:util'

import { isJsonObject, type JsonObject } from './_json.js'

// The per-version fields the internal version hoists to the spec when every version has the same.
const HOISTED = [
  ['subresources', 'subresources'],
  ['schema', 'validation'],
  ['additionalPrinterColumns', 'additionalPrinterColumns'],
  ['selectableFields', 'selectableFields'],
] as const

// v1 `jsonPath` → v1beta1 `JSONPath` (apiextensions/v1beta1 types.go CustomResourceColumnDefinition).
function column(value: unknown): unknown {
  if (!isJsonObject(value)) return value
  const { jsonPath, ...rest } = value
  return jsonPath === undefined ? value : { ...rest, JSONPath: jsonPath }
}

function columns(value: unknown): unknown {
  return Array.isArray(value) ? value.map(column) : value
}

// v1 `conversion.webhook.{clientConfig,conversionReviewVersions}` → v1beta1
// `conversion.{webhookClientConfig,conversionReviewVersions}`.
function conversion(value: unknown): unknown {
  if (!isJsonObject(value)) return value
  const { webhook, ...rest } = value
  if (!isJsonObject(webhook)) return rest
  return {
    ...rest,
    ...(webhook['clientConfig'] === undefined
      ? {}
      : { webhookClientConfig: webhook['clientConfig'] }),
    ...(webhook['conversionReviewVersions'] === undefined
      ? {}
      : { conversionReviewVersions: webhook['conversionReviewVersions'] }),
  }
}

/**
 * The apiextensions.k8s.io/v1beta1 form of an apiextensions.k8s.io/v1 CustomResourceDefinition:
 * `spec.version` is the first version's name; a per-version schema, subresources, printer
 * columns or selectable fields that every version has alike move to the spec (`schema` as
 * `validation`); printer columns spell `JSONPath`; a conversion webhook's fields move up a level;
 * `preserveUnknownFields` is explicit.
 *
 * @example
 * crdAsV1beta1({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.dev' }, spec: { group: 'example.dev', names: { plural: 'widgets', kind: 'Widget' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }] } })
 * // { apiVersion: 'apiextensions.k8s.io/v1beta1', …, spec: { …, version: 'v1', preserveUnknownFields: false, versions: [{ name: 'v1', served: true, storage: true }] } }
 */
export function crdAsV1beta1(crd: JsonObject): JsonObject {
  const spec = isJsonObject(crd['spec']) ? crd['spec'] : {}
  const versions = Array.isArray(spec['versions']) ? spec['versions'].filter(isJsonObject) : []
  const out: JsonObject = { ...spec, preserveUnknownFields: spec['preserveUnknownFields'] === true }
  const converted = conversion(spec['conversion'])
  if (converted !== undefined) out['conversion'] = converted
  const first = versions[0]
  if (first !== undefined) {
    if (typeof first['name'] === 'string') out['version'] = first['name']
    const perVersion = versions.map((v) => ({ ...v }))
    for (const [from, to] of HOISTED) {
      if (!versions.every((v) => isDeepStrictEqual(v[from], first[from]))) continue
      for (const v of perVersion) delete v[from]
      if (first[from] !== undefined) out[to] = first[from]
    }
    out['versions'] = perVersion.map((v) => {
      const printed = columns(v['additionalPrinterColumns'])
      return printed === undefined ? v : { ...v, additionalPrinterColumns: printed }
    })
    const printed = columns(out['additionalPrinterColumns'])
    if (printed !== undefined) out['additionalPrinterColumns'] = printed
  }
  return { ...crd, apiVersion: 'apiextensions.k8s.io/v1beta1', spec: out }
}

// v1beta1 `JSONPath` → v1 `jsonPath`.
function columnAsV1(value: unknown): unknown {
  if (!isJsonObject(value)) return value
  const { JSONPath, ...rest } = value
  return JSONPath === undefined ? value : { ...rest, jsonPath: JSONPath }
}

/**
 * The apiextensions.k8s.io/v1 form of a v1beta1 CustomResourceDefinition, as a server holding it
 * in v1beta1 reads it (v1beta1 → internal → v1: v1/conversion.go
 * Convert_apiextensions_CustomResourceDefinitionSpec_To_v1_CustomResourceDefinitionSpec): the
 * spec-wide schema (`validation`), subresources, printer columns and selectable fields move into
 * every version that has none of its own, `version` alone becomes the one version, a conversion
 * webhook's fields move under `webhook`, and a false `preserveUnknownFields` is omitted as v1's
 * `omitempty` does. The inverse of {@link crdAsV1beta1}; a v1 object is returned as it is.
 *
 * @example
 * crdAsV1({ apiVersion: 'apiextensions.k8s.io/v1beta1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.dev' }, spec: { group: 'example.dev', version: 'v1', names: { plural: 'widgets', kind: 'Widget' }, scope: 'Namespaced', validation: { openAPIV3Schema: { type: 'object' } } } })
 * // { apiVersion: 'apiextensions.k8s.io/v1', …, spec: { group: 'example.dev', names, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] } }
 */
export function crdAsV1(crd: JsonObject): JsonObject {
  if (crd['apiVersion'] !== 'apiextensions.k8s.io/v1beta1') return crd
  const spec = isJsonObject(crd['spec']) ? crd['spec'] : {}
  const out: JsonObject = { ...spec }
  delete out['version']
  delete out['conversion']
  for (const [, from] of HOISTED) delete out[from]
  const listed = Array.isArray(spec['versions']) ? spec['versions'].filter(isJsonObject) : []
  const version = spec['version']
  const versions =
    listed.length === 0 && typeof version === 'string'
      ? [{ name: version, served: true, storage: true }]
      : listed
  out['versions'] = versions.map((v) => {
    const next: JsonObject = { ...v }
    for (const [to, from] of HOISTED)
      if (next[to] === undefined && spec[from] !== undefined) next[to] = spec[from]
    const printed = next['additionalPrinterColumns']
    if (Array.isArray(printed)) next['additionalPrinterColumns'] = printed.map(columnAsV1)
    return next
  })
  const conversion = spec['conversion']
  if (isJsonObject(conversion)) {
    const { webhookClientConfig, conversionReviewVersions, ...strategy } = conversion
    const webhook: JsonObject = {}
    if (webhookClientConfig !== undefined) webhook['clientConfig'] = webhookClientConfig
    if (conversionReviewVersions !== undefined)
      webhook['conversionReviewVersions'] = conversionReviewVersions
    out['conversion'] = Object.keys(webhook).length === 0 ? strategy : { ...strategy, webhook }
  }
  if (out['preserveUnknownFields'] !== true) delete out['preserveUnknownFields']
  return { ...crd, apiVersion: 'apiextensions.k8s.io/v1', spec: out }
}
