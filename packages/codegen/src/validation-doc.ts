// The validation rules of a schema as JSDoc tags, so an editor's hover shows what the apiserver
// will refuse: the OpenAPI value validations a structural schema may carry (apiextensions-apiserver
// pkg/apiserver/schema/structural.go ValueValidation), the list semantics of
// `x-kubernetes-list-type` (Extensions) and every `x-kubernetes-validations` CEL rule
// (apiextensions types_jsonschema.go ValidationRule). The tags are named after the JSON Schema
// keywords (`@pattern`, `@minimum`, `@maxLength`, …) as ts-json-schema-generator and
// typescript-json-schema read them back; VS Code prints each tag on a line of its own as
// `@tag — text`, below the description, and renders the text as Markdown, so a regular expression
// or a CEL rule is a code span (no `*` or `_` turns into emphasis).
//
// Every string here comes from a server or a CRD file. A tag stays on one line (line breaks become
// spaces), and an `@` that TypeScript's JSDoc scanner would read as the start of another tag
// (typescript src/compiler/scanner.ts scanJsDocCommentTextToken: after white space, outside
// backticks, not followed by white space) is escaped as `\@`, which Markdown prints as `@`; `*/`
// is broken up by _source-text.ts jsDocLines, like every comment.
import type { Schema } from './types.js'

/** On a normalized schema: the tag lines of its own validation rules (see validationTags). */
export const RULES_KEY = 'x-k8s-codegen-rules'

const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g
const LINE_BREAK = /[\r\n\u2028\u2029]/
const INLINE_SPACE = /[\t\v\f \u0085\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]/

/**
 * `text` with `\` before every `@` TypeScript's JSDoc scanner would start a tag at: at a line's
 * start or after white space, outside backticks (whose count starts again on each line), not
 * followed by white space or the line's end. Markdown prints `\@` as `@`. Text without such an
 * `@` is returned as it is.
 *
 * @example
 * escapeJsDocTags('Old.\n@deprecated use b') // 'Old.\n\\@deprecated use b'
 */
export function escapeJsDocTags(text: string): string {
  if (!text.includes('@')) return text
  const parts: string[] = []
  let from = 0
  let inBackticks = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i)
    if (LINE_BREAK.test(ch)) inBackticks = false
    if (ch === '`') inBackticks = !inBackticks
    if (ch !== '@' || inBackticks) continue
    // The tag name and a space come before the text: its first character follows white space.
    const before = i === 0 ? ' ' : text.charAt(i - 1)
    const after = text.charAt(i + 1)
    if ((INLINE_SPACE.test(before) || LINE_BREAK.test(before)) && !/^\s?$/.test(after)) {
      parts.push(text.slice(from, i), '\\')
      from = i
    }
  }
  parts.push(text.slice(from))
  return parts.join('')
}

/** `text` on one line, with no `@` the JSDoc scanner would start a tag at. */
function inert(text: string): string {
  return escapeJsDocTags(text.replace(LINE_BREAKS, ' '))
}

/** A Markdown code span of `text` on one line: fenced by more backticks than it holds. */
function code(text: string): string {
  const line = text.replace(LINE_BREAKS, ' ')
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${line}${pad}${fence}`
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value)

const COUNTS = [
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'multipleOf',
] as const

// Formats whose JSDoc line emit-types writes already (`Format: date-time (sent as a string on the
// wire)`), and int-or-string, which the type shows.
const FORMATS_NOTED_ELSEWHERE = new Set(['date-time', 'byte', 'int-or-string'])

// A rule of the form `self == oldSelf`: the field cannot change once set (the immutability idiom
// of the Kubernetes docs, "Transition rules": `self == oldSelf` with message "Value is immutable").
const IMMUTABLE = /^\s*(?:self\s*==\s*oldSelf|oldSelf\s*==\s*self)\s*$/

// The apiserver runs a rule that refers to `oldSelf` only on update, unless optionalOldSelf is set
// (apiextensions-apiserver pkg/apiserver/schema/cel/compilation.go: UsesOldSelf from the rule's
// AST; validation.go skips such rules without an old object). Read from the text here, for the
// hover only: a string literal naming oldSelf reads as a transition rule.
const OLD_SELF = /\boldSelf\b/

function ruleTag(rule: Schema): string | undefined {
  if (typeof rule.rule !== 'string') return undefined
  const message = typeof rule.message === 'string' && rule.message !== '' ? rule.message : undefined
  const notes: string[] = []
  if (typeof rule.messageExpression === 'string' && rule.messageExpression !== '') {
    notes.push(`message from ${code(rule.messageExpression)}`)
  }
  if (typeof rule.reason === 'string' && rule.reason !== '') notes.push(`reason ${rule.reason}`)
  if (typeof rule.fieldPath === 'string' && rule.fieldPath !== '') {
    notes.push(`reported at ${code(rule.fieldPath)}`)
  }
  const transition = OLD_SELF.test(rule.rule)
  if (transition) notes.push(rule.optionalOldSelf === true ? 'oldSelf optional' : 'on update')
  const suffix = notes.length === 0 ? '' : ` (${notes.join('; ')})`
  if (IMMUTABLE.test(rule.rule) && rule.optionalOldSelf !== true) {
    // `(on update)` says nothing more than "immutable" does.
    const rest = notes.filter((n) => n !== 'on update')
    const text = [message, rest.length === 0 ? undefined : `(${rest.join('; ')})`]
    return `@immutable ${inert(text.filter((t) => t !== undefined).join(' '))}`.trimEnd()
  }
  return `@validation ${inert(`${code(rule.rule)}${message === undefined ? '' : ` — ${message}`}${suffix}`)}`
}

/**
 * The JSDoc tag lines of a served schema's own validation rules (not those of its properties or
 * items), in keyword order, or [] when it has none. `enum` is listed only when `typeShowsEnum` is
 * false (normalize.ts turns string and number enums into literal unions).
 *
 * @example
 * validationTags({ type: 'string', pattern: '^[a-z]+$', maxLength: 63 }, true)
 * // ['@pattern `^[a-z]+$`', '@maxLength 63']
 */
export function validationTags(schema: Schema, typeShowsEnum: boolean): string[] {
  const tags: string[] = []
  if (typeof schema.pattern === 'string') tags.push(`@pattern ${inert(code(schema.pattern))}`)
  if (typeof schema.format === 'string' && !FORMATS_NOTED_ELSEWHERE.has(schema.format)) {
    tags.push(`@format ${inert(schema.format)}`)
  }
  if (isNumber(schema.minimum)) {
    tags.push(
      `@${schema.exclusiveMinimum === true ? 'exclusiveMinimum' : 'minimum'} ${schema.minimum}`,
    )
  }
  if (isNumber(schema.maximum)) {
    tags.push(
      `@${schema.exclusiveMaximum === true ? 'exclusiveMaximum' : 'maximum'} ${schema.maximum}`,
    )
  }
  for (const key of COUNTS) {
    const value = schema[key]
    if (isNumber(value)) tags.push(`@${key} ${value}`)
  }
  if (schema.uniqueItems === true) tags.push('@uniqueItems')
  if (!typeShowsEnum && Array.isArray(schema.enum) && schema.enum.length > 0) {
    tags.push(
      `@enum ${inert(schema.enum.map((v) => code(JSON.stringify(v) ?? 'null')).join(', '))}`,
    )
  }
  // `atomic` (the default of a list without the extension) says nothing about valid values; `set`
  // and `map` refuse duplicates (apiextensions-apiserver pkg/apiserver/schema/listtype/validation.go).
  const listType = schema['x-kubernetes-list-type']
  if (listType === 'set') tags.push('@listType set (no duplicate items)')
  if (listType === 'map') {
    const keys = schema['x-kubernetes-list-map-keys']
    const names = Array.isArray(keys) ? keys.filter((k) => typeof k === 'string') : []
    const by =
      names.length === 0 ? '' : ` ${inert(`(items unique by ${names.map(code).join(', ')})`)}`
    tags.push(`@listType map${by}`)
  }
  const rules = schema['x-kubernetes-validations']
  if (Array.isArray(rules)) {
    for (const rule of rules) {
      const tag = typeof rule === 'object' && rule !== null ? ruleTag(rule as Schema) : undefined
      if (tag !== undefined) tags.push(tag)
    }
  }
  return tags
}
