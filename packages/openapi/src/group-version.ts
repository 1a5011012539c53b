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
 * The `group/version` name filters match against; the core group is `core`.
 *
 * @example
 * filterName({ key: 'api/v1', group: '', version: 'v1' }) // 'core/v1'
 */
export function filterName(ref: GroupVersionRef): string {
  return `${ref.group === '' ? 'core' : ref.group}/${ref.version}`
}

const patternSyntax = /^[A-Za-z0-9.*?-]+(\/[A-Za-z0-9.*?-]+)?$/

function compileGlob(pattern: string, flag: string): RegExp {
  if (!patternSyntax.test(pattern)) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_FILTER_INVALID',
      `${flag} pattern '${pattern}' is not a group/version glob: use letters, digits, '.', '-', '*' and '?' with at most one '/', e.g. 'apps/*', '*.k8s.io/v1', 'core/v1' or 'apps'`,
    )
  }
  // A bare group means every version of it.
  const full = pattern.includes('/') ? pattern : `${pattern}/*`
  const source = full
    .split('')
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c === '.' ? '\\.' : c))
    .join('')
  return new RegExp(`^${source}$`)
}

/**
 * A predicate keeping the group-versions matched by any `include` glob (all when empty) and by
 * no `exclude` glob. Globs match `group/version` with the core group spelled `core`; `*` and
 * `?` never cross the `/`; a pattern without `/` names a group.
 *
 * @example
 * const keep = groupVersionFilter({ include: ['apps', 'core/*'], exclude: ['*\/v1beta1'] })
 * keep({ key: 'apis/apps/v1', group: 'apps', version: 'v1' }) // true
 */
export function groupVersionFilter(options: {
  include?: readonly string[] | undefined
  exclude?: readonly string[] | undefined
}): (ref: GroupVersionRef) => boolean {
  const include = (options.include ?? []).map((p) => compileGlob(p, '--include'))
  const exclude = (options.exclude ?? []).map((p) => compileGlob(p, '--exclude'))
  return (ref) => {
    const name = filterName(ref)
    if (include.length > 0 && !include.some((re) => re.test(name))) return false
    return !exclude.some((re) => re.test(name))
  }
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
