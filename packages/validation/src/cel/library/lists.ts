// The list functions of the Kubernetes CEL environment:
// - k8s.io/apiserver pkg/cel/library/lists.go (kubernetes.lists, ListsVersion(1) at 1.37:
//   isSorted, sum, min, max, indexOf, lastIndexOf, includes), and
// - cel-go ext/lists.go (cel.lib.ext.lists, ListsVersion(3) since 1.34: slice, flatten,
//   distinct, lists.range, reverse, sort; sortBy is a parser macro, see index.ts).
// Both are registered by k8s.io/apiserver pkg/cel/environment/base.go.
import {
  celError,
  celFunc,
  celType,
  celMethod,
  CelScalar,
  listType,
  type CelList,
  type CelValue,
} from '@bufbuild/cel'
import { celAdd, celEquals, celLess, listOf, noSuchOverload } from './_values.js'

const { INT, BOOL, DYN } = CelScalar
const LIST = listType(DYN)

// lists.go isSorted: no element is greater than the one after it.
function isSorted(list: CelList): boolean {
  let prev: CelValue | undefined
  for (const next of list) {
    if (prev !== undefined && comparable(next, prev)) return false
    prev = next
  }
  return true
}

// `b < a`, refusing values without an order (lists.go cmp: MaybeNoSuchOverloadErr).
function comparable(a: CelValue, b: CelValue): boolean {
  const less = celLess(a, b)
  if (less === undefined) throw noSuchOverload()
  return less
}

// lists.go sum: the zero of the element type (0 for an empty list) plus every element.
function sum(list: CelList): CelValue {
  let acc: CelValue | undefined
  for (const next of list) acc = acc === undefined ? next : celAdd(acc, next)
  return acc ?? 0n
}

// lists.go cmp: "min called on empty list" / "max called on empty list".
function extreme(name: 'min' | 'max') {
  return function (this: CelList): CelValue {
    let result: CelValue | undefined
    for (const next of this) {
      if (result === undefined) {
        if (celLess(next, next) === undefined) throw noSuchOverload()
        result = next
      } else if (name === 'min' ? comparable(next, result) : comparable(result, next)) result = next
    }
    if (result === undefined) throw celError(`${name} called on empty list`)
    return result
  }
}

function indexOf(list: CelList, item: CelValue, last: boolean): bigint {
  const items = [...list]
  for (let n = 0; n < items.length; n++) {
    const i = last ? items.length - 1 - n : n
    if (celEquals(items[i] as CelValue, item)) return BigInt(i)
  }
  return -1n
}

// cel-go ext/lists.go slice: "cannot slice(%d, %d), …".
function slice(list: CelList, start: bigint, end: bigint): CelList {
  const size = BigInt(list.size)
  if (start < 0n || end < 0n)
    throw celError(`cannot slice(${start}, ${end}), negative indexes not supported`)
  if (start > end)
    throw celError(
      `cannot slice(${start}, ${end}), start index must be less than or equal to end index`,
    )
  if (size < end) throw celError(`cannot slice(${start}, ${end}), list is length ${size}`)
  return listOf([...list].slice(Number(start), Number(end)))
}

// cel-go ext/lists.go flatten: "level must be non-negative"; depth 1 by default.
function flatten(list: CelList, depth: bigint): CelList {
  if (depth < 0n) throw celError('level must be non-negative')
  const out: CelValue[] = []
  const walk = (items: CelList, level: bigint) => {
    for (const item of items) {
      if (level > 0n && isList(item)) walk(item, level - 1n)
      else out.push(item)
    }
  }
  walk(list, depth)
  return listOf(out)
}

const isList = (v: CelValue): v is CelList =>
  typeof v === 'object' && v !== null && Symbol.iterator in v && 'size' in v && 'get' in v

// cel-go ext/lists.go distinct: first occurrences, by CEL equality.
function distinct(list: CelList): CelList {
  const out: CelValue[] = []
  for (const item of list) {
    if (!out.some((seen) => celEquals(seen, item))) out.push(item)
  }
  return listOf(out)
}

// cel-go ext/lists.go lists.range: [0, n); the default max range size (1,000,000) is kept.
const maxRangeSize = 1_000_000n
function range(n: bigint): CelList {
  if (n < 0n) throw celError(`lists.range: size must be non-negative, got ${n}`)
  if (n > maxRangeSize)
    throw celError(`lists.range: size ${n} exceeds maximum allowed (${maxRangeSize})`)
  const size = Number(n)
  return listOf(Array.from({ length: size }, (_, i) => BigInt(i)))
}

// cel-go ext/lists.go sortListByAssociatedKeys: the first key comparable ("list elements must
// be comparable"), every key of its type, then the elements in the order of their keys (a
// stable sort, as Go's sort.Slice is not; equal keys are rare in rules).
function sortByKeys(list: CelList, keys: CelList): CelList {
  const items = [...list]
  const ks = [...keys]
  if (items.length !== ks.length)
    throw celError(
      `@sortByAssociatedKeys() expected a list of the same size as the associated keys list, but got ${items.length} and ${ks.length} elements respectively`,
    )
  const first = ks[0]
  if (first === undefined) return list
  if (celLess(first, first) === undefined) throw celError('list elements must be comparable')
  const type = celType(first).name
  if (ks.some((k) => celType(k).name !== type))
    throw celError('list elements must have the same type')
  const order = ks.map((_, i) => i)
  order.sort((a, b) => (comparable(ks[a]!, ks[b]!) ? -1 : comparable(ks[b]!, ks[a]!) ? 1 : 0))
  return listOf(order.map((i) => items[i]!))
}

/**
 * The Kubernetes list functions (isSorted, sum, min, max, indexOf, lastIndexOf, includes) and
 * cel-go's ext lists (slice, flatten, distinct, lists.range, reverse, sort).
 *
 * @example
 * run('[3, 1, 2].sort().isSorted()', {}, { funcs: listFunctions }) // true
 */
export const listFunctions = [
  celMethod('isSorted', LIST, [], BOOL, function () {
    return isSorted(this)
  }),
  celMethod('sum', LIST, [], DYN, function () {
    return sum(this)
  }),
  celMethod('min', LIST, [], DYN, extreme('min')),
  celMethod('max', LIST, [], DYN, extreme('max')),
  celMethod('indexOf', LIST, [DYN], INT, function (item) {
    return indexOf(this, item, false)
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (item) {
    return indexOf(this, item, true)
  }),
  // lists.go includes (ListsVersion 1, Kubernetes 1.37): any element equal to the argument.
  celMethod('includes', LIST, [DYN], BOOL, function (item) {
    return [...this].some((e) => celEquals(e, item))
  }),
  celMethod('slice', LIST, [INT, INT], LIST, function (start, end) {
    return slice(this, start, end)
  }),
  celMethod('flatten', LIST, [], LIST, function () {
    return flatten(this, 1n)
  }),
  celMethod('flatten', LIST, [INT], LIST, function (depth) {
    return flatten(this, depth)
  }),
  celMethod('distinct', LIST, [], LIST, function () {
    return distinct(this)
  }),
  celFunc('lists.range', [INT], LIST, range),
  celMethod('reverse', LIST, [], LIST, function () {
    return listOf([...this].reverse())
  }),
  celMethod('sort', LIST, [], LIST, function () {
    return sortByKeys(this, this)
  }),
  // The function the sortBy macro expands to (macros.ts).
  celMethod('@sortByAssociatedKeys', LIST, [LIST], LIST, function (keys) {
    return sortByKeys(this, keys)
  }),
]
