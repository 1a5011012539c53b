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
  let s: Schema | undefined = schema
  let out = ''
  const toks = tokens(fieldPath)
  const append = (name: string): boolean => {
    if (s?.properties !== undefined) {
      const next: Schema | undefined = Object.hasOwn(s.properties, name)
        ? s.properties[name]
        : undefined
      if (next === undefined) return false
      out = out === '' ? name : `${out}.${name}`
      s = next
      return true
    }
    if (typeof s?.additionalProperties === 'object') {
      out = `${out}[${name}]`
      s = s.additionalProperties
      return true
    }
    return false
  }
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]
    if (tok === '.') {
      const name = toks[++i]
      if (name === undefined || !append(name)) return undefined
    } else if (tok === '[') {
      const quoted = toks[++i]
      if (
        quoted === undefined ||
        quoted.length < 2 ||
        !quoted.startsWith("'") ||
        !quoted.endsWith("'")
      )
        return undefined
      let bad = false
      const unescaped = quoted.slice(1, -1).replace(/\\./g, (m) => {
        const e = escapes[m[1]!]
        if (e === undefined) bad = true
        return e ?? ''
      })
      if (bad || !append(unescaped) || toks[++i] !== ']') return undefined
    } else {
      return undefined
    }
  }
  return out
}
