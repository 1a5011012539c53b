// Emits one output module with openapi-typescript as the schema → TypeScript engine. The engine
// sees schemas already normalized (normalize.ts); its `transform` hook turns our two markers into
// cross-module references and open objects.
import {
  astToString,
  transformSchemaObject,
  type GlobalContext,
  type SchemaObject,
} from 'openapi-typescript'
import ts from 'typescript'

import { importSpecifier, namespaceIdentifier } from './module-path.js'
import { LITERALS_KEY, LITERAL_TYPE, OPEN_TYPE, REF_KEY, REF_TYPE } from './normalize.js'
import type { Schema } from './types.js'

export interface SchemaPlacement {
  module: string
  short: string
}

export interface ModuleSchema {
  name: string
  short: string
  schema: Schema
}

const OPEN_OBJECT = ts.factory.createTypeReferenceNode('Record', [
  ts.factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword),
  ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword),
])

function literalNode(value: string | number): ts.TypeNode {
  return ts.factory.createLiteralTypeNode(
    typeof value === 'number'
      ? value < 0
        ? ts.factory.createPrefixUnaryExpression(
            ts.SyntaxKind.MinusToken,
            ts.factory.createNumericLiteral(-value),
          )
        : ts.factory.createNumericLiteral(value)
      : ts.factory.createStringLiteral(value),
  )
}

function jsDoc(text: string): string {
  return `*\n * ${text.replace(/\*\//g, '*\\/').replace(/\r?\n/g, '\n * ')}\n `
}

/** Result of emitting a module's schemas: the declarations and the modules they import. */
export interface EmittedSchemas {
  code: string
  /** module path → namespace identifier used in `code` */
  imports: Map<string, string>
}

/**
 * Emits the type declarations of one module. `placement` resolves every referenced schema name
 * to its module and short name.
 */
export function emitSchemas(
  modulePath: string,
  schemas: readonly ModuleSchema[],
  placement: ReadonlyMap<string, SchemaPlacement>,
  reserved: ReadonlySet<string>,
): EmittedSchemas {
  const imports = new Map<string, string>()
  const usedIds = new Set<string>(reserved)
  for (const s of schemas) usedIds.add(s.short)
  const namespaceFor = (target: string): string => {
    let id = imports.get(target)
    if (id !== undefined) return id
    const base = namespaceIdentifier(target)
    id = base
    for (let n = 2; usedIds.has(id); n++) id = `${base}_${n}`
    usedIds.add(id)
    imports.set(target, id)
    return id
  }
  const refNode = (name: string): ts.TypeNode => {
    const target = placement.get(name)
    if (target === undefined) return ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword)
    if (target.module === modulePath) return ts.factory.createTypeReferenceNode(target.short)
    return ts.factory.createTypeReferenceNode(
      ts.factory.createQualifiedName(
        ts.factory.createIdentifier(namespaceFor(target.module)),
        target.short,
      ),
    )
  }
  const ctx = createContext((served) => {
    const schema = served as Schema
    if (schema.type === REF_TYPE) return refNode(String(schema[REF_KEY]))
    if (schema.type === OPEN_TYPE) return OPEN_OBJECT
    if (schema.type === LITERAL_TYPE) {
      const values = schema[LITERALS_KEY] as (string | number)[]
      return ts.factory.createUnionTypeNode(values.map(literalNode))
    }
    return undefined
  })

  const nodes: ts.Node[] = []
  for (const { name, short, schema } of schemas) {
    const type = transformSchemaObject(schema as SchemaObject, {
      path: `#/components/schemas/${name}`,
      ctx,
    })
    const modifiers = [ts.factory.createModifier(ts.SyntaxKind.ExportKeyword)]
    const declaration: ts.Node = ts.isTypeLiteralNode(type)
      ? ts.factory.createInterfaceDeclaration(modifiers, short, undefined, undefined, type.members)
      : ts.factory.createTypeAliasDeclaration(modifiers, short, undefined, type)
    const notes: string[] = []
    if (typeof schema.description === 'string') notes.push(schema.description.trim())
    if (typeof schema.format === 'string')
      notes.push(`Format: ${schema.format} (sent as a string on the wire).`)
    if (schema.deprecated === true) notes.push('@deprecated')
    if (notes.length > 0) {
      ts.addSyntheticLeadingComment(
        declaration,
        ts.SyntaxKind.MultiLineCommentTrivia,
        jsDoc(notes.join('\n\n')),
        true,
      )
    }
    nodes.push(declaration)
  }
  const code = nodes.length === 0 ? '' : astToString(nodes)
  return { code, imports }
}

/** Renders `import type * as x from '…'` lines, sorted by specifier. */
export function renderImports(
  modulePath: string,
  imports: ReadonlyMap<string, string>,
  typeOnly: boolean,
): string {
  return [...imports.entries()]
    .map(([target, id]) => ({ id, spec: importSpecifier(modulePath, target) }))
    .sort((a, b) => (a.spec < b.spec ? -1 : a.spec > b.spec ? 1 : 0))
    .map(({ id, spec }) => `import ${typeOnly ? 'type ' : ''}* as ${id} from '${spec}'`)
    .join('\n')
}

function createContext(transform: NonNullable<GlobalContext['transform']>): GlobalContext {
  return {
    additionalProperties: false,
    alphabetize: true,
    arrayLength: false,
    defaultNonNullable: false,
    discriminators: { objects: {}, refsHandled: [] },
    emptyObjectsUnknown: true,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    redoc: {} as GlobalContext['redoc'],
    silent: true,
    transform,
    transformProperty: undefined,
    // Every $ref was replaced by a marker before the engine runs, so nothing is left to resolve.
    resolve: () => undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
  }
}
