import { TestkitError } from './errors.js'

/** A group-version as the apiserver names it: `key` is its `/openapi/v3/<key>` suffix. */
export interface GroupVersion {
  key: string
  group: string
  version: string
}

const versionPattern = /^v\d+(?:(?:alpha|beta)\d+)?$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const groupPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** Parses `api/v1` or `apis/<group>/<version>`; undefined for any other key (`api`, `version`, …). */
export function groupVersionOf(key: string): GroupVersion | undefined {
  const parts = key.split('/')
  if (parts.length === 2 && parts[0] === 'api' && parts[1] !== undefined) {
    return versionPattern.test(parts[1]) ? { key, group: '', version: parts[1] } : undefined
  }
  if (
    parts.length === 3 &&
    parts[0] === 'apis' &&
    parts[1] !== undefined &&
    parts[2] !== undefined
  ) {
    return groupPattern.test(parts[1]) && versionPattern.test(parts[2])
      ? { key, group: parts[1], version: parts[2] }
      : undefined
  }
  return undefined
}

/** Like {@link groupVersionOf} but throws `K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID` naming the key. */
export function requireGroupVersion(key: string): GroupVersion {
  const gv = groupVersionOf(key)
  if (gv === undefined) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID',
      `group-version key ${JSON.stringify(key)} is not 'api/<version>' or 'apis/<group>/<version>'`,
    )
  }
  return gv
}

/** The `groupVersion` string of discovery documents: `v1` for core, `apps/v1` otherwise. */
export function groupVersionString(gv: { group: string; version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`
}

/** The key for a group and version: `api/v1` for core, `apis/<group>/<version>` otherwise. */
export function keyOf(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`
}

// apimachinery pkg/version/helpers.go CompareKubeAwareVersionStrings: GA before beta before
// alpha, higher major first, then higher minor; non-Kubernetes versions last, lexically.
const kubeVersion = /^v(\d+)(?:(alpha|beta)(\d+))?$/

function rank(version: string): [number, number, number] | undefined {
  const match = kubeVersion.exec(version)
  if (match === null) return undefined
  const stability = match[2] === undefined ? 2 : match[2] === 'beta' ? 1 : 0
  return [stability, Number(match[1]), Number(match[3] ?? 0)]
}

/** Sorts versions by Kubernetes priority (v1 > v1beta2 > v1beta1 > v1alpha1 > other). */
export function compareKubeVersions(a: string, b: string): number {
  const ra = rank(a)
  const rb = rank(b)
  if (ra === undefined || rb === undefined) {
    if (ra !== undefined) return -1
    if (rb !== undefined) return 1
    return a < b ? -1 : a > b ? 1 : 0
  }
  for (let i = 0; i < 3; i++) {
    const d = (rb[i] ?? 0) - (ra[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
