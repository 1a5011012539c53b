// apiextensions-apiserver pkg/apiserver/schema/cel/compilation.go Compile: each rule of a schema
// node compiled once (cached by the node), with `self` and `oldSelf` (optional under
// `optionalOldSelf`), whether it reads oldSelf (a transition rule), its messageExpression and
// its fieldPath normalised by ValidFieldPath. @bufbuild/cel has no public type checker, so a rule
// is parsed and planned without one: what cel-go's checker refuses when a CRD is created
// (undeclared fields, a non-bool result) shows up here only when the rule runs.
import {
  celEnv,
  isCelError,
  type CelFunc,
  celFunc,
  celMethod,
  celError,
  celMap,
  CelScalar,
  parse,
  plan,
  type CelResult,
  type CelValue,
} from '@bufbuild/cel'
import type { Schema, ValidationRule } from '../schema.js'
import { normalizedFieldPath } from './field-path.js'
import { kubernetesCelFunctions } from './library/index.js'
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

// cel-go's optional type: optionalOldSelf binds oldSelf as optional.of(old) or optional.none().
// When the function set has optional types (cel.OptionalTypes() is in the Kubernetes
// environment), oldSelf is made by its own `optional.of` and `optional.none`, so its `hasValue`,
// `value`, `orValue` and `or` take it; otherwise by these, an empty map only they recognise.
const optionals = new WeakMap<object, { readonly value?: CelValue }>()
function ownOptionalOf(value: CelValue | undefined): CelValue {
  const o = celMap(new Map())
  optionals.set(o, value === undefined ? {} : { value })
  return o
}
function optionalState(target: CelValue): { readonly value?: CelValue } {
  const state = typeof target === 'object' && target !== null ? optionals.get(target) : undefined
  if (state === undefined) throw celError('no such overload')
  return state
}

const { DYN, BOOL } = CelScalar
const ownOptionalFunctions = [
  celFunc('optional.none', [], DYN, () => ownOptionalOf(undefined)),
  celFunc('optional.of', [DYN], DYN, (v) => ownOptionalOf(v)),
  celMethod('hasValue', DYN, [], BOOL, function () {
    return Object.hasOwn(optionalState(this), 'value')
  }),
  celMethod('value', DYN, [], DYN, function () {
    const state = optionalState(this)
    if (!Object.hasOwn(state, 'value')) throw celError('optional.none() dereference')
    return state.value ?? null
  }),
  celMethod('orValue', DYN, [DYN], DYN, function (other) {
    const state = optionalState(this)
    return Object.hasOwn(state, 'value') ? (state.value ?? null) : other
  }),
]

const libraryFunction = (name: string): CelFunc | undefined =>
  kubernetesCelFunctions.find((f) => f.name === name && f.target === undefined)
const libraryOf = libraryFunction('optional.of')
const libraryNone = libraryFunction('optional.none')

/** The value of `oldSelf` for an optionalOldSelf rule: optional.of(old), or optional.none(). */
export function optionalOf(value: CelValue | undefined): CelValue {
  if (libraryOf !== undefined && libraryNone !== undefined) {
    const made =
      value === undefined
        ? libraryNone.call(0, undefined, [])
        : libraryOf.call(0, undefined, [value])
    if (made !== undefined && !isCelError(made)) return made
  }
  return ownOptionalOf(value)
}

const environmentFunctions = [
  ...kubernetesCelFunctions,
  // Kubernetes' equality of list-type set and map lists (values.ts).
  celFunc('_==_', [DYN, DYN], BOOL, kubernetesEquals),
  celFunc('_!=_', [DYN, DYN], BOOL, (a, b) => !kubernetesEquals(a, b)),
  ...(libraryOf === undefined ? ownOptionalFunctions : []),
]
const environment = celEnv({ funcs: environmentFunctions })

function compileExpression(source: string): Program {
  return plan(environment, parse(source))
}

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
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(rule.rule)
  } catch (e) {
    const error = `compilation failed: ${e instanceof Error ? e.message : String(e)}`
    return { rule, error, usesOldSelf: false, fieldPath }
  }
  const program = plan(environment, parsed) as Program
  let messageExpression: Program | undefined
  if (rule.messageExpression !== undefined && rule.messageExpression !== '') {
    try {
      messageExpression = compileExpression(rule.messageExpression)
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
