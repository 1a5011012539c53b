// apiextensions-apiserver pkg/apiserver/schema/cel/validation.go ValidFieldPath: a rule's
// `fieldPath` (`.spec.x`, `.labels['a.b']`) resolved against the schema the rule sits on and
// printed as a field.Path (`spec.x`, `labels[a.b]`). A path naming no field gives undefined (the
// server refuses such a CRD; its rules then report at the rule's own node).
import type { Schema } from '../schema.js'

const escapes: Record<string, string> = {
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  "'": "'",
  '\\': '\\',
}

// The scanner of ValidFieldPath: '.', '[', ']' alone, a single-quoted string whole, else a name.
function tokens(path: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < path.length) {
    const c = path[i]!
    if (c === '.' || c === '[' || c === ']') {
      out.push(c)
      i++
    } else if (c === "'") {
      let j = i + 1
      while (j < path.length && !(path[j] === "'" && path[j - 1] !== '\\')) j++
      out.push(path.slice(i, j + 1))
      i = j + 1
    } else {
      let j = i
      while (j < path.length && !'.[]'.includes(path[j]!)) j++
      out.push(path.slice(i, j))
      i = j
    }
  }
  return out
}

/**
 * The field.Path text of `fieldPath` under `schema`, or undefined when it names no field.
 *
 * @example
 * normalizedFieldPath(".x['a.b']", { type: 'object', properties: { x: { type: 'object', additionalProperties: { type: 'string' } } } })
 * // 'x[a.b]'
 */
export function normalizedFieldPath(fieldPath: string, schema: Schema): string | undefined {
  const found = validFieldPath(fieldPath, schema)
  return 'error' in found ? undefined : found.path
}

/**
 * What ValidFieldPath answers for `fieldPath` under `schema`: the field.Path text, its root
 * segment and the schema it names, or the error the server prints (`does not refer to a valid
 * field`, `array notation is not allowed` without `allowArrayNotation`, …).
 *
 * @example
 * validFieldPath('.spec.color', crdSchema, { allowArrayNotation: false }) // { path: 'spec.color', root: 'spec', schema: { type: 'string' } }
 */
export function validFieldPath(
  fieldPath: string,
  schema: Schema,
  options: { allowArrayNotation?: boolean } = {},
): { path: string; root: string; schema: Schema | undefined } | { error: string } {
  let s: Schema | undefined = schema
  let out = ''
  let root = ''
  const toks = tokens(fieldPath)
  // appendToPath: a named property where the node has properties, else a key of its
  // additionalProperties (whose schema may be absent: `true`).
  const append = (name: string): string | undefined => {
    if (s?.properties !== undefined) {
      const next: Schema | undefined = Object.hasOwn(s.properties, name)
        ? s.properties[name]
        : undefined
      if (next === undefined) return 'does not refer to a valid field'
      out = out === '' ? name : `${out}.${name}`
      root ||= name
      s = next
      return undefined
    }
    if (s?.additionalProperties !== undefined && s.additionalProperties !== false) {
      out = `${out}[${name}]`
      root ||= name
      s = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined
      return undefined
    }
    return 'does not refer to a valid field'
  }
  const fail = (error: string): { error: string } => ({ error })
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!
    if (tok === '.') {
      const name = toks[++i]
      if (name === undefined) return fail('unexpected end of JSON path')
      const error = append(name)
      if (error !== undefined) return fail(error)
    } else if (tok === '[') {
      if (options.allowArrayNotation === false) return fail('array notation is not allowed')
      const quoted = toks[++i]
      if (quoted === undefined) return fail('unexpected end of JSON path')
      if (quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'"))
        return fail(`expected single quoted string but got ${quoted}`)
      let bad: string | undefined
      const unescaped = quoted.slice(1, -1).replace(/\\./g, (m) => {
        const e = escapes[m[1]!]
        bad ??= e === undefined ? m : undefined
        return e ?? ''
      })
      if (bad !== undefined) return fail(`invalid string literal: invalid escape char ${bad}`)
      const error = append(unescaped)
      if (error !== undefined) return fail(error)
      const close = toks[++i]
      if (close === undefined) return fail('unexpected end of JSON path')
      if (close !== ']') return fail(`expected ] but got ${close}`)
    } else {
      return fail(`expected [ or . but got: ${tok}`)
    }
  }
  return { path: out, root, schema: s }
}
