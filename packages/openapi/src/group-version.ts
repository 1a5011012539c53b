import { OpenApiError } from './errors.js'
import type { GroupVersionRef } from './types.js'

// The /openapi/v3 root lists every path the apiserver serves a document for: group-versions
// (`api/v1`, `apis/<group>/<version>`) and also `api`, `apis`, `apis/<group>`, `version`, `logs`,
// `.well-known/openid-configuration`, `openid/v1/jwks` (kube-openapi `pkg/handler3/handler.go`
// `handleDiscovery` lists every registered web service). Only group-versions describe resources.
const corePattern = /^api\/([a-z0-9]+)$/
const groupPattern = /^apis\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\/([a-z0-9]+)$/

/**
 * The group-version a `/openapi/v3` root key names, or undefined for any other key.
 *
 * @example
 * parseGroupVersionKey('apis/apps/v1') // { key: 'apis/apps/v1', group: 'apps', version: 'v1' }
 * parseGroupVersionKey('apis/apps')    // undefined
 */
export function parseGroupVersionKey(key: string): GroupVersionRef | undefined {
  const core = corePattern.exec(key)
  if (core) return { key, group: '', version: core[1] ?? '' }
  const named = groupPattern.exec(key)
  if (named) return { key, group: named[1] ?? '', version: named[3] ?? '' }
  return undefined
}

/**
 * The `/openapi/v3` root key of a group-version: `api/v1` for the core group (client-go
 * `rest.LegacyAPIPathResolverFunc`), `apis/<group>/<version>` otherwise.
 *
 * @example
 * groupVersionKey({ group: '', version: 'v1' })     // 'api/v1'
 * groupVersionKey({ group: 'apps', version: 'v1' }) // 'apis/apps/v1'
 */
export function groupVersionKey(gv: { group: string; version: string }): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`
}

/**
 * The `group/version` name filters match against and messages print; the core group is `core`
 * (client-go `schema.GroupVersion.String()` prints the core group as a bare `v1`, which a
 * `group/version` glob cannot tell from a group named `v1`).
 *
 * @example
 * filterName({ group: '', version: 'v1' })     // 'core/v1'
 * filterName({ group: 'apps', version: 'v1' }) // 'apps/v1'
 */
export function filterName(ref: { group: string; version: string }): string {
  return `${ref.group === '' ? 'core' : ref.group}/${ref.version}`
}

/**
 * `--include`/`--exclude` patterns, the one filter dialect of every command and package.
 *
 * A pattern is `<group>/<version>` or a bare `<group>` (all its versions). `*` matches any run of
 * characters and `?` one character, never across the `/`. The core group is `core`. The
 * `/openapi/v3` key spellings that `fetch` prints are accepted too: `api/v1` is `core/v1`,
 * `apis/apps/v1` is `apps/v1`.
 *
 * | pattern            | keeps                                    |
 * |--------------------|------------------------------------------|
 * | `apps`             | `apps/v1` (every version of `apps`)      |
 * | `apps/*`           | the same                                 |
 * | `core/v1`, `api/v1`| the core group's `v1`                    |
 * | `apis/batch/v1`    | `batch/v1`                               |
 * | `*.k8s.io/*`       | every `….k8s.io` group                   |
 * | `*\/v1beta?`        | every `v1beta1`…`v1beta9`                |
 *
 * @example
 * const filters: GroupVersionFilters = { include: ['apps', 'core/v1'], exclude: ['*\/*alpha*'] }
 */
export interface GroupVersionFilters {
  include?: readonly string[] | undefined
  exclude?: readonly string[] | undefined
}

const patternSyntax = /^[A-Za-z0-9.*?-]+(\/[A-Za-z0-9.*?-]+)?$/

/**
 * A pattern in the filter dialect's own spelling: the `/openapi/v3` key forms (`api/v1`,
 * `apis/<group>/<version>`) become `core/v1` and `<group>/<version>`; anything else is unchanged.
 *
 * @example
 * normalizeGroupVersionPattern('api/v1')         // 'core/v1'
 * normalizeGroupVersionPattern('apis/apps/v1')   // 'apps/v1'
 * normalizeGroupVersionPattern('*.k8s.io')       // '*.k8s.io'
 */
export function normalizeGroupVersionPattern(pattern: string): string {
  if (pattern === 'api') return 'core'
  if (pattern.startsWith('api/') && pattern.split('/').length === 2)
    return `core/${pattern.slice(4)}`
  if (pattern.startsWith('apis/') && pattern.split('/').length === 3) return pattern.slice(5)
  return pattern
}

function compileGlob(pattern: string, flag: string): RegExp {
  const normalized = normalizeGroupVersionPattern(pattern)
  if (!patternSyntax.test(normalized)) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_FILTER_INVALID',
      `${flag} pattern '${pattern}' is not a group/version glob: use letters, digits, '.', '-', '*' and '?' with at most one '/', e.g. 'apps/*', '*.k8s.io/v1', 'core/v1' (or 'api/v1') or 'apps'`,
    )
  }
  // A bare group means every version of it.
  const full = normalized.includes('/') ? normalized : `${normalized}/*`
  const source = full
    .split('')
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c === '.' ? '\\.' : c))
    .join('')
  return new RegExp(`^${source}$`)
}

interface CompiledPattern {
  flag: '--include' | '--exclude'
  pattern: string
  re: RegExp
}

function compileFilters(filters: GroupVersionFilters): {
  include: CompiledPattern[]
  exclude: CompiledPattern[]
} {
  const compile = (flag: CompiledPattern['flag'], patterns: readonly string[] | undefined) =>
    (patterns ?? []).map((pattern) => ({ flag, pattern, re: compileGlob(pattern, flag) }))
  return {
    include: compile('--include', filters.include),
    exclude: compile('--exclude', filters.exclude),
  }
}

/**
 * A predicate keeping the group-versions matched by any `include` glob (all when empty) and by
 * no `exclude` glob ({@link GroupVersionFilters} describes the dialect). Throws
 * `K8S_CODEGEN_OPENAPI_FILTER_INVALID` for a malformed pattern.
 *
 * @example
 * const keep = groupVersionFilter({ include: ['apps', 'api/v1'], exclude: ['*\/v1beta1'] })
 * keep({ group: 'apps', version: 'v1' }) // true
 * keep({ group: '', version: 'v1' })     // true
 */
export function groupVersionFilter(
  filters: GroupVersionFilters,
): (ref: { group: string; version: string }) => boolean {
  const { include, exclude } = compileFilters(filters)
  return (ref) => {
    const name = filterName(ref)
    if (include.length > 0 && !include.some((p) => p.re.test(name))) return false
    return !exclude.some((p) => p.re.test(name))
  }
}

/**
 * The group-versions of `served` the filters keep, after checking that every pattern matches at
 * least one of them: a pattern that matches nothing (a typo such as `app/*`) is
 * `K8S_CODEGEN_OPENAPI_FILTER_UNMATCHED`, whose message lists what is served, so a caller can
 * refuse before writing anything.
 *
 * @example
 * selectGroupVersions([{ group: 'apps', version: 'v1' }], { include: ['apps'] }) // [{ group: 'apps', version: 'v1' }]
 * selectGroupVersions([{ group: 'apps', version: 'v1' }], { include: ['app/*'] }) // throws FILTER_UNMATCHED
 */
export function selectGroupVersions<T extends { group: string; version: string }>(
  served: readonly T[],
  filters: GroupVersionFilters,
  where = 'the server serves',
): T[] {
  const { include, exclude } = compileFilters(filters)
  const names = served.map((gv) => filterName(gv))
  const unmatched = [...include, ...exclude].filter((p) => !names.some((n) => p.re.test(n)))
  if (unmatched.length > 0) {
    const list = unmatched.map((p) => `${p.flag} '${p.pattern}'`).join(', ')
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_FILTER_UNMATCHED',
      `${list} ${unmatched.length === 1 ? 'matches' : 'match'} no group-version ${where}, so nothing was written or removed; available: ${[...new Set(names)].sort().join(', ') || '(none)'}`,
    )
  }
  return served.filter((gv) => {
    const name = filterName(gv)
    if (include.length > 0 && !include.some((p) => p.re.test(name))) return false
    return !exclude.some((p) => p.re.test(name))
  })
}

/**
 * The discovery path of a group-version: `/api/v1` or `/apis/<group>/<version>`.
 *
 * @example
 * discoveryPath({ key: 'apis/apps/v1', group: 'apps', version: 'v1' }) // '/apis/apps/v1'
 */
export function discoveryPath(ref: GroupVersionRef): string {
  return `/${ref.key}`
}
