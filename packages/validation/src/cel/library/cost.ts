// The runtime cost of a CEL evaluation, counted as closely to cel-go as @bufbuild/cel allows.
//
// kube-apiserver evaluates a CRD rule with cel.CostLimit(PerCallLimit) and stops an object's
// rules once their summed cost passes RuntimeCELCostBudget (k8s.io/apiserver pkg/apis/cel
// config.go; apiextensions-apiserver pkg/apiserver/schema/cel validation.go). cel-go counts,
// at every interpreted step (cel-go interpreter/runtimecost.go CostTracker.costTrackPlanner):
// 1 per identifier and per field selection or index, 10 per list literal, 30 per map literal,
// 40 per message literal, 0 per constant, and per function call the cost of
// CostTracker.costCall (string sizes × 0.1, regexes × 0.25, …) or, for Kubernetes' functions,
// k8s.io/apiserver pkg/cel/library/cost.go CostEstimator.CallCost.
//
// @bufbuild/cel has no evaluation hook (its plan() returns a closure; no step observer, no
// interrupt). What it does let a caller change: the function set (every call, operators
// included, goes through a function found by name, which a caller may override) and the
// expression tree between parse() and plan(). So:
// - every function, the engine's own included, is wrapped to charge cel-go's call cost
//   (callCost below) after it returns;
// - withRuntimeCosts() rewrites a parsed expression so identifiers, selections and list/map
//   literals pass through `@cost(n, value)`, which charges n and returns the value unchanged.
// Differences from cel-go: `has()` is not charged, nor are `&&`, `||`, `?:` (0 in cel-go
// too); cel-go's constant folding
// (cel.OptOptimize) evaluates literal-only subexpressions at compile time, at cost 0, where
// this counts them when they run; the library's functions use the per-call costs of
// cost.go. The facts in test/cel-library/library-facts.json hold cel-go's actual cost of
// each expression; test/cel-library/runtime-cost.test.ts compares.
//
// When the limit is passed, the charge throws a CelError; the engine turns that into an error
// value, which `||`, `&&` and comprehensions may swallow, so the evaluation is marked exceeded
// and its result replaced by cel-go's error whatever it was. After the limit each further
// charge throws at once, so a comprehension's remaining iterations each end at their first
// charged step and a nested comprehension's range fails immediately: the work after the limit
// is bounded by the size of the lists already built, not by the rule.
import {
  celError,
  celFunc,
  celMethod,
  CelScalar,
  type CelError,
  type CelFunc,
  type CelValue,
} from '@bufbuild/cel'
import type { Expr, ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js'
import { ExprFactory } from './_expr.js'
import { noSuchOverload } from './_values.js'

/**
 * cel-go's cost limit for one evaluation of one rule (k8s.io/apiserver pkg/apis/cel
 * config.go PerCallLimit).
 *
 * @example
 * perCallLimit // 1000000
 */
export const perCallLimit = 1_000_000

/**
 * The cost budget for all the rules of one object (k8s.io/apiserver pkg/apis/cel config.go
 * RuntimeCELCostBudget), spent across rules by apiextensions-apiserver's validator.
 *
 * @example
 * runtimeCelCostBudget // 10000000
 */
export const runtimeCelCostBudget = 10_000_000

/**
 * cel-go's error for an evaluation past its limit (interpreter/runtimecost.go), which
 * kube-apiserver reports for the rule.
 *
 * @example
 * trackCost(() => program({ self }), 100).value.message // costLimitExceededMessage
 */
export const costLimitExceededMessage = 'operation cancelled: actual cost limit exceeded'

interface Tracker {
  cost: number
  readonly limit: number
  exceeded: boolean
}

// The evaluation being counted (evaluations are synchronous, so one at a time per thread;
// nested trackCost calls each count their own).
let active: Tracker | undefined

/** Adds `n` to the running evaluation's cost; past the limit, throws cel-go's error. */
export function charge(n: number): void {
  if (active === undefined) return
  if (active.exceeded) throw celError(costLimitExceededMessage)
  active.cost += n
  if (active.cost > active.limit) {
    active.exceeded = true
    throw celError(costLimitExceededMessage)
  }
}

/**
 * The result of one evaluation run by {@link trackCost}.
 *
 * @example
 * const { value, cost } = trackCost(() => program({ self }))
 */
export interface CostedResult<T> {
  /** What the evaluation returned, or cel-go's cost error when it passed the limit. */
  readonly value: T | CelError
  /** The cost counted (past the limit: the count at which it stopped). */
  readonly cost: number
  /** Whether the evaluation passed the limit. */
  readonly exceeded: boolean
}

/**
 * Runs one evaluation (a planned program called with its bindings) and counts its cost with
 * the functions of {@link kubernetesCelFunctions} and an expression rewritten by
 * {@link withRuntimeCosts}; past `limit` its value is cel-go's "operation cancelled: actual
 * cost limit exceeded" error.
 *
 * @example
 * const env = celEnv({ funcs: kubernetesCelFunctions })
 * const program = plan(env, withRuntimeCosts(parse('self.all(x, x > 0)')))
 * const { value, cost } = trackCost(() => program({ self: [1n, 2n] }))
 * // value: true, cost: 12 — as cel-go counts it
 */
export function trackCost<T>(evaluate: () => T, limit = perCallLimit): CostedResult<T> {
  const outer = active
  const tracker: Tracker = { cost: 0, limit, exceeded: false }
  active = tracker
  try {
    const value = evaluate()
    return {
      value: tracker.exceeded ? celError(costLimitExceededMessage) : value,
      cost: tracker.cost,
      exceeded: tracker.exceeded,
    }
  } finally {
    active = outer
  }
}

// cel-go common/cost.go
const stringTraversalCostFactor = 0.1
const regexStringLengthCostFactor = 0.25
const listCreateBaseCost = 10
const mapCreateBaseCost = 30
const structCreateBaseCost = 40

/** cel-go's actualSize: a string's code points, a list's or map's entries; 1 for the rest. */
function size(v: CelValue | undefined): number {
  if (typeof v === 'string') return Array.from(v).length
  if (v instanceof Uint8Array) return v.length
  if (typeof v === 'object' && v !== null && 'size' in v && typeof v.size === 'number')
    return v.size
  return 1
}

const ceilSize = (v: CelValue | undefined, factor = stringTraversalCostFactor) =>
  Math.ceil(size(v) * factor)

// k8s.io/apiserver pkg/cel/library/cost.go traversalCost.
function traversalCost(v: CelValue | undefined): number {
  if (typeof v === 'string' || v instanceof Uint8Array)
    return Math.floor(size(v) * stringTraversalCostFactor)
  if (typeof v === 'object' && v !== null && Symbol.iterator in v) {
    let cost = 0
    if ('keys' in v && typeof v.keys === 'function') {
      for (const [k, e] of v as unknown as Map<CelValue, CelValue>)
        cost += traversalCost(k) + traversalCost(e)
    } else {
      for (const e of v as Iterable<CelValue>) cost += traversalCost(e)
    }
    return cost
  }
  return 1
}

/** The fixed size of each named format's regular expression (library/format.go MaxRegexSize). */
const formatRegexSize = new Map<string, number>()
/** Registers a format's MaxRegexSize for the cost of `validate` (format.ts). */
export function setFormatRegexSize(name: string, regexSize: number): void {
  formatRegexSize.set(name, regexSize)
}
let formatName: (v: CelValue | undefined) => string | undefined = () => undefined
/** How cost.ts reads a format value's name (format.ts provides it). */
export function setFormatNameReader(read: (v: CelValue | undefined) => string | undefined): void {
  formatName = read
}

// ext/lists.go trackListSelfCompare: size² × 2 (2.1 for strings and bytes).
function selfCompareCost(list: CelValue | undefined): number {
  const n = size(list)
  const first =
    n > 0 && typeof list === 'object' && list !== null && Symbol.iterator in list
      ? [...(list as Iterable<CelValue>)][0]
      : undefined
  const factor = 2 + (isStringLike(first) ? stringTraversalCostFactor : 0)
  return 1 + listCreateBaseCost + Math.floor(n * n * factor)
}

const isStringLike = (v: CelValue | undefined) => typeof v === 'string' || v instanceof Uint8Array

/**
 * The cost of one call: k8s.io/apiserver pkg/cel/library/cost.go CallCost for the Kubernetes
 * functions, else cel-go interpreter/runtimecost.go costCall. `args` holds the receiver first
 * for a method, as cel-go passes it.
 */
export function callCost(
  name: string,
  args: readonly CelValue[],
  result: CelValue | undefined,
): number {
  const [a0, a1] = args
  switch (name) {
    case 'isSorted':
    case 'sum':
    case 'max':
    case 'min':
    case 'indexOf':
    case 'lastIndexOf':
    case 'includes':
      // string.indexOf / lastIndexOf of ext strings fall here too, as in cel-go: CallCost
      // matches on the function name before costCall sees the overload.
      return isStringLike(a0) ? ceilSize(a0) : traversalCost(a0)
    case 'url':
    case 'lowerAscii':
    case 'upperAscii':
    case 'substring':
    case 'trim':
    case 'cidr':
    case 'isIP':
    case 'isCIDR':
    case 'quantity':
    case 'isQuantity':
    case 'semver':
    case 'isSemver':
      return ceilSize(a0)
    case 'ip':
      return isStringLike(a0) ? ceilSize(a0) : 1
    case 'ip.isCanonical':
      return ceilSize(a0, 2 * stringTraversalCostFactor)
    case 'replace':
    case 'split':
      return ceilSize(a0, 2 * stringTraversalCostFactor)
    case 'join':
      return ceilSize(result, 2 * stringTraversalCostFactor)
    case 'find':
    case 'findAll':
    case 'matches':
      return (
        Math.ceil((1 + size(a0)) * stringTraversalCostFactor) *
        Math.ceil(size(a1) * regexStringLengthCostFactor)
      )
    case 'containsIP':
    case 'containsCIDR': {
      const cidr = Math.ceil(2 * size(a0) * stringTraversalCostFactor)
      const extra =
        name === 'containsCIDR' ? Math.ceil(size(a0) * stringTraversalCostFactor) + 1 : 0
      return cidr + extra + (typeof a1 === 'string' ? ceilSize(a1) : 0)
    }
    case 'validate': {
      const regexSize = formatRegexSize.get(formatName(a0) ?? '') ?? 0
      return (
        Math.ceil((1 + size(a1)) * stringTraversalCostFactor) *
        Math.ceil(regexSize * regexStringLengthCostFactor)
      )
    }
    case 'startsWith':
    case 'endsWith':
      return ceilSize(a1)
    case 'bytes':
    case 'string':
    case 'strings.quote':
      return isStringLike(a0) ? ceilSize(a0) : 1
    case 'format':
      return ceilSize(a0)
    case '@in':
      return typeof a1 === 'object' && a1 !== null && !(a1 instanceof Uint8Array) ? size(a1) : 1
    case '_==_':
    case '_!=_':
    case '_<_':
    case '_<=_':
    case '_>_':
    case '_>=_':
      return isStringLike(a0) && isStringLike(a1)
        ? Math.ceil(Math.min(size(a0), size(a1)) * stringTraversalCostFactor)
        : 1
    case '_+_':
      return isStringLike(a0) ? Math.ceil((size(a0) + size(a1)) * stringTraversalCostFactor) : 1
    case 'contains':
      return isStringLike(a0) ? ceilSize(a0) * ceilSize(a1) : 1
    // cel-go ext/sets.go trackSetsCost: 1 + size × size (× 2 for equivalent).
    case 'sets.contains':
    case 'sets.intersects':
      return 1 + Math.floor(size(a0) * size(a1))
    case 'sets.equivalent':
      return 1 + Math.floor(size(a0) * size(a1) * 2)
    // cel-go ext/lists.go trackers (trackAllocatingListCall: 1 + 10 + size × factor).
    case 'slice':
    case 'lists.range':
    case 'reverse':
      return 1 + listCreateBaseCost + size(result)
    case 'flatten':
      return 1 + listCreateBaseCost + Math.floor(size(a0) * Math.max(Number(args[1] ?? 1n), 0))
    case 'distinct':
    case 'sort':
      return selfCompareCost(a0)
    case '@sortByAssociatedKeys':
      return selfCompareCost(a1)
    default:
      return 1
  }
}

function charged(func: CelFunc): CelFunc {
  const { name, target } = func
  const run = (receiver: CelValue | undefined, args: CelValue[]) => {
    const all = receiver === undefined ? args : [receiver, ...args]
    // What the arguments alone cost is charged before the call, so a call priced past the
    // limit (a regex over megabytes) never runs; what the result adds, after. cel-go charges it
    // all after the call: the total is the same.
    const before = callCost(name, all, undefined)
    charge(before)
    const result = func.call(0, receiver, args)
    // cel-go charges a call whatever it returns, errors included.
    const value = result === undefined || isError(result) ? undefined : result
    charge(Math.max(0, callCost(name, all, value) - before))
    if (result === undefined) throw noSuchOverload()
    if (isError(result)) throw celGoWording(result)
    return result
  }
  return target === undefined
    ? celFunc(
        name,
        func.arguments,
        func.result,
        (...args: CelValue[]) => run(undefined, args) as never,
      )
    : celMethod(
        name,
        target,
        func.arguments,
        func.result,
        function (this: CelValue, ...args: CelValue[]) {
          return run(this, args)
        },
      )
}

// The engine's words for arithmetic errors, as cel-go says them (common/types/err.go), since
// kube-apiserver puts a rule's evaluation error in the message a user reads.
const celGoWords: [RegExp, string][] = [
  [/^int overflow during /, 'integer overflow'],
  [/^uint overflow during /, 'unsigned integer overflow'],
  [/ divide by zero$/, 'division by zero'],
  [/ modulus by zero$/, 'modulus by zero'],
]
function celGoWording(error: CelError): CelError {
  for (const [pattern, words] of celGoWords) if (pattern.test(error.message)) return celError(words)
  return error
}

const isError = (v: unknown): v is CelError => v instanceof Error

/**
 * Each function wrapped to charge its cel-go cost while {@link trackCost} counts: for a
 * function a caller adds to {@link kubernetesCelFunctions} (or replaces in it).
 *
 * @example
 * celEnv({ funcs: [...kubernetesCelFunctions, ...withCallCosts([celFunc('_==_', [DYN, DYN], BOOL, eq)])] })
 */
export function withCallCosts(funcs: Iterable<CelFunc>): CelFunc[] {
  return [...funcs].map(charged)
}

/** The pass-through `@cost(n, value)` that {@link withRuntimeCosts} inserts. */
export const costFunction = celFunc(
  '@cost',
  [CelScalar.INT, CelScalar.DYN],
  CelScalar.DYN,
  (n, value) => {
    charge(Number(n))
    return value
  },
)

// Rewrites a parsed expression so that evaluating it charges what cel-go charges for
// identifiers (1), field selections and indexes (1 each), list literals (10), map literals (30)
// and message literals (40): each such node passes through `@cost(n, node)`. Call targets that name a
// namespaced function (`sets.contains`, `format.dns1123Label`) are left as they are; the
// result means exactly what the input means.
export function withRuntimeCostsOf(
  parsed: ParsedExpr,
  qualifiedNames: ReadonlySet<string>,
): ParsedExpr {
  const f = new ExprFactory(parsed.expr)
  const wrap = (n: number, expr: Expr): Expr => f.call('@cost', [f.int(BigInt(n)), expr])
  const visit = (expr: Expr | undefined): Expr | undefined => {
    if (expr === undefined) return undefined
    const kind = expr.exprKind
    switch (kind.case) {
      case 'identExpr':
        return wrap(1, expr)
      case 'selectExpr':
        // A type name (`net.IP`) is one name to the engine: charge it whole.
        if (qualifiedNames.has(qualifiedName(expr) ?? '')) return wrap(1, expr)
        kind.value.operand = visit(kind.value.operand)
        return kind.value.testOnly ? expr : wrap(1, expr)
      case 'callExpr': {
        const call = kind.value
        const qualified = call.target === undefined ? undefined : qualifiedName(call.target)
        if (qualified === undefined || !qualifiedNames.has(`${qualified}.${call.function}`))
          call.target = visit(call.target)
        call.args = call.args.map((arg) => visit(arg) ?? arg)
        // An index is a qualifier to cel-go, like a field selection: 1. The loop condition of
        // `all` and `exists` is a call to cel-go (1 per iteration) that @bufbuild/cel's planner
        // evaluates itself, past the function set.
        return call.function === '_[_]' || call.function === '@not_strictly_false'
          ? wrap(1, expr)
          : expr
      }
      case 'listExpr':
        // cel-go folds a literal of constants at compile time (cel.OptOptimize): no cost.
        if (isConstant(expr)) return expr
        kind.value.elements = kind.value.elements.map((e) => visit(e) ?? e)
        return wrap(listCreateBaseCost, expr)
      case 'structExpr':
        if (isConstant(expr)) return expr
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey')
            entry.keyKind.value = visit(entry.keyKind.value) ?? entry.keyKind.value
          entry.value = visit(entry.value)
        }
        return wrap(kind.value.messageName === '' ? mapCreateBaseCost : structCreateBaseCost, expr)
      case 'comprehensionExpr': {
        const c = kind.value
        c.iterRange = visit(c.iterRange)
        c.accuInit = visit(c.accuInit)
        c.loopCondition = visit(c.loopCondition)
        c.loopStep = visit(c.loopStep)
        c.result = visit(c.result)
        return expr
      }
      case 'constExpr':
      case undefined:
        return expr
    }
  }
  return { ...parsed, expr: visit(structuredClone(parsed.expr)) }
}

// A constant, or a list or map literal of constants.
function isConstant(expr: Expr | undefined): boolean {
  const kind = expr?.exprKind
  switch (kind?.case) {
    case 'constExpr':
      return true
    case 'listExpr':
      return kind.value.elements.every(isConstant)
    case 'structExpr':
      return (
        kind.value.messageName === '' &&
        kind.value.entries.every(
          (e) =>
            isConstant(e.value) && (e.keyKind.case !== 'mapKey' || isConstant(e.keyKind.value)),
        )
      )
    case 'callExpr':
    case 'comprehensionExpr':
    case 'identExpr':
    case 'selectExpr':
    case undefined:
      return false
  }
}

function qualifiedName(expr: Expr): string | undefined {
  const kind = expr.exprKind
  if (kind.case === 'identExpr') return kind.value.name
  if (kind.case === 'selectExpr' && kind.value.operand !== undefined) {
    const operand = qualifiedName(kind.value.operand)
    return operand === undefined ? undefined : `${operand}.${kind.value.field}`
  }
  return undefined
}
