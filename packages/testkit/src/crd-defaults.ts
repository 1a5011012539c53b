// The defaults kube-apiserver's decoder gives a CustomResourceDefinition before anything else
// reads it: apiextensions-apiserver pkg/apis/apiextensions/v1/defaults.go
// SetDefaults_CustomResourceDefinitionSpec (names.singular, names.listKind, conversion None) and
// SetDefaults_ServiceReference (a conversion webhook service's port 443); on a server whose
// apiextensions group is v1beta1 only (the kubernetes-1.13 profile) v1beta1/defaults.go's as 1.13
// had them, which also default the scope and fill `version` and `versions` from each other (no
// port, no preserveUnknownFields: those came in 1.15).
import { isJsonObject, type JsonObject } from './_json.js'

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '')

// A webhook client config whose service has no port gets 443; the same object when it has one.
function withServicePort(clientConfig: unknown): unknown {
  if (!isJsonObject(clientConfig) || !isJsonObject(clientConfig['service'])) return clientConfig
  const service = clientConfig['service']
  if (service['port'] !== undefined && service['port'] !== null) return clientConfig
  return { ...clientConfig, service: { ...service, port: 443 } }
}

function conversionOf(conversion: unknown, version: string): JsonObject {
  if (!isJsonObject(conversion)) return { strategy: 'None' }
  // 1.13's ServiceReference has no port.
  if (version === 'v1beta1') return conversion
  const webhook = conversion['webhook']
  if (!isJsonObject(webhook)) return conversion
  const config = withServicePort(webhook['clientConfig'])
  return config === webhook['clientConfig']
    ? conversion
    : { ...conversion, webhook: { ...webhook, clientConfig: config } }
}

// The names with singular and listKind defaulted, in CustomResourceDefinitionNames' field order.
function namesOf(names: JsonObject): JsonObject {
  const kind = textOf(names['kind'])
  const singular = textOf(names['singular']) || kind.toLowerCase()
  const listKind = textOf(names['listKind']) || (kind === '' ? '' : `${kind}List`)
  if (singular === names['singular'] && listKind === textOf(names['listKind'])) return names
  const out: JsonObject = { plural: names['plural'] }
  if (singular !== '') out['singular'] = singular
  for (const [key, value] of Object.entries(names))
    if (key !== 'plural' && key !== 'singular' && key !== 'listKind') out[key] = value
  if (listKind !== '') out['listKind'] = listKind
  return out
}

/**
 * `crd` (the body of a write to apiextensions.k8s.io/`version`) with the defaults the server's
 * decoder sets; `crd` itself when it lacks none, so a caller can tell nothing changed.
 *
 * @example
 * crdWithDefaults({ spec: { group: 'example.dev', names: { plural: 'widgets', kind: 'Widget' }, scope: 'Namespaced', versions: [] } }, 'v1').spec
 * // { …, names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' }, conversion: { strategy: 'None' } }
 */
export function crdWithDefaults(crd: JsonObject, version: string): JsonObject {
  const spec = crd['spec']
  if (!isJsonObject(spec)) return crd
  const out: JsonObject = { ...spec }
  if (isJsonObject(spec['names'])) out['names'] = namesOf(spec['names'])
  if (version === 'v1beta1') {
    if (textOf(spec['scope']) === '') out['scope'] = 'Namespaced'
    const versions: unknown[] = Array.isArray(spec['versions']) ? spec['versions'] : []
    const named = textOf(spec['version'])
    if (versions.length === 0 && named !== '')
      out['versions'] = [{ name: named, served: true, storage: true }]
    const first = versions[0]
    if (named === '' && isJsonObject(first)) out['version'] = first['name']
  }
  out['conversion'] = conversionOf(spec['conversion'], version)
  const changed = Object.keys(out).some((key) => out[key] !== spec[key])
  return changed ? { ...crd, spec: out } : crd
}
