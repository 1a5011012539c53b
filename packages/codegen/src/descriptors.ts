// A resource kind's descriptor as source: the call into @k8s-codegen/runtime that attaches the
// path builders to the kind's static facts. The facts are data (string, number and boolean
// literals written by _source-text.ts), never code: a kind, plural or subresource name from a
// server cannot become code.
import { indentation, propertyNameText } from './_source-text.js'
import { literalType } from './emit-types.js'
import type { ResourceInfo } from './resources.js'
import { RUNTIME_NAMESPACE } from './runtime-package.js'

export { RUNTIME_NAMESPACE, RUNTIME_PACKAGE } from './runtime-package.js'

type Data = string | number | boolean | readonly Data[] | { readonly [key: string]: Data }

function facts(info: ResourceInfo): { [key: string]: Data } {
  const subresources: { [name: string]: Data } = {}
  for (const s of info.subresources) {
    subresources[s.name] = { apiVersion: s.apiVersion, kind: s.kind, verbs: s.verbs }
  }
  const data: { [key: string]: Data } = {
    apiVersion: info.apiVersion,
    group: info.group,
    version: info.version,
    kind: info.kind,
    plural: info.plural,
    singular: info.singular,
    namespaced: info.namespaced,
    verbs: info.verbs,
    subresources,
  }
  if (info.listKind !== undefined) data.listKind = info.listKind
  if (info.shortNames !== undefined) data.shortNames = info.shortNames
  if (info.categories !== undefined) data.categories = info.categories
  if (info.printerColumns !== undefined) {
    // Field by field, in the CRD's order, so only the known keys of a column become data.
    data.printerColumns = info.printerColumns.map((c) => {
      const column: { [key: string]: Data } = { name: c.name, type: c.type, jsonPath: c.jsonPath }
      if (c.description !== undefined) column.description = c.description
      if (c.priority !== undefined) column.priority = c.priority
      if (c.format !== undefined) column.format = c.format
      return column
    })
  }
  if (info.deprecationWarning !== undefined) data.deprecationWarning = info.deprecationWarning
  return data
}

// The facts as an expression, as the printer writes the factory's single-line literals:
// `{ a: 'x', b: ['y'] }`, `{}`, `[]`.
function expression(data: Data): string {
  if (typeof data !== 'object') return literalType(data).text
  if (Array.isArray(data)) return `[${(data as readonly Data[]).map(expression).join(', ')}]`
  const object = data as { readonly [key: string]: Data }
  const keys = Object.keys(object)
  if (keys.length === 0) return '{}'
  return `{ ${keys.map((key) => `${propertyNameText(key)}: ${expression(object[key] as Data)}`).join(', ')} }`
}

// The facts' literal type, starting on a line at indentation `level`: an object is a type literal
// of readonly members, one a line; a list a single-line readonly tuple.
function type(data: Data, level: number): string {
  if (typeof data !== 'object') return literalType(data).text
  if (Array.isArray(data))
    return `readonly [${(data as readonly Data[]).map((d) => type(d, level)).join(', ')}]`
  const object = data as { readonly [key: string]: Data }
  const keys = Object.keys(object)
  if (keys.length === 0) return '{}'
  const pad = indentation(level + 1)
  const members = keys.map(
    (key) => `${pad}readonly ${propertyNameText(key)}: ${type(object[key] as Data, level + 1)};\n`,
  )
  return `{\n${members.join('')}${indentation(level)}}`
}

/** True when the kind gets `proxyPath()`: core/v1 services, pods and nodes serving `proxy`. */
export function isProxied(info: ResourceInfo): boolean {
  return (
    info.group === '' &&
    info.version === 'v1' &&
    (info.plural === 'services' || info.plural === 'pods' || info.plural === 'nodes') &&
    info.subresources.some((s) => s.name === 'proxy')
  )
}

/**
 * `export const <id>: $rt.Resource<{…facts…}, T, L> = $rt.defineResource<T, L>()({ …facts… });`
 * as source text, `T` and `L` being the object and list types' text. The annotation is what an
 * isolated declaration emit (`--emit js`) needs, and it spares a consumer's compiler inferring
 * the literal type. Every fact is a literal written by _source-text.ts: a kind, plural or
 * subresource name from a server cannot become code.
 *
 * @example
 * descriptorText('Widget', info, 'Widget', 'WidgetList')
 * // "export const Widget: $rt.Resource<{…}, Widget, WidgetList> = $rt.defineResource<Widget, WidgetList>()({ apiVersion: 'example.dev/v1', … });"
 */
export function descriptorText(
  id: string,
  info: ResourceInfo,
  objectType: string,
  listType: string,
): string {
  const proxied = isProxied(info)
  const data = facts(info)
  const types = `${objectType}, ${listType}`
  const annotation = `${RUNTIME_NAMESPACE}.${proxied ? 'ProxiedResource' : 'Resource'}<${type(data, 0)}, ${types}>`
  const define = `${RUNTIME_NAMESPACE}.${proxied ? 'defineProxiedResource' : 'defineResource'}<${types}>()`
  return `export const ${id}: ${annotation} = ${define}(${expression(data)});`
}
