// apiextensions-apiserver pkg/apiserver/schema/cel/validation.go Validator.Validate: the
// x-kubernetes-validations rules of every schema node, evaluated at every value of the object
// the node describes (each item of an array, each value of a map), parents before children,
// allOf branches after the node's own rules. On an update each value is paired with its old
// value (by map key, and by key fields in an x-kubernetes-list-type map list: validateMap,
// validateArray, maplist.go); transition rules (those reading oldSelf) run only where an old
// value exists, unless optionalOldSelf. With ratcheting (CRDValidationRatcheting, on since
// 1.30), a rule without oldSelf that fails on a value equal to its old value is dropped (the
// server sends it as a warning).
import { isCelError, type CelValue } from '@bufbuild/cel'
import {
  duplicate,
  forbidden,
  invalid,
  omitted,
  required,
  type FieldError,
} from '../field-error.js'
import { oldAtKey, oldItemFinder, unchanged } from '../correlate.js'
import { isObject, type Schema } from '../schema.js'
import { compileRules, optionalOf, type CompiledRule } from './compile.js'
import {
  costLimitExceededMessage,
  perCallLimit,
  runtimeCelCostBudget,
  trackCost,
} from './library/index.js'
import { CelConverter, escapeFieldName, hasCelType, ruleSchema } from './values.js'

type Resolve = (schema: Schema) => Schema

/** An old value paired with the new one, for ratcheting (common.CorrelatedObject). */
interface Correlation {
  readonly value: unknown
  readonly old: unknown
}

// ratchetingOptions: the node's own correlation, else its nearest correlated ancestor's.
interface Ratchet {
  readonly current?: Correlation | undefined
  readonly parent?: Correlation | undefined
}

const deepEqual = (c: Correlation): boolean => unchanged(c.value, { value: c.old })

function shouldRatchet(r: Ratchet): boolean {
  if (r.current !== undefined) return deepEqual(r.current)
  return r.parent !== undefined && deepEqual(r.parent)
}

// validation.go ratchetingOptions.key / index.
function ratchetKey(r: Ratchet, key: string, value: unknown, old: unknown): Ratchet {
  if (r.current === undefined) return r
  if (r.parent === undefined && (key === 'apiVersion' || key === 'kind')) return {}
  return { current: old === undefined ? undefined : { value, old }, parent: r.current }
}

function ratchetIndex(r: Ratchet, value: unknown, old: unknown): Ratchet {
  if (r.current === undefined) return r
  return { current: old === undefined ? undefined : { value, old }, parent: r.current }
}

interface Walk {
  readonly resolve: Resolve
  readonly converter: CelConverter
  readonly errs: FieldError[]
  /** What is left of the object's cost budget (validation.go remainingBudget). */
  remaining: number
  /** Set once a rule ran out of cost: no further rule runs (remainingBudget < 0). */
  stopped: boolean
}

/**
 * The errors of every `x-kubernetes-validations` rule under `schema` for `obj` (the pruned,
 * defaulted object), with `oldObj` on an update; the rules share `budget`
 * (RuntimeCELCostBudget, as strategy.go passes it).
 */
export function validateRules(
  resolve: Resolve,
  schema: Schema,
  obj: unknown,
  oldObj?: unknown,
  budget = runtimeCelCostBudget,
): FieldError[] {
  const walk: Walk = {
    resolve,
    converter: new CelConverter(resolve),
    errs: [],
    remaining: budget,
    stopped: false,
  }
  const ratchet: Ratchet = oldObj === undefined ? {} : { current: { value: obj, old: oldObj } }
  validate(walk, schema, schema, true, '', obj, oldObj, ratchet)
  return walk.errs
}

const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`)

const withRules = new WeakMap<Schema, boolean>()

// validation.go hasXValidations: whether any rule sits at or under this schema (cached: the walk
// asks at every value).
export function hasRules(resolve: Resolve, raw: Schema, depth = 0): boolean {
  const cached = withRules.get(raw)
  if (cached !== undefined) return cached
  const s = resolve(raw)
  if (depth > 100) return false
  const found =
    (s['x-kubernetes-validations'] ?? []).length > 0 ||
    (s.items !== undefined && hasRules(resolve, s.items, depth + 1)) ||
    (typeof s.additionalProperties === 'object' &&
      hasRules(resolve, s.additionalProperties, depth + 1)) ||
    s.allOf?.some((b) => hasRules(resolve, b, depth + 1)) === true ||
    Object.values(s.properties ?? {}).some((p) => hasRules(resolve, p, depth + 1))
  withRules.set(raw, found)
  return found
}

// Validator.validate: this node's rules, its allOf branches, then its items or properties.
function validate(
  walk: Walk,
  rawValidation: Schema,
  rawNode: Schema,
  isResourceRoot: boolean,
  path: string,
  obj: unknown,
  oldObj: unknown,
  ratchet: Ratchet,
): void {
  if (walk.stopped || obj === null || obj === undefined) return
  const { resolve } = walk
  const vs = resolve(rawValidation)
  const ns = resolve(rawNode)
  if (!hasRules(resolve, vs)) return
  validateExpressions(walk, vs, ns, isResourceRoot, path, obj, oldObj, ratchet)
  for (const branch of vs.allOf ?? []) {
    // allOf errors are not ratcheted (ratchetingOptions without a current correlation).
    validate(walk, branch, ns, isResourceRoot, path, obj, oldObj, { parent: ratchet.parent })
  }
  if (Array.isArray(obj)) {
    if (vs.items === undefined || ns.items === undefined) return
    const items = resolve(ns.items)
    const findOld = oldItemFinder(ns, oldObj === undefined ? undefined : { value: oldObj })
    obj.forEach((item, i) => {
      const old = findOld(item)?.value
      validate(
        walk,
        vs.items!,
        items,
        items['x-kubernetes-embedded-resource'] === true,
        `${path}[${i}]`,
        item,
        old,
        ratchetIndex(ratchet, item, old),
      )
    })
    return
  }
  if (!isObject(obj)) return
  const oldMap = oldObj !== undefined && correlatableMap(ns) ? { value: oldObj } : undefined
  const nodeAdditional =
    typeof ns.additionalProperties === 'object' ? ns.additionalProperties : undefined
  if (typeof vs.additionalProperties === 'object' && nodeAdditional !== undefined) {
    const additional = resolve(nodeAdditional)
    for (const [k, v] of Object.entries(obj)) {
      const old = oldAtKey(oldMap, k)?.value
      validate(
        walk,
        vs.additionalProperties,
        additional,
        additional['x-kubernetes-embedded-resource'] === true,
        `${path}[${k}]`,
        v,
        old,
        ratchetKey(ratchet, k, v, old),
      )
    }
  }
  if (vs.properties !== undefined && ns.properties !== undefined) {
    for (const [k, v] of Object.entries(obj)) {
      const validationProperty = Object.hasOwn(vs.properties, k) ? vs.properties[k] : undefined
      const nodeProperty = Object.hasOwn(ns.properties, k) ? ns.properties[k] : undefined
      if (validationProperty === undefined || nodeProperty === undefined) continue
      // validator(): fields CEL has no type for are left out of CEL validation entirely.
      if (escapeFieldName(k) !== undefined && !hasCelType(resolve, nodeProperty)) continue
      const property = resolve(nodeProperty)
      const old = oldAtKey(oldMap, k)?.value
      validate(
        walk,
        validationProperty,
        property,
        property['x-kubernetes-embedded-resource'] === true,
        join(path, k),
        v,
        old,
        ratchetKey(ratchet, k, v, old),
      )
    }
  }
}

// MapIsCorrelatable: granular (the default) and atomic maps pair old values by key.
function correlatableMap(s: Schema): boolean {
  const mapType = s['x-kubernetes-map-type']
  return mapType === undefined || mapType === 'granular' || mapType === 'atomic'
}

// validation.go ruleErrorString and ruleMessageOrDefault.
const ruleErrorString = (r: CompiledRule['rule']): string =>
  (r.message ?? '').length > 0 ? r.message!.trim() : r.rule.trim()
const ruleMessageOrDefault = (r: CompiledRule['rule']): string =>
  (r.message ?? '').length > 0 ? r.message!.trim() : `failed rule: ${ruleErrorString(r)}`

// cel-go's texts for the runtime errors @bufbuild/cel words its own way (evaluating a rule);
// those of a function (overflow, division by zero) the library's call wrapper already rewords
// (library/cost.ts celGoWording).
function celGoErrorText(message: string): string {
  const field = /^field not found: (.*)$/.exec(message)
  if (field !== null) return `no such key: ${field[1]}`
  const index = /^index (\S+) out of bounds/.exec(message)
  if (index !== null) return `index out of bounds: ${index[1]}`
  if (/^found no matching overload|^unbound function/.test(message)) return 'no such overload'
  return message
}

// validation.go fieldErrorForReason.
function fieldErrorForReason(
  path: string,
  value: unknown,
  detail: string,
  reason: string | undefined,
): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return forbidden(path, detail)
    case 'FieldValueRequired':
      return required(path, detail)
    case 'FieldValueDuplicate':
      return duplicate(path, value)
    case undefined:
    default:
      return invalid(path, value, detail)
  }
}

type Evaluated =
  { readonly value: CelValue } | { readonly error: string } | { readonly stop: 'call' | 'budget' }

// One evaluation under cel-go's cost limit (compilation.go: cel.CostLimit(PerCallLimit)), its
// cost taken from the object's budget (validateExpressions, evalMessageExpression): a cost past
// what is left of the budget is "running out of cost budget", checked before the per-call
// limit's error ("operation cancelled: actual cost limit exceeded"), as the server checks.
function evaluate(
  walk: Walk,
  program: NonNullable<CompiledRule['program']>,
  bindings: Record<string, CelValue>,
): Evaluated {
  const { value, cost, exceeded } = trackCost(
    () => program(bindings),
    Math.min(perCallLimit, walk.remaining),
  )
  if (cost > walk.remaining) return { stop: 'budget' }
  walk.remaining -= cost
  if (exceeded) return { stop: 'call' }
  if (isCelError(value)) return { error: celGoErrorText(value.message) }
  return { value }
}

const outOfBudget =
  'validation failed due to running out of cost budget, no further validation rules will be run'

// An error after which no further rule runs (validateExpressions returns a negative budget).
function stopWith(walk: Walk, field: string, type: string, detail: string): void {
  walk.errs.push(invalid(field, type, detail))
  walk.stopped = true
}

// validation.go validateExpressions.
function validateExpressions(
  walk: Walk,
  vs: Schema,
  ns: Schema,
  isResourceRoot: boolean,
  path: string,
  obj: unknown,
  oldObj: unknown,
  ratchet: Ratchet,
): void {
  const rules = vs['x-kubernetes-validations'] ?? []
  if (rules.length === 0) return
  const errs = walk.errs
  const type = ns.type ?? ''
  // A nil field.Path (the rule sits on the resource root) prints as <nil>.
  const nodePath = path === '' ? '<nil>' : path
  if (!hasCelType(walk.resolve, ns)) {
    errs.push(
      invalid(
        nodePath,
        type,
        'rule compiler initialization error: failed to convert to declType for CEL validation rules',
      ),
    )
    return
  }
  if (walk.remaining <= 0) {
    stopWith(walk, nodePath, type, outOfBudget)
    return
  }
  const sts = ruleSchema(walk.resolve, ns, isResourceRoot)
  const self = walk.converter.toCel(obj, sts)
  const hasOld = oldObj !== null && oldObj !== undefined
  const oldSelf = hasOld ? walk.converter.toCel(oldObj, sts) : undefined
  const activation: Record<string, CelValue> = oldSelf === undefined ? { self } : { self, oldSelf }
  for (const compiled of compileRules(vs, ns)) {
    const { rule } = compiled
    if (compiled.error !== undefined) {
      errs.push(invalid(nodePath, type, `rule compile error: ${compiled.error}`))
      continue
    }
    if (compiled.program === undefined) continue
    const optionalOldSelf = rule.optionalOldSelf === true
    if (compiled.usesOldSelf && !hasOld && !optionalOldSelf) continue
    const bindings = optionalOldSelf ? { self, oldSelf: optionalOf(oldSelf) } : activation
    const result = evaluate(walk, compiled.program, bindings)
    if ('stop' in result) {
      stopWith(
        walk,
        nodePath,
        type,
        result.stop === 'call'
          ? `'${costLimitExceededMessage}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(rule)}`
          : outOfBudget,
      )
      return
    }
    if ('error' in result) {
      errs.push(
        invalid(
          nodePath,
          type,
          result.error === 'no such overload'
            ? `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`
            : `${result.error} evaluating rule: ${ruleErrorString(rule)}`,
        ),
      )
      continue
    }
    if (result.value === true) continue
    const fieldPath = compiled.fieldPath === '' ? nodePath : join(path, compiled.fieldPath)
    let detail = ruleMessageOrDefault(rule)
    if (compiled.messageExpression !== undefined) {
      const message = evaluate(walk, compiled.messageExpression, activation)
      if ('stop' in message) {
        stopWith(
          walk,
          fieldPath,
          type,
          message.stop === 'call'
            ? `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(rule.messageExpression)}`
            : 'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run',
        )
        return
      }
      // evalMessageExpression: a string, trimmed, non-empty, at most 5 KiB, on one line;
      // anything else keeps the rule's message.
      if ('value' in message && typeof message.value === 'string') {
        const text = message.value.trim()
        if (
          text !== '' &&
          !text.includes('\n') &&
          new TextEncoder().encode(text).length <= 5 * 1024
        )
          detail = text
      }
    }
    const value = type === 'object' || type === 'array' ? omitted : obj
    const e = fieldErrorForReason(fieldPath, value, detail, rule.reason)
    // A rule without oldSelf failing on an unchanged value is ratcheted (a warning).
    if (!compiled.usesOldSelf && shouldRatchet(ratchet)) continue
    errs.push(e)
  }
}
