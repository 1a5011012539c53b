// cel-go ext/strings.go at StringsVersion(2), the version kube-apiserver registers since 1.29
// (k8s.io/apiserver pkg/cel/environment/base.go), over code points as Go's []rune.
// @bufbuild/cel/ext's `strings` differs from it where Kubernetes users see it (its replace
// ignores a negative count, its split keeps only n pieces, its indexes fail past the end
// where cel-go answers -1, its errors are worded differently), so these are written from
// strings.go; `strings.quote` and `format` are @bufbuild/cel's (see the package README for
// how its `format` output differs).
import { celError, celMethod, CelScalar, listType, type CelList } from '@bufbuild/cel'
import { strings as bufStrings } from '@bufbuild/cel/ext'
import { celText, listOf } from './_values.js'

const { STRING, INT } = CelScalar
const runes = (s: string) => Array.from(s)

// strings.go charAt: "" at the end, an error past it.
function charAt(s: string, i: bigint): string {
  const r = runes(s)
  if (i < 0n || i > BigInt(r.length)) throw celError(`index out of range: ${i}`)
  return r[Number(i)] ?? ''
}

// strings.go indexOfOffset.
function indexOf(s: string, sub: string, offset: bigint): bigint {
  if (offset < 0n) throw celError(`index out of range: ${offset}`)
  const r = runes(s)
  if (sub === '') return offset > BigInt(r.length) ? BigInt(r.length) : offset
  const subr = runes(sub)
  if (offset >= BigInt(r.length)) return -1n
  for (let i = Number(offset); i < r.length - (subr.length - 1); i++)
    if (subr.every((c, j) => r[i + j] === c)) return BigInt(i)
  return -1n
}

// strings.go lastIndexOfOffset.
function lastIndexOf(s: string, sub: string, offset: bigint): bigint {
  if (offset < 0n) throw celError(`index out of range: ${offset}`)
  const r = runes(s)
  if (sub === '') return offset > BigInt(r.length) ? BigInt(r.length) : offset
  const subr = runes(sub)
  if (offset >= BigInt(r.length)) return -1n
  let off = Number(offset)
  if (off > r.length - subr.length) off = r.length - subr.length
  for (let i = off; i >= 0; i--) if (subr.every((c, j) => r[i + j] === c)) return BigInt(i)
  return -1n
}

// Go unicode.ToLower / ToUpper applied to ASCII runes only.
const mapAscii = (s: string, f: (c: string) => string) =>
  Array.from(s, (c) => (c.charCodeAt(0) < 0x80 ? f(c) : c)).join('')

// Go strings.Replace: n < 0 replaces all; an empty `old` matches before each rune and at the end.
function replace(s: string, old: string, replacement: string, n: bigint): string {
  if (n === 0n || old === replacement) return s
  let out = ''
  let count = 0n
  if (old === '') {
    const r = runes(s)
    for (let i = 0; i <= r.length; i++) {
      if (n < 0n || count < n) {
        out += replacement
        count++
      }
      out += r[i] ?? ''
    }
    return out
  }
  let from = 0
  for (;;) {
    const at = s.indexOf(old, from)
    if (at < 0 || (n >= 0n && count >= n)) break
    out += s.slice(from, at) + replacement
    from = at + old.length
    count++
  }
  return out + s.slice(from)
}

// Go strings.SplitN: n == 0 gives none, n < 0 all, else at most n pieces (the last the rest);
// an empty separator splits between runes.
function split(s: string, sep: string, n: bigint): string[] {
  if (n === 0n) return []
  if (sep === '') {
    const r = runes(s)
    if (n < 0n || BigInt(r.length) <= n) return r
    return [...r.slice(0, Number(n) - 1), r.slice(Number(n) - 1).join('')]
  }
  const parts = s.split(sep)
  if (n < 0n || BigInt(parts.length) <= n) return parts
  return [...parts.slice(0, Number(n) - 1), parts.slice(Number(n) - 1).join(sep)]
}

// strings.go substr / substrRange.
function substring(s: string, start: bigint, end?: bigint): string {
  const r = runes(s)
  const l = BigInt(r.length)
  if (end !== undefined && start > end)
    throw celError(`invalid substring range. start: ${start}, end: ${end}`)
  if (start < 0n || start > l) throw celError(`index out of range: ${start}`)
  if (end !== undefined && (end < 0n || end > l)) throw celError(`index out of range: ${end}`)
  return r.slice(Number(start), end === undefined ? undefined : Number(end)).join('')
}

// Go strings.TrimSpace: Unicode White_Space (JavaScript's trim() also drops U+FEFF; Go keeps it).
const space =
  '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]'
const trimSpace = new RegExp(`^${space}+|${space}+$`, 'g')

// strings.go joinValSeparator: "join: invalid input: <elem>" for a non-string element.
function join(list: CelList, sep: string): string {
  const parts: string[] = []
  for (const e of list) {
    if (typeof e !== 'string') throw celError(`join: invalid input: ${celText(e)}`)
    parts.push(e)
  }
  return parts.join(sep)
}

const fromBufbuild = bufStrings.filter((f) => f.name === 'strings.quote' || f.name === 'format')

/**
 * cel-go's strings extension (version 2): charAt, indexOf, lastIndexOf, lowerAscii, upperAscii,
 * replace, split, substring, trim, join, strings.quote, format.
 *
 * @example
 * run("'hello hello'.replace('he', 'we', -1)", {}, { funcs: stringFunctions }) // "wello wello"
 */
export const stringFunctions = [
  celMethod('charAt', STRING, [INT], STRING, function (i) {
    return charAt(this, i)
  }),
  celMethod('indexOf', STRING, [STRING], INT, function (sub) {
    return indexOf(this, sub, 0n)
  }),
  celMethod('indexOf', STRING, [STRING, INT], INT, function (sub, offset) {
    return indexOf(this, sub, offset)
  }),
  celMethod('lastIndexOf', STRING, [STRING], INT, function (sub) {
    const r = runes(this)
    if (sub === '') return BigInt(r.length)
    if (this.length < sub.length) return -1n
    return lastIndexOf(this, sub, BigInt(r.length - 1))
  }),
  celMethod('lastIndexOf', STRING, [STRING, INT], INT, function (sub, offset) {
    return lastIndexOf(this, sub, offset)
  }),
  celMethod('lowerAscii', STRING, [], STRING, function () {
    return mapAscii(this, (c) => c.toLowerCase())
  }),
  celMethod('upperAscii', STRING, [], STRING, function () {
    return mapAscii(this, (c) => c.toUpperCase())
  }),
  celMethod('replace', STRING, [STRING, STRING], STRING, function (old, replacement) {
    return replace(this, old, replacement, -1n)
  }),
  celMethod('replace', STRING, [STRING, STRING, INT], STRING, function (old, replacement, n) {
    return replace(this, old, replacement, n)
  }),
  celMethod('split', STRING, [STRING], listType(STRING), function (sep) {
    return listOf(split(this, sep, -1n))
  }),
  celMethod('split', STRING, [STRING, INT], listType(STRING), function (sep, n) {
    return listOf(split(this, sep, n))
  }),
  celMethod('substring', STRING, [INT], STRING, function (start) {
    return substring(this, start)
  }),
  celMethod('substring', STRING, [INT, INT], STRING, function (start, end) {
    return substring(this, start, end)
  }),
  celMethod('trim', STRING, [], STRING, function () {
    return this.replace(trimSpace, '')
  }),
  celMethod('join', listType(CelScalar.DYN), [], STRING, function () {
    return join(this, '')
  }),
  celMethod('join', listType(CelScalar.DYN), [STRING], STRING, function (sep) {
    return join(this, sep)
  }),
  ...fromBufbuild,
]
