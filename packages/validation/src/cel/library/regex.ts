// k8s.io/apiserver pkg/cel/library/regex.go (kubernetes.regex): `find` and `findAll` with Go's
// regexp (RE2: linear time whatever the pattern, so a pattern made to be slow is not).
import { celError, celMethod, CelScalar, listType } from '@bufbuild/cel'
import type { RE2JS } from 're2js'
import { compiledRegexp } from '../../regexp.js'
import { listOf } from './_values.js'

const { STRING, INT } = CelScalar

// regex.go find / findAll: "Illegal regex: <Go's error>".
function regexp(pattern: string): RE2JS {
  const re = compiledRegexp(pattern)
  if (re instanceof Error) throw celError(`Illegal regex: ${re.message}`)
  return re
}

// Go regexp.FindAllString(s, n): successive non-overlapping matches, an empty match right
// after the previous match skipped; n < 0 for all, n == 0 for none.
function findAll(s: string, pattern: string, n: bigint): string[] {
  const re = regexp(pattern)
  const out: string[] = []
  if (n === 0n) return out
  const m = re.matcher(s)
  let prevEnd = -1
  let from = 0
  while (from <= s.length && m.find(from)) {
    const [start, end] = [m.start(), m.end()]
    if (!(start === end && end === prevEnd)) {
      out.push(s.slice(start, end))
      if (n > 0n && BigInt(out.length) >= n) break
    }
    prevEnd = end
    // Past an empty match by one code point (Go advances by one UTF-8 sequence).
    from =
      end > start
        ? end
        : end + (s.codePointAt(end) !== undefined && s.codePointAt(end)! > 0xffff ? 2 : 1)
  }
  return out
}

/**
 * `find(regex)` and `findAll(regex[, limit])` on strings.
 *
 * @example
 * run("'abc 123'.find('[0-9]+')", {}, { funcs: regexFunctions }) // "123"
 */
export const regexFunctions = [
  celMethod('find', STRING, [STRING], STRING, function (pattern) {
    const m = regexp(pattern).matcher(this)
    return m.find() ? (m.group() ?? '') : ''
  }),
  celMethod('findAll', STRING, [STRING], listType(STRING), function (pattern) {
    return listOf(findAll(this, pattern, -1n))
  }),
  celMethod('findAll', STRING, [STRING, INT], listType(STRING), function (pattern, n) {
    return listOf(findAll(this, pattern, n))
  }),
]
