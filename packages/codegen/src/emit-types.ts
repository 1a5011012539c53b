// Normalized schemas (normalize.ts) → TypeScript type declarations as source text, written
// exactly as the compiler's printer writes the factory nodes openapi-typescript builds, so no
// server string is ever spliced into source: property names go through names.ts or become string
// literals, values become literals, descriptions become comments that cannot close early — each
// through one function of _source-text.ts, which tests parse back with the compiler. Building and
// printing syntax trees for every schema was a quarter of a cold `generate`.
import { indentation, jsDocText, propertyNameText, stringLiteral } from './_source-text.js'
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

/**
 * A type as source text, with what the printer's parenthesizer looks at: a union or intersection
 * is parenthesized as an array's item or another union's or intersection's member.
 */
export interface TypeText {
  readonly text: string
  readonly kind?: 'union' | 'intersection' | 'unknown' | 'null'
  /** A union's members, which a union built from it spreads. */
  readonly members?: readonly TypeText[]
}

/**
 * How a reference is used: as the item of a List (as the server sends it), or as a field of
 * another object (a kind's object embedded there), which decides whether a kind's `apiVersion`
 * and `kind` are required (they are only at the top, in the resource itself).
 */
export type RefUse = 'list-item' | 'field'

/** Resolves a schema name to the type that refers to it from the module being emitted. */
export type RefResolver = (name: string, use: RefUse) => TypeText

/**
 * Names a nested object (the objects of a CRD schema): `path` is the property names from the
 * declaration down to it (array items and map values take their field's path), `members` writes
 * its members (at indentation 1) once the name is claimed. Returns the reference that stands
 * where it is used.
 */
export type ObjectNamer = (
  path: readonly string[],
  schema: Schema,
  members: () => string,
) => TypeText

export interface TypeEmitContext {
  resolveRef: RefResolver
  docs: boolean
  /** Set where nested objects become named declarations; inline type literals otherwise. */
  nameObject?: ObjectNamer | undefined
  /** Property names from the declaration being emitted down to the schema at hand. */
  path?: readonly string[]
  /** The indentation level of the line the type starts on (0: a top-level declaration). */
  indent?: number
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const STRING: TypeText = { text: 'string' }
const NUMBER: TypeText = { text: 'number' }
const BOOLEAN: TypeText = { text: 'boolean' }
const UNKNOWN: TypeText = { text: 'unknown', kind: 'unknown' }
const NULL: TypeText = { text: 'null', kind: 'null' }

/** `[key: string]: T;` at indentation `level`: an open object. No global (`Record`) is referenced, so no kind name can shadow one. */
function indexSignature(value: TypeText, level: number): string {
  return `${indentation(level)}[key: string]: ${value.text};\n`
}

// `{ members }` starting on a line at indentation `level`, one member a line as the printer
// writes a type literal; `{}` without members.
function typeLiteral(members: string, level: number): TypeText {
  return { text: members === '' ? '{}' : `{\n${members}${indentation(level)}}` }
}

/**
 * A literal type of any JSON scalar the server sent.
 *
 * @example
 * literalType(-1).text // '-1'
 */
export function literalType(value: string | number | boolean): TypeText {
  if (typeof value === 'boolean') return { text: value ? 'true' : 'false' }
  if (typeof value === 'number') return { text: `${value < 0 ? '-' : ''}${Math.abs(value)}` }
  return { text: stringLiteral(value) }
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

// Whether objectTypeText makes this schema a named declaration, which then carries its rules.
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

// The printer's parenthesizer (typescript src/compiler/factory/parenthesizerRules.ts): a union
// or intersection inside another union, intersection or an array type is parenthesized.
const member = (type: TypeText): string =>
  type.kind === 'union' || type.kind === 'intersection' ? `(${type.text})` : type.text

function union(types: readonly TypeText[]): TypeText {
  if (types.length === 1 && types[0] !== undefined) return types[0]
  return { text: types.map(member).join(' | '), kind: 'union', members: types }
}

function intersection(types: readonly TypeText[]): TypeText {
  return { text: types.map(member).join(' & '), kind: 'intersection' }
}

// `T | null`, flat (`number | string | null`), and nothing added where null is already a member
// or the type is `unknown`.
function orNull(type: TypeText): TypeText {
  if (type.kind === 'unknown' || type.kind === 'null') return type
  if (type.kind === 'union' && type.members !== undefined) {
    return type.members.some((m) => m.kind === 'null')
      ? type
      : { text: `${type.text} | null`, kind: 'union', members: [...type.members, NULL] }
  }
  return { text: `${member(type)} | null`, kind: 'union', members: [type, NULL] }
}

// An optional map or list may be sent or written as null ("annotations:" with nothing after it
// in YAML), which the apiserver's JSON decoding accepts and drops (encoding/json leaves the Go
// zero value); in a CRD, any optional field (NULLS_PRUNED_KEY). Timestamps: see typeText.
function acceptsNull(schema: Schema, optional: boolean, pruned: boolean): boolean {
  if (!optional || schema.nullable === true) return false
  if (pruned || schema.type === 'array' || schema.type === OPEN_TYPE) return true
  return schema.type === 'object' && schema.properties === undefined
}

/**
 * The type of a normalized schema as source text. A `date-time` is `string | null`: metav1.Time
 * writes its zero value as null (apimachinery pkg/apis/meta/v1/time.go MarshalJSON), as in the
 * `creationTimestamp: null` of `kubectl create --dry-run -o yaml` and of every pod template.
 *
 * @example
 * typeText({ type: 'array', items: { type: 'string' } }, ctx).text // 'string[]'
 */
export function typeText(schema: Schema, ctx: TypeEmitContext): TypeText {
  const base = baseTypeText(schema, ctx)
  return schema.nullable === true || schema.format === 'date-time' ? union([base, NULL]) : base
}

function baseTypeText(schema: Schema, ctx: TypeEmitContext): TypeText {
  switch (schema.type) {
    case REF_TYPE:
      return ctx.resolveRef(
        String(schema[REF_KEY]),
        schema[LIST_ITEM_KEY] === true ? 'list-item' : 'field',
      )
    case OPEN_TYPE:
      return typeLiteral(indexSignature(UNKNOWN, (ctx.indent ?? 0) + 1), ctx.indent ?? 0)
    case LITERAL_TYPE: {
      const values = schema[LITERALS_KEY] as (string | number)[]
      return union(values.map(literalType))
    }
    case 'array':
      return { text: `${member(typeText(isObject(schema.items) ? schema.items : {}, ctx))}[]` }
    case 'string':
      return STRING
    case 'integer':
    case 'number':
      return NUMBER
    case 'boolean':
      return BOOLEAN
    case 'object':
      return objectTypeText(schema, ctx)
    default:
      break
  }
  const members: TypeText[] = []
  // The branches of a composition share their field's path: they stay inline.
  const inline: TypeEmitContext = { ...ctx, nameObject: undefined }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = schema[key]
    if (Array.isArray(list) && list.length > 0) {
      members.push(union(list.map((s: unknown) => typeText(isObject(s) ? s : {}, inline))))
    }
  }
  const allOf = schema.allOf
  if (Array.isArray(allOf) && allOf.length > 0) {
    members.push(intersection(allOf.map((s: unknown) => typeText(isObject(s) ? s : {}, inline))))
  }
  if (members.length === 0) return UNKNOWN
  return members.length === 1 && members[0] !== undefined ? members[0] : intersection(members)
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

function orInherited(type: TypeText, name: string): TypeText {
  const inherited: TypeText = { text: `{}[${stringLiteral(name)}]` }
  return union([...(type.kind === 'union' && type.members ? type.members : [type]), inherited])
}

/**
 * The members of an object schema as source lines at indentation `level`: its properties, each
 * after its JSDoc, and an index signature for open maps.
 *
 * @example
 * objectMembers({ properties: { a: { type: 'string' } } }, ctx, 1) // '    a?: string;\n'
 */
export function objectMembers(schema: Schema, ctx: TypeEmitContext, level: number): string {
  let members = ''
  const properties = isObject(schema.properties) ? schema.properties : undefined
  const required = new Set(Array.isArray(schema.required) ? schema.required : [])
  const pruned = schema[NULLS_PRUNED_KEY] === true
  const pad = indentation(level)
  if (properties !== undefined) {
    const path = ctx.path ?? []
    for (const name of Object.keys(properties).sort()) {
      const value = properties[name]
      const property = isObject(value) ? value : {}
      const optional = !required.has(name)
      // A literal of one shape (no spread): this runs for every property of every schema.
      const type = typeText(property, {
        resolveRef: ctx.resolveRef,
        docs: ctx.docs,
        nameObject: ctx.nameObject,
        // Only a named nested object reads its path.
        path: ctx.nameObject === undefined ? path : [...path, name],
        indent: level,
      })
      const declared = acceptsNull(property, optional, pruned) ? orNull(type) : type
      const shown = optional && INHERITED_MEMBERS.has(name) ? orInherited(declared, name) : declared
      members += jsDocText(docLines(property, ctx.docs, memberRules(property, ctx)), level)
      members += `${pad}${propertyNameText(name)}${optional ? '?' : ''}: ${shown.text};\n`
    }
  }
  const additional = schema.additionalProperties
  if (additional === true) {
    members += indexSignature(UNKNOWN, level)
  } else if (isObject(additional)) {
    // With named properties too, the index signature must admit their types: `unknown` then.
    // A null map value of a CRD is pruned like a null field.
    const value =
      properties === undefined ? typeText(additional, { ...ctx, indent: level }) : undefined
    members += indexSignature(value === undefined ? UNKNOWN : pruned ? orNull(value) : value, level)
  }
  return members
}

function objectTypeText(schema: Schema, ctx: TypeEmitContext): TypeText {
  const { nameObject, path = [] } = ctx
  if (nameObject !== undefined && path.length > 0 && isObject(schema.properties)) {
    return nameObject(path, schema, () => objectMembers(schema, ctx, 1))
  }
  const level = ctx.indent ?? 0
  return typeLiteral(objectMembers(schema, ctx, level + 1), level)
}

/**
 * `export interface <id> { members }` after its JSDoc, `members` written at indentation 1.
 *
 * @example
 * interfaceText('WidgetSpec', '    a?: string;\n', []) // 'export interface WidgetSpec {\n    a?: string;\n}'
 */
export function interfaceText(id: string, members: string, doc: readonly string[]): string {
  return `${jsDocText(doc, 0)}export interface ${id} {\n${members}}`
}

/**
 * A declaration of a normalized schema as source text: an interface for an object, else a type
 * alias, after its JSDoc.
 *
 * @example
 * declarationText('Widget', { type: 'string' }, ctx, []) // 'export type Widget = string;'
 */
export function declarationText(
  id: string,
  schema: Schema,
  ctx: TypeEmitContext,
  doc: readonly string[],
): string {
  if (schema.type === 'object') return interfaceText(id, objectMembers(schema, ctx, 1), doc)
  return `${jsDocText(doc, 0)}export type ${id} = ${typeText(schema, { ...ctx, indent: 0 }).text};`
}
