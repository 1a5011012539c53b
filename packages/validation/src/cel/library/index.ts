// The Kubernetes CEL libraries for @bufbuild/cel.
//
// kube-apiserver evaluates CRD validation rules in the environment of k8s.io/apiserver
// pkg/cel/environment/base.go; at 1.37, for rules stored in a CRD (StoredExpressionsEnv),
// that is cel-go's standard library plus:
//   kubernetes.lists (ListsVersion 1)  lists.ts      cel.lib.ext.lists (v3)   lists.ts
//   kubernetes.regex                    regex.ts      cel.lib.ext.sets         sets.ts
//   kubernetes.urls                     urls.ts       cel.lib.ext.strings (v2) strings.ts
//   kubernetes.quantity                 quantity.ts   optional types           optional.ts
//   kubernetes.net.ip / .cidr           ip.ts cidr.ts kubernetes.format        format.ts
//   kubernetes.semver (SemverVersion 1) semver.ts
// and two-variable comprehensions (ext.TwoVarComprehensions), which are parser macros: see the
// package README for what @bufbuild/cel's parser does not expand. (kubernetes.authz is declared
// there too, but a CRD rule has no `authorizer` variable to call it on.)
//
// How @bufbuild/cel takes them (@bufbuild/cel 0.6.1 env.ts, run.ts): `celEnv({ funcs })` and
// `run(expr, bindings, { funcs })` accept `funcs?: CelFunc[]`, added after the standard
// functions; a function with the id (name + receiver + argument types) of a standard one
// replaces it. kubernetesCelFunctions holds the standard functions too, each wrapped to charge
// its cel-go cost while a trackCost() evaluation runs (cost.ts), then the libraries, then
// `@cost`, which withRuntimeCosts() inserts:
//
//   const env = celEnv({ funcs: kubernetesCelFunctions, registry: kubernetesCelRegistry })
//   const program = plan(env, prepareRule(parse(rule)))
//   const { value, cost } = trackCost(() => program({ self, oldSelf }))
//
// The per-object budget (RuntimeCELCostBudget) is the caller's: run each rule with
// `trackCost(evaluate, Math.min(perCallLimit, remaining))` and subtract its `cost`; when
// `exceeded`, a `cost` past perCallLimit is the per-call limit (cel-go's "operation cancelled:
// actual cost limit exceeded"), else the budget ran out (apiextensions-apiserver
// validation.go "validation failed due to running out of cost budget"). Without prepareRule,
// the functions still charge their calls, but identifiers and literals are not charged and the
// two-variable comprehensions and sortBy are not expanded (@bufbuild/cel's parser leaves them
// as calls: "unbound function: all").
import { celEnv, type CelFunc } from '@bufbuild/cel'
import { createRegistry, type Registry } from '@bufbuild/protobuf'
import type { ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js'
import { costFunction, withCallCosts, withRuntimeCostsOf } from './cost.js'
import { cidrFunctions } from './cidr.js'
import { formatFunctions } from './format.js'
import { ipFunctions } from './ip.js'
import { listFunctions } from './lists.js'
import { expandMacros, macroFunctions } from './macros.js'
import { checkDepth } from './_expr.js'
import { optionalFunctions } from './optional.js'
import { quantityFunctions } from './quantity.js'
import { regexFunctions } from './regex.js'
import { semverFunctions } from './semver.js'
import { setFunctions } from './sets.js'
import { stringFunctions } from './strings.js'
import { urlFunctions } from './urls.js'

export {
  costLimitExceededMessage,
  perCallLimit,
  runtimeCelCostBudget,
  trackCost,
  withCallCosts,
  type CostedResult,
} from './cost.js'
export { celText } from './_values.js'
export { expandMacros } from './macros.js'
import { opaqueDescs } from './_values.js'

const libraries: CelFunc[] = [
  ...stringFunctions,
  ...listFunctions,
  ...setFunctions,
  ...regexFunctions,
  ...optionalFunctions,
  ...quantityFunctions,
  ...ipFunctions,
  ...cidrFunctions,
  ...urlFunctions,
  ...semverFunctions,
  ...formatFunctions,
  ...macroFunctions,
]

/**
 * The functions of kube-apiserver's CRD validation environment (1.37), for
 * `celEnv({ funcs: kubernetesCelFunctions })` or `run(expr, bindings, { funcs: kubernetesCelFunctions })`.
 *
 * @example
 * import { run } from '@bufbuild/cel'
 * run("sets.contains(self, ['a'])", { self: ['a', 'b'] }, { funcs: kubernetesCelFunctions }) // true
 */
export const kubernetesCelFunctions: CelFunc[] = [
  ...withCallCosts(celEnv().funcs),
  ...withCallCosts(libraries),
  costFunction,
]

/**
 * The Kubernetes types (`kubernetes.Quantity`, `net.IP`, `net.CIDR`, `kubernetes.URL`,
 * `kubernetes.Semver`, `kubernetes.NamedFormat`, `optional_type`) as protobuf message types, for
 * `celEnv({ registry: kubernetesCelRegistry })`: without them the functions still work, but a
 * rule cannot name the types (`type(x) == net.IP`).
 *
 * @example
 * celEnv({ funcs: kubernetesCelFunctions, registry: kubernetesCelRegistry })
 */
export const kubernetesCelRegistry: Registry = createRegistry(...opaqueDescs())

// Dotted names the rewrite must leave whole: namespaced functions and type names (the
// Kubernetes types and the protobuf well-known types the engine knows, google.protobuf.Duration).
const qualifiedNames = new Set([
  ...kubernetesCelFunctions.map((f) => f.name).filter((name) => name.includes('.')),
  ...[...celEnv({ registry: kubernetesCelRegistry }).registry]
    .filter((t) => t.kind === 'message')
    .map((t) => t.typeName),
])

/**
 * A parsed rule as the Kubernetes environment runs it: the macros @bufbuild/cel's parser does
 * not expand expanded ({@link expandMacros}), and cost charging inserted
 * ({@link withRuntimeCosts}). Throws cel-go's error for a malformed macro or an expression
 * nested deeper than cel-go's parser allows (250: "max recursion depth exceeded").
 *
 * @example
 * const program = plan(env, prepareRule(parse('self.all(k, v, v > 0)')))
 */
export function prepareRule(parsed: ParsedExpr): ParsedExpr {
  checkDepth(parsed.expr)
  // Costs first, so the nodes the expansion makes are charged as cel-go charges a macro.
  return expandMacros(withRuntimeCosts(parsed))
}

/**
 * A parsed rule rewritten to charge cel-go's cost of identifiers, selections and literals
 * while {@link trackCost} counts (see cost.ts); it evaluates to exactly what `parsed` does.
 *
 * @example
 * const program = plan(celEnv({ funcs: kubernetesCelFunctions }), withRuntimeCosts(parse('self.size() > 1')))
 */
export function withRuntimeCosts(parsed: ParsedExpr): ParsedExpr {
  return withRuntimeCostsOf(parsed, qualifiedNames)
}
