// cel-go ext/sets.go (cel.lib.ext.sets, registered since Kubernetes 1.29 by k8s.io/apiserver
// pkg/cel/environment/base.go): list membership by CEL equality, so 1, 1.0 and 1u are one
// element.
import { celFunc, CelScalar, listType, type CelList } from '@bufbuild/cel'
import { celEquals } from './_values.js'

const LIST = listType(CelScalar.DYN)
const { BOOL } = CelScalar

// sets.go setsContains: every element of `sublist` is in `list`.
const contains = (list: CelList, sublist: CelList): boolean => {
  const items = [...list]
  return [...sublist].every((e) => items.some((i) => celEquals(i, e)))
}

/**
 * `sets.contains`, `sets.equivalent`, `sets.intersects`.
 *
 * @example
 * run('sets.contains([1, 2, 3], [3, 1])', {}, { funcs: setFunctions }) // true
 */
export const setFunctions = [
  celFunc('sets.contains', [LIST, LIST], BOOL, contains),
  // sets.go setsEquivalent: each contains the other.
  celFunc('sets.equivalent', [LIST, LIST], BOOL, (a, b) => contains(a, b) && contains(b, a)),
  // sets.go setsIntersects: some element in both.
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) => {
    const items = [...a]
    return [...b].some((e) => items.some((i) => celEquals(i, e)))
  }),
]
