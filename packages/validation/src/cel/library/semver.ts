// k8s.io/apiserver pkg/cel/library/semverlib.go (kubernetes.Semver, SemverVersion(1) since 1.33)
// over a model of github.com/blang/semver/v4 Parse and Compare, with their error text.
import { celError, celFunc, celMethod, CelScalar } from '@bufbuild/cel'
import { opaque, parses } from './_values.js'

interface Semver {
  readonly major: bigint
  readonly minor: bigint
  readonly patch: bigint
  readonly pre: readonly (bigint | string)[]
  readonly build: readonly string[]
}

const numbers = /^[0-9]*$/
const alphanum = /^[A-Za-z0-9-]*$/
const hasLeadingZeroes = (s: string) => s.length > 1 && s[0] === '0'
const maxUint64 = (1n << 64n) - 1n

// strconv.ParseUint(s, 10, 64) with its error text.
function parseUint(s: string): bigint {
  if (s === '' || !numbers.test(s))
    throw new Error(`strconv.ParseUint: parsing "${s}": invalid syntax`)
  const v = BigInt(s)
  if (v > maxUint64) throw new Error(`strconv.ParseUint: parsing "${s}": value out of range`)
  return v
}

function number(part: string, name: string): bigint {
  if (!numbers.test(part)) throw new Error(`Invalid character(s) found in ${name} number "${part}"`)
  if (hasLeadingZeroes(part))
    throw new Error(
      `${name[0]!.toUpperCase()}${name.slice(1)} number must not contain leading zeroes "${part}"`,
    )
  return parseUint(part)
}

// semver.go Parse.
function parse(s: string): Semver {
  if (s === '') throw new Error('Version string empty')
  const parts = splitN(s, '.', 3)
  if (parts.length !== 3) throw new Error('No Major.Minor.Patch elements found')
  const major = number(parts[0]!, 'major')
  const minor = number(parts[1]!, 'minor')
  let patchStr = parts[2]!
  let build: string[] = []
  let prerelease: string[] = []
  const plus = patchStr.indexOf('+')
  if (plus !== -1) {
    build = patchStr.slice(plus + 1).split('.')
    patchStr = patchStr.slice(0, plus)
  }
  const dash = patchStr.indexOf('-')
  if (dash !== -1) {
    prerelease = patchStr.slice(dash + 1).split('.')
    patchStr = patchStr.slice(0, dash)
  }
  const patch = number(patchStr, 'patch')
  const pre = prerelease.map((p) => {
    if (p === '') throw new Error('Prerelease is empty')
    if (numbers.test(p)) {
      if (hasLeadingZeroes(p))
        throw new Error(`Numeric PreRelease version must not contain leading zeroes "${p}"`)
      return parseUint(p)
    }
    if (alphanum.test(p)) return p
    throw new Error(`Invalid character(s) found in prerelease "${p}"`)
  })
  for (const b of build) {
    if (b === '') throw new Error('Build meta data is empty')
    if (!alphanum.test(b)) throw new Error(`Invalid character(s) found in build meta data "${b}"`)
  }
  return { major, minor, patch, pre, build }
}

// strings.SplitN(s, sep, n).
function splitN(s: string, sep: string, n: number): string[] {
  const parts = s.split(sep)
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)]
}

// semverlib.go normalizeAndParse: no "v" prefix, leading zeroes dropped, missing parts 0.
function normalizeAndParse(s: string): Semver {
  const parts = splitN(s.startsWith('v') ? s.slice(1) : s, '.', 3).map((p) => {
    if (p.length <= 1) return p
    const trimmed = p.replace(/^0+/, '')
    return trimmed === '' || !/[0-9]/.test(trimmed[0]!) ? `0${trimmed}` : trimmed
  })
  if (parts.length < 3) {
    if (/[+-]/.test(parts[parts.length - 1]!))
      throw new Error('short version cannot contain PreRelease/Build meta data')
    while (parts.length < 3) parts.push('0')
  }
  return parse(parts.join('.'))
}

const cmp = (a: bigint | string | number, b: bigint | string | number) =>
  a === b ? 0 : a > b ? 1 : -1

// semver.go Version.Compare: numbers, then a release above its prereleases, then the
// prerelease identifiers (numeric below alphanumeric).
function compare(v: Semver, o: Semver): number {
  const c = cmp(v.major, o.major) || cmp(v.minor, o.minor) || cmp(v.patch, o.patch)
  if (c !== 0) return c
  if (v.pre.length === 0 || o.pre.length === 0) return cmp(o.pre.length, v.pre.length)
  for (let i = 0; i < v.pre.length && i < o.pre.length; i++) {
    const [a, b] = [v.pre[i]!, o.pre[i]!]
    const c2 = typeof a === typeof b ? cmp(a, b) : typeof a === 'bigint' ? -1 : 1
    if (c2 !== 0) return c2
  }
  return cmp(v.pre.length, o.pre.length)
}

const core = (v: Semver) =>
  `${v.major}.${v.minor}.${v.patch}${v.pre.length > 0 ? `-${v.pre.join('.')}` : ''}`
const text = (v: Semver) => `${core(v)}${v.build.length > 0 ? `+${v.build.join('.')}` : ''}`

/** The CEL type `kubernetes.Semver`; `==` is Version.EQ (build metadata ignored). */
export const semverType = opaque<Semver>('kubernetes.Semver', core, (v) => `semver("${text(v)}")`)
const T = semverType.type
const { STRING, BOOL, INT } = CelScalar
const get = (v: unknown): Semver => semverType.unwrapOrThrow(v)
const wrapped = (f: () => Semver) => {
  try {
    return semverType.wrap(f())
  } catch (error) {
    throw celError((error as Error).message)
  }
}
// types.Int(v.Major): a uint64 seen as an int64.
const asInt = (v: bigint) => BigInt.asIntN(64, v)

/**
 * `semver`, `isSemver` (each with an optional normalize flag), and on a version `major`,
 * `minor`, `patch`, `isGreaterThan`, `isLessThan`, `compareTo`.
 *
 * @example
 * run("semver('v1.2', true).minor()", {}, { funcs: semverFunctions }) // 2n
 */
export const semverFunctions = [
  celFunc('semver', [STRING], T, (s) => wrapped(() => parse(s))),
  celFunc('semver', [STRING, BOOL], T, (s, normalize) =>
    wrapped(() => (normalize ? normalizeAndParse(s) : parse(s))),
  ),
  celFunc('isSemver', [STRING], BOOL, (s) => parses(() => parse(s))),
  celFunc('isSemver', [STRING, BOOL], BOOL, (s, normalize) =>
    parses(() => (normalize ? normalizeAndParse(s) : parse(s))),
  ),
  celMethod('major', T, [], INT, function () {
    return asInt(get(this).major)
  }),
  celMethod('minor', T, [], INT, function () {
    return asInt(get(this).minor)
  }),
  celMethod('patch', T, [], INT, function () {
    return asInt(get(this).patch)
  }),
  celMethod('isGreaterThan', T, [T], BOOL, function (other) {
    return compare(get(this), get(other)) === 1
  }),
  celMethod('isLessThan', T, [T], BOOL, function (other) {
    return compare(get(this), get(other)) === -1
  }),
  celMethod('compareTo', T, [T], INT, function (other) {
    return BigInt(compare(get(this), get(other)))
  }),
]
