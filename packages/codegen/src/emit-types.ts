// Normalized schemas (normalize.ts) → TypeScript type nodes, built with the compiler's own
// factory as openapi-typescript does, so no server string is ever spliced into source text:
// property names go through names.ts or become string literals, values become literal nodes, and
// descriptions become comments that cannot close early.
import type {
  IndexSignatureDeclaration,
  KeywordTypeSyntaxKind,
  Node,
  PropertyName,
  TypeElement,
  TypeNode,
} from 'typescript'

import ts from './_typescript.js'

import { isPlainPropertyName } from './names.js'
import {
  LIST_ITEM_KEY,
  LITERALS_KEY,
  LITERAL_TYPE,
  NULLS_PRUNED_KEY,
  OPEN_TYPE,
  REF_KEY,
  REF_TYPE,
} from './normalize.js'
import type { Schema } from './types.js'
import { RULES_KEY, escapeJsDocTags } from './validation-doc.js'

const f = ts.factory

/**
 * How a reference is used: as the item of a List (as the server sends it), or as a field of
 * another object (a kind's object embedded there), which decides whether a kind's `apiVersion`
 * and `kind` are required (they are only at the top, in the resource itself).
 */
export type RefUse = 'list-item' | 'field'

/** Resolves a schema name to the type node that refers to it from the module being emitted. */
export type RefResolver = (name: string, use: RefUse) => TypeNode

/**
 * Names a nested object (the objects of a CRD schema): `path` is the property names from the
 * declaration down to it (array items and map values take their field's path), `members` builds
 * its members once the name is claimed. Returns the reference that stands where it is used.
 */
export type ObjectNamer = (
  path: readonly string[],
  schema: Schema,
  members: () => TypeElement[],
) => TypeNode

export interface TypeEmitContext {
  resolveRef: RefResolver
  docs: boolean
  /** Set where nested objects become named declarations; inline type literals otherwise. */
  nameObject?: ObjectNamer | undefined
  /** Property names from the declaration being emitted down to the schema at hand. */
  path?: readonly string[]
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const keyword = (kind: KeywordTypeSyntaxKind): TypeNode => f.createKeywordTypeNode(kind)
const NULL = (): TypeNode => f.createLiteralTypeNode(f.createNull())

/** `{ [key: string]: T }`: an open object. No global (`Record`) is referenced, so no kind name can shadow one. */
function indexSignature(value: TypeNode): IndexSignatureDeclaration {
  return f.createIndexSignature(
    undefined,
    [
      f.createParameterDeclaration(
        undefined,
        undefined,
        'key',
        undefined,
        keyword(ts.SyntaxKind.StringKeyword),
      ),
    ],
    value,
  )
}

/** A literal type of any JSON scalar the server sent. */
export function literalType(value: string | number | boolean): TypeNode {
  if (typeof value === 'boolean')
    return f.createLiteralTypeNode(value ? f.createTrue() : f.createFalse())
  if (typeof value === 'number') {
    const literal = f.createNumericLiteral(Math.abs(value))
    return f.createLiteralTypeNode(
      value < 0 ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, literal) : literal,
    )
  }
  return f.createLiteralTypeNode(f.createStringLiteral(value, true))
}

/** A property name node: an identifier when the name is one, else a quoted string literal. */
export function propertyName(name: string): PropertyName {
  return isPlainPropertyName(name) ? f.createIdentifier(name) : f.createStringLiteral(name, true)
}

/**
 * Attaches a JSDoc block. `*\/` in server text is broken up so the comment cannot end early; a
 * block comment ends at nothing else (line terminators included).
 */
export function withDoc<T extends Node>(node: T, lines: readonly string[]): T {
  const text = lines.filter((l) => l !== '').join('\n\n')
  if (text === '') return node
  const body = text.replace(/\*\//g, '*\\/').replace(/\r\n|[\r\n\u2028\u2029]/g, '\n * ')
  ts.addSyntheticLeadingComment(
    node,
    ts.SyntaxKind.MultiLineCommentTrivia,
    `*\n * ${body}\n `,
    true,
  )
  return node
}

/** The validation tag lines normalization put on a schema (validation-doc.ts), or []. */
export function rulesOf(schema: Schema): string[] {
  const rules = schema[RULES_KEY]
  return Array.isArray(rules) ? (rules as string[]) : []
}

/**
 * The JSDoc lines of a schema: description (when docs are on), wire format, validation rules
 * (tags, so after every line of prose), deprecation.
 */
export function docLines(
  schema: Schema,
  docs: boolean,
  rules: readonly string[] = rulesOf(schema),
): string[] {
  const lines: string[] = []
  // Server text: no `@` in it starts a tag (a `@deprecated` line would strike the field through).
  if (docs && typeof schema.description === 'string')
    lines.push(escapeJsDocTags(schema.description.trim()))
  if (schema.format === 'date-time' || schema.format === 'byte') {
    lines.push(`Format: ${schema.format} (sent as a string on the wire).`)
  }
  // One block: consecutive tags need no blank line between them.
  if (rules.length > 0) lines.push(rules.join('\n'))
  if (schema.deprecated === true) lines.push('@deprecated')
  return lines
}

// Whether objectTypeNode makes this schema a named declaration, which then carries its rules.
const isNamedObject = (schema: Schema, ctx: TypeEmitContext): boolean =>
  ctx.nameObject !== undefined && schema.type === 'object' && isObject(schema.properties)

/**
 * The rules a property's JSDoc shows: its own, unless its object becomes a named declaration
 * (the rules go there, once), and those of its items and map values that have no declaration of
 * their own, marked as such.
 */
function memberRules(schema: Schema, ctx: TypeEmitContext, of = ''): string[] {
  const rules = isNamedObject(schema, ctx)
    ? []
    : rulesOf(schema).map((r) => (of === '' ? r : `${r} (${of})`))
  const items = schema.type === 'array' && isObject(schema.items) ? schema.items : undefined
  const values = isObject(schema.additionalProperties) ? schema.additionalProperties : undefined
  if (items !== undefined)
    rules.push(...memberRules(items, ctx, of === '' ? 'each item' : `${of}, each item`))
  if (values !== undefined)
    rules.push(...memberRules(values, ctx, of === '' ? 'each value' : `${of}, each value`))
  return rules
}

/**
 * The JSDoc line of a deprecated CRD version: `@deprecated <the warning the apiserver sends>`,
 * or '' (no line) when the version is not deprecated.
 */
export function deprecatedTag(warning: string | undefined): string {
  return warning === undefined ? '' : `@deprecated ${escapeJsDocTags(warning)}`
}

function union(types: TypeNode[]): TypeNode {
  if (types.length === 1 && types[0] !== undefined) return types[0]
  return f.createUnionTypeNode(types)
}

const isNull = (node: TypeNode): boolean =>
  ts.isLiteralTypeNode(node) && node.literal.kind === ts.SyntaxKind.NullKeyword

// `T | null`, flat (`number | string | null`), and nothing added where null is already a member
// or the type is `unknown`.
function orNull(node: TypeNode): TypeNode {
  if (node.kind === ts.SyntaxKind.UnknownKeyword || isNull(node)) return node
  if (ts.isUnionTypeNode(node)) {
    return node.types.some(isNull) ? node : f.createUnionTypeNode([...node.types, NULL()])
  }
  return f.createUnionTypeNode([node, NULL()])
}

// An optional map or list may be sent or written as null ("annotations:" with nothing after it
// in YAML), which the apiserver's JSON decoding accepts and drops (encoding/json leaves the Go
// zero value); in a CRD, any optional field (NULLS_PRUNED_KEY). Timestamps: see typeNode.
function acceptsNull(schema: Schema, optional: boolean, pruned: boolean): boolean {
  if (!optional || schema.nullable === true) return false
  if (pruned || schema.type === 'array' || schema.type === OPEN_TYPE) return true
  return schema.type === 'object' && schema.properties === undefined
}

/**
 * The type node of a normalized schema. A `date-time` is `string | null`: metav1.Time writes its
 * zero value as null (apimachinery pkg/apis/meta/v1/time.go MarshalJSON), as in the
 * `creationTimestamp: null` of `kubectl create --dry-run -o yaml` and of every pod template.
 *
 * @example
 * printNode(typeNode({ type: 'array', items: { type: 'string' } }, ctx)) // 'string[]'
 */
export function typeNode(schema: Schema, ctx: TypeEmitContext): TypeNode {
  const base = baseTypeNode(schema, ctx)
  return schema.nullable === true || schema.format === 'date-time' ? union([base, NULL()]) : base
}

function baseTypeNode(schema: Schema, ctx: TypeEmitContext): TypeNode {
  switch (schema.type) {
    case REF_TYPE:
      return ctx.resolveRef(
        String(schema[REF_KEY]),
        schema[LIST_ITEM_KEY] === true ? 'list-item' : 'field',
      )
    case OPEN_TYPE:
      return f.createTypeLiteralNode([indexSignature(keyword(ts.SyntaxKind.UnknownKeyword))])
    case LITERAL_TYPE: {
      const values = schema[LITERALS_KEY] as (string | number)[]
      return union(values.map(literalType))
    }
    case 'array':
      return f.createArrayTypeNode(typeNode(isObject(schema.items) ? schema.items : {}, ctx))
    case 'string':
      return keyword(ts.SyntaxKind.StringKeyword)
    case 'integer':
    case 'number':
      return keyword(ts.SyntaxKind.NumberKeyword)
    case 'boolean':
      return keyword(ts.SyntaxKind.BooleanKeyword)
    case 'object':
      return objectTypeNode(schema, ctx)
    default:
      break
  }
  const members: TypeNode[] = []
  // The branches of a composition share their field's path: they stay inline.
  const inline: TypeEmitContext = { ...ctx, nameObject: undefined }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = schema[key]
    if (Array.isArray(list) && list.length > 0) {
      members.push(union(list.map((s: unknown) => typeNode(isObject(s) ? s : {}, inline))))
    }
  }
  const allOf = schema.allOf
  if (Array.isArray(allOf) && allOf.length > 0) {
    members.push(
      f.createIntersectionTypeNode(
        allOf.map((s: unknown) => typeNode(isObject(s) ? s : {}, inline)),
      ),
    )
  }
  if (members.length === 0) return keyword(ts.SyntaxKind.UnknownKeyword)
  return members.length === 1 && members[0] !== undefined
    ? members[0]
    : f.createIntersectionTypeNode(members)
}

// The members every object has (TypeScript lib.es5.d.ts `interface Object`): an object literal
// without an optional field of such a name still has the inherited member, so the field's type
// must admit it (`{}['toString']`, naming no global) or no literal is assignable, and reading the
// absent field does return it. A CRD may name a field so: the apiserver accepts and publishes it.
const INHERITED_MEMBERS = new Set([
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
])

function orInherited(node: TypeNode, name: string): TypeNode {
  const member = f.createIndexedAccessTypeNode(
    f.createTypeLiteralNode([]),
    f.createLiteralTypeNode(f.createStringLiteral(name, true)),
  )
  return f.createUnionTypeNode([...(ts.isUnionTypeNode(node) ? node.types : [node]), member])
}

/** The members of an object schema: its properties, and an index signature for open maps. */
export function objectMembers(schema: Schema, ctx: TypeEmitContext): TypeElement[] {
  const members: TypeElement[] = []
  const properties = isObject(schema.properties) ? schema.properties : undefined
  const required = new Set(Array.isArray(schema.required) ? schema.required : [])
  const pruned = schema[NULLS_PRUNED_KEY] === true
  if (properties !== undefined) {
    for (const name of Object.keys(properties).sort()) {
      const value = properties[name]
      const property = isObject(value) ? value : {}
      const optional = !required.has(name)
      const type = typeNode(property, { ...ctx, path: [...(ctx.path ?? []), name] })
      const declared = acceptsNull(property, optional, pruned) ? orNull(type) : type
      const member = f.createPropertySignature(
        undefined,
        propertyName(name),
        optional ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined,
        optional && INHERITED_MEMBERS.has(name) ? orInherited(declared, name) : declared,
      )
      members.push(withDoc(member, docLines(property, ctx.docs, memberRules(property, ctx))))
    }
  }
  const additional = schema.additionalProperties
  if (additional === true) {
    members.push(indexSignature(keyword(ts.SyntaxKind.UnknownKeyword)))
  } else if (isObject(additional)) {
    // With named properties too, the index signature must admit their types: `unknown` then.
    // A null map value of a CRD is pruned like a null field.
    const value = properties === undefined ? typeNode(additional, ctx) : undefined
    members.push(
      indexSignature(
        value === undefined
          ? keyword(ts.SyntaxKind.UnknownKeyword)
          : pruned
            ? orNull(value)
            : value,
      ),
    )
  }
  return members
}

function objectTypeNode(schema: Schema, ctx: TypeEmitContext): TypeNode {
  const { nameObject, path = [] } = ctx
  if (nameObject !== undefined && path.length > 0 && isObject(schema.properties)) {
    return nameObject(path, schema, () => objectMembers(schema, ctx))
  }
  return f.createTypeLiteralNode(objectMembers(schema, ctx))
}
