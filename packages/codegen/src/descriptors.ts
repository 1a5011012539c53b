// A resource kind's descriptor as syntax: the call into @k8s-codegen/runtime that attaches the
// path builders to the kind's static facts. The facts are data (string and boolean literals in a
// tree), never text: a kind, plural or subresource name from a server cannot become code.
import type {
  EntityName,
  Expression,
  NumericLiteral,
  PrefixUnaryExpression,
  PropertyName,
  TypeNode,
  VariableStatement,
} from 'typescript'

import ts from './_typescript.js'

import { isPlainPropertyName } from './names.js'
import type { ResourceInfo } from './resources.js'
import { RUNTIME_NAMESPACE } from './runtime-package.js'

export { RUNTIME_NAMESPACE, RUNTIME_PACKAGE } from './runtime-package.js'

const f = ts.factory

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

// A printer column's priority: an integer (validated), negative ones as a prefix minus.
function numeric(value: number): NumericLiteral | PrefixUnaryExpression {
  const literal = f.createNumericLiteral(Math.abs(value))
  return value < 0 ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, literal) : literal
}

// A key of the facts: an identifier when it is one, else a quoted string literal.
function propertyName(name: string): PropertyName {
  return isPlainPropertyName(name) ? f.createIdentifier(name) : f.createStringLiteral(name, true)
}

function literalType(value: string | number | boolean): TypeNode {
  if (typeof value === 'boolean')
    return f.createLiteralTypeNode(value ? f.createTrue() : f.createFalse())
  if (typeof value === 'number') return f.createLiteralTypeNode(numeric(value))
  return f.createLiteralTypeNode(f.createStringLiteral(value, true))
}

function expression(data: Data): Expression {
  if (typeof data === 'string') return f.createStringLiteral(data, true)
  if (typeof data === 'number') return numeric(data)
  if (typeof data === 'boolean') return data ? f.createTrue() : f.createFalse()
  if (Array.isArray(data)) return f.createArrayLiteralExpression(data.map(expression))
  const object = data as { readonly [key: string]: Data }
  return f.createObjectLiteralExpression(
    Object.keys(object).map((key) =>
      f.createPropertyAssignment(propertyName(key), expression(object[key] as Data)),
    ),
  )
}

function type(data: Data): TypeNode {
  if (typeof data !== 'object') return literalType(data)
  if (Array.isArray(data)) {
    const tuple = ts.setEmitFlags(f.createTupleTypeNode(data.map(type)), ts.EmitFlags.SingleLine)
    return f.createTypeOperatorNode(ts.SyntaxKind.ReadonlyKeyword, tuple)
  }
  const object = data as { readonly [key: string]: Data }
  return f.createTypeLiteralNode(
    Object.keys(object).map((key) =>
      f.createPropertySignature(
        [f.createModifier(ts.SyntaxKind.ReadonlyKeyword)],
        propertyName(key),
        undefined,
        type(object[key] as Data),
      ),
    ),
  )
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

function runtimeName(name: string): EntityName {
  return f.createQualifiedName(f.createIdentifier(RUNTIME_NAMESPACE), name)
}

/**
 * `export const <id>: $rt.Resource<{…facts…}, T, L> = $rt.defineResource<T, L>()({ …facts… })`.
 * The annotation is what an isolated declaration emit (`--emit js`) needs, and it spares a
 * consumer's compiler inferring the literal type.
 */
export function descriptorStatement(
  id: string,
  info: ResourceInfo,
  objectType: TypeNode,
  listType: TypeNode,
): VariableStatement {
  const proxied = isProxied(info)
  const data = facts(info)
  const define = f.createPropertyAccessExpression(
    f.createIdentifier(RUNTIME_NAMESPACE),
    proxied ? 'defineProxiedResource' : 'defineResource',
  )
  const call = f.createCallExpression(
    f.createCallExpression(define, [objectType, listType], []),
    undefined,
    [expression(data)],
  )
  const annotation = f.createTypeReferenceNode(
    runtimeName(proxied ? 'ProxiedResource' : 'Resource'),
    [type(data), objectType, listType],
  )
  return f.createVariableStatement(
    [f.createModifier(ts.SyntaxKind.ExportKeyword)],
    f.createVariableDeclarationList(
      [f.createVariableDeclaration(id, undefined, annotation, call)],
      ts.NodeFlags.Const,
    ),
  )
}
