// Deprecation warnings of built-in kinds, as apiserver `pkg/endpoints/installer.go`
// registerResourceHandlers adds them to every route of a deprecated kind
// (`utilwarning.AddWarningsHandler`) with `pkg/endpoints/deprecation/deprecation.go`
// IsDeprecated / WarningMessage. Which kinds are deprecated, since when, until when and for
// what comes from the kinds' own APILifecycle methods in k8s.io/api
// (`generated/deprecated-kinds.jsonc`, written by `scripts/generate-kube-tables.mjs`).
import { loadGeneratedTable } from './generated-tables.js'

interface Lifecycle {
  deprecated: [number, number]
  removed?: [number, number]
  replacement?: { groupVersion: string; kind: string }
}

const lifecycles = loadGeneratedTable<Record<string, Lifecycle>>('deprecated-kinds.jsonc')

// deprecation.go MajorMinor: the minor version's leading digits (`2+` → 2); unparsable → 0, 0.
function majorMinor(version: { major: string; minor: string }): [number, number] {
  const major = /^\d+$/.test(version.major) ? Number(version.major) : Number.NaN
  const minor = Number(/^\d+/.exec(version.minor)?.[0] ?? Number.NaN)
  return Number.isNaN(major) || Number.isNaN(minor) ? [0, 0] : [major, minor]
}

/**
 * The `Warning` text a server of `version` sends on every request to a deprecated built-in kind,
 * or undefined.
 *
 * @example
 * deprecationWarning('v1', 'Endpoints', { major: '1', minor: '36' })
 * // 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice'
 */
export function deprecationWarning(
  apiVersion: string,
  kind: string,
  version: { major: string; minor: string },
): string | undefined {
  const lifecycle = lifecycles()[`${apiVersion}/${kind}`]
  if (lifecycle === undefined) return undefined
  const [major, minor] = majorMinor(version)
  const [since, sinceMinor] = lifecycle.deprecated
  const known = major !== 0 || minor !== 0
  // Servers before 1.19 send no warnings at all (KEP-1693 added the Warning header then).
  if (known && (major < 1 || (major === 1 && minor < 19))) return undefined
  if (known && (since > major || (since === major && sinceMinor > minor))) return undefined
  let text = `${apiVersion} ${kind} is deprecated in v${since}.${sinceMinor}+`
  if (lifecycle.removed !== undefined) {
    text += `, unavailable in v${lifecycle.removed[0]}.${lifecycle.removed[1]}+`
  }
  if (lifecycle.replacement !== undefined) {
    text += `; use ${lifecycle.replacement.groupVersion} ${lifecycle.replacement.kind}`
  }
  return text
}
