// apimachinery `pkg/version/helpers.go` CompareKubeAwareVersionStrings: the order the apiserver
// uses to prefer one version of a group over another (discovery's preferred version, the
// version a default deprecation warning points to).
const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/

// parseKubeVersion: alpha < beta < GA, then major, then minor.
function parse(version: string): [number, number, number] | undefined {
  const match = KUBE_VERSION.exec(version)
  if (match === null) return undefined
  const stability = match[2] === undefined ? 2 : match[2] === 'beta' ? 1 : 0
  return [stability, Number(match[1]), Number(match[3] ?? 0)]
}

/**
 * Positive when `a` ranks above `b` (`v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > foo > bar`,
 * versions that are not Kubernetes-like last, in reverse lexical order), negative when below,
 * 0 when equal: CompareKubeAwareVersionStrings.
 *
 * @example
 * ['v1beta1', 'v1', 'v1alpha1'].sort((a, b) => compareKubeAwareVersions(b, a)) // ['v1', 'v1beta1', 'v1alpha1']
 */
export function compareKubeAwareVersions(a: string, b: string): number {
  if (a === b) return 0
  const pa = parse(a)
  const pb = parse(b)
  if (pa === undefined && pb === undefined) return a < b ? 1 : -1
  if (pa === undefined) return -1
  if (pb === undefined) return 1
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] as number) - (pb[i] as number)
    if (d !== 0) return d
  }
  return 0
}
