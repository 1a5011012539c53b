// The parser macros of the Kubernetes environment that @bufbuild/cel's parser does not expand:
// cel-go ext/comprehensions.go (two-variable all, exists, existsOne/exists_one,
// transformList, transformMap, transformMapEntry; in kube-apiserver since 1.32) and ext/lists.go
// sortBy. A macro is a rewrite of the parsed tree in cel-go too; these rewrite into the
// one-variable comprehensions @bufbuild/cel evaluates (its planner ignores `iterVar2`), binding
// the second variable with a comprehension over an empty list, as cel-go's cel.bind does:
//
//   t.all(i, v, p)  →  bind(@it, t, comprehension i in @k8s.keys(@it): bind(v, @it[i], …))
//
// so each variable means what it means in cel-go: `i` the index (list) or key (map), `v` the
// element or value.
import {
  celError,
  celFunc,
  celMap,
  CelScalar,
  celType,
  isCelList,
  isCelMap,
  listType,
  mapType,
  type CelMap,
  type CelUint,
  type CelValue,
} from '@bufbuild/cel'
import type { Expr, ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js'
import { children, ExprFactory } from './_expr.js'
import { celText, listOf } from './_values.js'

const { DYN } = CelScalar
const LIST = listType(DYN)
const MAP = mapType(DYN, DYN)
type CelMapKey = string | bigint | boolean | CelUint

const accu = '@result'

/**
 * `parsed` with its two-variable comprehensions and `sortBy` calls expanded as cel-go expands
 * them; throws cel-go's parse error for a malformed one ("argument must be a simple name",
 * "duplicate variable name: v").
 *
 * @example
 * plan(env, expandMacros(parse('self.all(k, v, v > 0)')))
 */
export function expandMacros(parsed: ParsedExpr): ParsedExpr {
  if (parsed.expr === undefined) return parsed
  const f = new ExprFactory(parsed.expr)
  const expr = structuredClone(parsed.expr)
  rewrite(expr, f)
  return { ...parsed, expr }
}

function rewrite(e: Expr, f: ExprFactory): void {
  for (const child of children(e)) if (child !== undefined) rewrite(child, f)
  const kind = e.exprKind
  if (kind.case !== 'callExpr' || kind.value.target === undefined) return
  const { function: fn, args, target } = kind.value
  const expanded =
    fn === 'sortBy' && args.length === 2
      ? sortBy(f, target, args)
      : isTwoVar(fn, args.length)
        ? twoVar(f, fn, target, args)
        : undefined
  if (expanded !== undefined) e.exprKind = expanded.exprKind
}

const isTwoVar = (fn: string, n: number) =>
  (n === 3 && ['all', 'exists', 'existsOne', 'exists_one'].includes(fn)) ||
  ((n === 3 || n === 4) && ['transformList', 'transformMap', 'transformMapEntry'].includes(fn))

// comprehensions.go extractIterVar (an identifier withRuntimeCosts wrapped in `@cost` counts).
function varName(arg: Expr | undefined): string {
  if (arg?.exprKind.case === 'callExpr' && arg.exprKind.value.function === '@cost')
    return varName(arg.exprKind.value.args[1])
  if (arg?.exprKind.case !== 'identExpr') throw new Error('argument must be a simple name')
  const name = arg.exprKind.value.name
  if (name === accu) throw new Error('iteration variable overwrites accumulator variable')
  return name
}

// cel.bind(name, init, body): a comprehension over no elements whose accumulator is `name`.
function bind(f: ExprFactory, name: string, init: Expr, body: Expr): Expr {
  return f.comprehension({
    iterVar: '#unused',
    iterRange: f.call('@k8s.empty', []),
    accuVar: name,
    accuInit: init,
    loopCondition: f.bool(false),
    loopStep: f.ident(name),
    result: body,
  })
}

function twoVar(f: ExprFactory, fn: string, target: Expr, args: Expr[]): Expr {
  const [i, v] = [varName(args[0]), varName(args[1])]
  if (i === v) throw new Error(`duplicate variable name: ${i}`)
  const a = () => f.ident(accu)
  const [filter, transform] = args.length === 4 ? [args[2], args[3]!] : [undefined, args[2]!]
  let init: Expr
  let condition: Expr = f.bool(true)
  let step: Expr
  let result: Expr = a()
  // What cel-go charges per iteration for the macro's own steps (its accumulator reads, the
  // step's call, a list literal), since the nodes made here are not rewritten for cost.
  let perIteration = 3
  switch (fn) {
    case 'all':
      init = f.bool(true)
      condition = f.call('@not_strictly_false', [a()])
      step = f.call('_&&_', [a(), transform])
      break
    case 'exists':
      init = f.bool(false)
      condition = f.call('@not_strictly_false', [f.call('!_', [a()])])
      step = f.call('_||_', [a(), transform])
      break
    case 'existsOne':
    case 'exists_one':
      init = f.int(0n)
      step = f.call('_?_:_', [transform, f.call('_+_', [a(), f.int(1n)]), a()])
      result = f.call('_==_', [a(), f.int(1n)])
      break
    case 'transformList':
      init = f.list([])
      step = f.call('_+_', [a(), f.list([transform])])
      perIteration = 12
      break
    case 'transformMap':
      init = f.map()
      step = f.call('cel.@mapInsert', [a(), f.ident(i), transform])
      break
    default:
      init = f.map()
      step = f.call('cel.@mapInsert', [a(), transform])
  }
  if (filter !== undefined) step = f.call('_?_:_', [filter, step, a()])
  const it = '@it'
  const loop = f.comprehension({
    iterVar: i,
    iterRange: f.call('@k8s.keys', [f.ident(it)]),
    accuVar: accu,
    accuInit: init,
    loopCondition: condition,
    // the second variable, bound for the step only, as cel-go binds it per iteration
    loopStep: f.call('@cost', [
      f.int(BigInt(perIteration)),
      bind(f, v, f.call('_[_]', [f.ident(it), f.ident(i)]), step),
    ]),
    result,
  })
  return bind(f, it, target, loop)
}

// lists.go sortByMacro: target.@sortByAssociatedKeys(target.map(e, key)).
function sortBy(f: ExprFactory, target: Expr, args: Expr[]): Expr {
  const e = varName(args[0])
  const it = '@it'
  const keys = f.comprehension({
    iterVar: e,
    iterRange: f.ident(it),
    accuVar: accu,
    accuInit: f.list([]),
    loopCondition: f.bool(true),
    loopStep: f.call('@cost', [f.int(12n), f.call('_+_', [f.ident(accu), f.list([args[1]!])])]),
    result: f.ident(accu),
  })
  return bind(f, it, target, f.call('@sortByAssociatedKeys', [keys], f.ident(it)))
}

/**
 * The functions the expansions call: `@k8s.empty()`, `@k8s.keys(list|map)` (a list's indexes,
 * a map's keys) and cel-go's `cel.@mapInsert(map, key, value)` / `cel.@mapInsert(map, map)`.
 *
 * @example
 * celEnv({ funcs: [...macroFunctions] })
 */
export const macroFunctions = [
  celFunc('@k8s.empty', [], LIST, () => listOf([])),
  celFunc('@k8s.keys', [DYN], LIST, (x) => {
    if (isCelList(x)) return listOf(Array.from({ length: x.size }, (_, i) => BigInt(i)))
    if (isCelMap(x)) return listOf([...x.keys()])
    throw celError(`type mismatch: iterable vs ${celType(x).name}`)
  }),
  celFunc('cel.@mapInsert', [MAP, DYN, DYN], MAP, (m, k, v) => insert(m, [[k, v]])),
  celFunc('cel.@mapInsert', [MAP, MAP], MAP, (m, update) => insert(m, [...update])),
]

// cel-go types.InsertMapKeyValue: "insert failed: key %v already exists".
function insert(m: CelMap, entries: [CelValue, CelValue][]): CelMap {
  const out = new Map<CelMapKey, CelValue>(m)
  for (const [k, v] of entries) {
    const key = k as CelMapKey
    if (out.has(key)) throw celError(`insert failed: key ${celText(k)} already exists`)
    out.set(key, v)
  }
  return celMap(out)
}
