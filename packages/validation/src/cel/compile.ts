// apiextensions-apiserver pkg/apiserver/schema/cel/compilation.go Compile: each rule of a schema
// node compiled once (cached by the node), with `self` and `oldSelf` (optional under
// `optionalOldSelf`), whether it reads oldSelf (a transition rule), its messageExpression and
// its fieldPath normalised by ValidFieldPath. @bufbuild/cel has no public type checker, so a rule
// is parsed and planned without one: what cel-go's checker refuses when a CRD is created
// (undeclared fields, a non-bool result) shows up here only when the rule runs.
import {
  celEnv,
  celFunc,
  CelScalar,
  isCelError,
  parse,
  plan,
  type CelFunc,
  type CelResult,
  type CelValue,
} from '@bufbuild/cel'
import type { ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js'
import type { Schema, ValidationRule } from '../schema.js'
import { normalizedFieldPath } from './field-path.js'
import {
  kubernetesCelFunctions,
  kubernetesCelRegistry,
  prepareRule,
  withCallCosts,
} from './library/index.js'
import { kubernetesEquals } from './values.js'

type Program = (bindings: Record<string, CelValue>) => CelResult

export interface CompiledRule {
  readonly rule: ValidationRule
  /** Undefined for an empty rule, which the server skips. */
  readonly program?: Program
  readonly error?: string
  readonly usesOldSelf: boolean
  readonly messageExpression?: Program
  /** ValidFieldPath(rule.fieldPath).String(), or '' without a usable fieldPath. */
  readonly fieldPath: string
}

// compilation.go: optionalOldSelf binds oldSelf as cel-go's optional.of(old) or optional.none();
// made by the library's own functions, so its hasValue, value, orValue and or take it.
const optionalFunction = (name: string): CelFunc => {
  const found = kubernetesCelFunctions.find((f) => f.name === name && f.target === undefined)
  if (found === undefined) throw new Error(`the Kubernetes CEL functions have no ${name}`)
  return found
}
const libraryOf = optionalFunction('optional.of')
const libraryNone = optionalFunction('optional.none')

/** The value of `oldSelf` for an optionalOldSelf rule: optional.of(old), or optional.none(). */
export function optionalOf(value: CelValue | undefined): CelValue {
  const made =
    value === undefined ? libraryNone.call(0, undefined, []) : libraryOf.call(0, undefined, [value])
  if (made === undefined || isCelError(made)) throw new Error('optional.of refused a value')
  return made
}

const { DYN, BOOL } = CelScalar

// The environment of stored CRD rules (k8s.io/apiserver pkg/cel/environment/base.go, see
// library/index.ts), with Kubernetes' equality of list-type set and map lists (values.ts)
// replacing the engine's `==` and `!=`: charged as cel-go charges them, like every function.
const environment = celEnv({
  funcs: [
    ...kubernetesCelFunctions,
    ...withCallCosts([
      celFunc('_==_', [DYN, DYN], BOOL, kubernetesEquals),
      celFunc('_!=_', [DYN, DYN], BOOL, (a, b) => !kubernetesEquals(a, b)),
    ]),
  ],
  registry: kubernetesCelRegistry,
})

// The rule as the Kubernetes environment runs it: macros @bufbuild/cel's parser leaves as calls
// (two-variable comprehensions, sortBy) expanded, and cel-go's cost of identifiers, selections
// and literals charged (library/index.ts prepareRule). Throws cel-go's parse errors.
const planned = (parsed: ParsedExpr): Program => plan(environment, prepareRule(parsed))

// compilation.go: UsesOldSelf is read from the checked reference map; here, any identifier
// `oldSelf` in the parsed expression.
function mentionsOldSelf(node: unknown, depth = 0): boolean {
  if (typeof node !== 'object' || node === null || depth > 200) return false
  const n = node as { case?: unknown; value?: { name?: unknown } }
  if (n.case === 'identExpr' && n.value?.name === 'oldSelf') return true
  return Object.values(node).some((child) => mentionsOldSelf(child, depth + 1))
}

const cache = new WeakMap<Schema, CompiledRule[]>()

/** The compiled rules of one schema node (empty when it has none). */
export function compileRules(validationSchema: Schema, nodeSchema: Schema): CompiledRule[] {
  let compiled = cache.get(validationSchema)
  if (compiled !== undefined) return compiled
  compiled = (validationSchema['x-kubernetes-validations'] ?? []).map((rule) =>
    compileRule(rule, nodeSchema),
  )
  cache.set(validationSchema, compiled)
  return compiled
}

function compileRule(rule: ValidationRule, nodeSchema: Schema): CompiledRule {
  const fieldPath =
    rule.fieldPath === undefined || rule.fieldPath === ''
      ? ''
      : (normalizedFieldPath(rule.fieldPath, nodeSchema) ?? '')
  if (typeof rule.rule !== 'string' || rule.rule.trim() === '')
    return { rule, usesOldSelf: false, fieldPath }
  let parsed: ParsedExpr
  let program: Program
  try {
    parsed = parse(rule.rule)
    program = planned(parsed)
  } catch (e) {
    const error = `compilation failed: ${e instanceof Error ? e.message : String(e)}`
    return { rule, error, usesOldSelf: false, fieldPath }
  }
  let messageExpression: Program | undefined
  if (rule.messageExpression !== undefined && rule.messageExpression !== '') {
    try {
      messageExpression = planned(parse(rule.messageExpression))
    } catch {
      // compilation.go: a messageExpression that does not compile leaves the rule's message.
      messageExpression = undefined
    }
  }
  return {
    rule,
    program,
    usesOldSelf: mentionsOldSelf(parsed.expr),
    ...(messageExpression === undefined ? {} : { messageExpression }),
    fieldPath,
  }
}
