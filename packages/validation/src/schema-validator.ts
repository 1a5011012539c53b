// kube-openapi pkg/validation/validate: SchemaValidator.Validate over a structural schema, as
// apiextensions-apiserver builds it (NewSchemaValidatorForVersion: ConvertJSONSchemaProps with
// StripUnsupportedFormatsPostProcessor). Validators run in NewSchemaValidator's order — type,
// (schema props), string, format, number, slice, common (enum), object — and all of them run,
// so one value can collect several errors.
//
// Values are what the apiserver decodes a JSON body into: an integral number is an int64, any
// other number a float64. Go iterates maps in random order; where the server walks a map
// (properties, object keys) this walks schema order, then object key order.
import { oldAtKey, oldItemFinder, unchanged, type Old } from './correlate.js'
import { compiledRegexp } from './regexp.js'
import { checksFormat, formatValid, keptFormat, runeCount } from './formats.js'
import { goFloat, goNumber, goQuote, goValue } from './go-format.js'
import type { OpenApiError } from './openapi-errors.js'
import { isObject, type Schema } from './schema.js'

const inBody = 'body'

export interface ValidatorContext {
  /** Follows `$ref` / single-`$ref` `allOf` wrappers; returns the schema unchanged otherwise. */
  readonly resolve: (schema: Schema) => Schema
}

// validate.Result: errors, deduplicated by message as Result.AddErrors does, and MatchCount, by
// which anyOf and oneOf pick the failing branch to report.
interface Result {
  readonly errors: OpenApiError[]
  matchCount: number
}

function addErrors(r: Result, errs: readonly OpenApiError[]): void {
  for (const e of errs) if (!r.errors.some((x) => x.message === e.message)) r.errors.push(e)
}

function merge(r: Result, other: Result): void {
  addErrors(r, other.errors)
  r.matchCount += other.matchCount
}

/**
 * Validates `data` at `path` (kube-openapi path text: `spec.items[0].name`, `""` at the root).
 * With `old` (an update), errors ratchet as apiextensions-apiserver pkg/apiserver/validation
 * ratcheting.go ratchetingValueValidator does: the errors of a value equal to its old value
 * (paired as correlate.ts says) are dropped, the server sends them as warnings.
 */
export function validateSchema(
  ctx: ValidatorContext,
  raw: Schema,
  data: unknown,
  path: string,
  old?: Old,
): OpenApiError[] {
  return ratcheted(run(ctx, raw, data, path, old), data, old).errors
}

// ratchetingValueValidator.Validate: a correlated value's result, whose errors become warnings
// when the value did not change.
function ratcheted(result: Result, data: unknown, old: Old | undefined): Result {
  if (old === undefined || result.errors.length === 0 || !unchanged(data, old)) return result
  return { errors: [], matchCount: result.matchCount }
}

// What run reads of a schema node beyond its keywords, worked out once per node.
interface Plan {
  readonly types: readonly string[]
  readonly format: string
  readonly nullable: boolean
  /** Has anyOf (other than int-or-string's), oneOf, allOf or not for schemaPropsResult. */
  readonly composed: boolean
}

const plans = new WeakMap<Schema, Plan>()

function planOf(schema: Schema): Plan {
  let plan = plans.get(schema)
  if (plan === undefined) {
    const types = schemaTypes(schema)
    plan = {
      types,
      format: keptFormat(types.length === 1 ? types[0] : undefined, schema.format),
      nullable: schema.nullable === true,
      composed:
        (!isIntOrStringAnyOf(schema) && (schema.anyOf?.length ?? 0) > 0) ||
        (schema.oneOf?.length ?? 0) > 0 ||
        (schema.allOf?.length ?? 0) > 0 ||
        schema.not !== undefined,
    }
    plans.set(schema, plan)
  }
  return plan
}

// One validator's errors merged into `result`, and its matches and the one SchemaValidator
// counts for running it.
function step(result: Result, errors: readonly OpenApiError[], matches: number): void {
  addErrors(result, errors)
  result.matchCount += matches + 1
}

// SchemaValidator.Validate: each validator that applies, merged and counted, then one more count.
// `old` is the correlated old value; children are validated by ratcheting validators
// (SubPropertyValidator, SubIndexValidator), the composition branches by plain ones whose own
// children ratchet.
function run(ctx: ValidatorContext, raw: Schema, data: unknown, path: string, old?: Old): Result {
  const schema = ctx.resolve(raw)
  const { types, format, nullable, composed } = planOf(schema)
  const result: Result = { errors: [], matchCount: 0 }
  // typeValidator counts one match when the type fits.
  if (data === null || data === undefined) {
    const errors = typeErrors(types, format, nullable, null, path)
    addErrors(result, errors)
    if (errors.length === 0) result.matchCount++
    addErrors(result, enumErrors(schema, null, path))
    return result
  }
  if (types.length > 0 || format !== '') {
    const errors = typeErrors(types, format, nullable, data, path)
    step(result, errors, errors.length === 0 ? 1 : 0)
  }
  // schemaPropsValidator counts one match of its own, whatever its branches find.
  if (composed) {
    const props = schemaPropsResult(ctx, schema, data, path, old)
    step(result, props.errors, props.matchCount)
  } else step(result, [], 1)
  if (typeof data === 'string') {
    step(result, stringErrors(schema, data, path), 0)
    if (format !== '') {
      const errors =
        checksFormat(format) && !formatValid(format, data) ? [invalidType(path, format, data)] : []
      step(result, errors, 0)
    }
  }
  if (typeof data === 'number') step(result, numberErrors(schema, types, format, data, path), 1)
  if (Array.isArray(data)) {
    const slice = sliceResult(ctx, schema, data, path, old)
    step(result, slice.errors, slice.matchCount)
  }
  step(result, enumErrors(schema, data, path), 0)
  if (isObject(data)) {
    const object = objectResult(ctx, schema, data, path, old)
    step(result, object.errors, object.matchCount)
  }
  result.matchCount++
  return result
}

// schema_messages.go: composite errors, which kubeOpenAPIResultToFieldErrors reports at <nil>.
const composite = (message: string): OpenApiError => ({ name: '', value: null, message })

// The published document spells x-kubernetes-int-or-string also as this anyOf (the OpenAPI
// builder adds it); the apiserver validates the CRD's own schema, where the type says it all.
function isIntOrStringAnyOf(s: Schema): boolean {
  const [a, b, ...rest] = s.anyOf ?? []
  return (
    s['x-kubernetes-int-or-string'] === true &&
    rest.length === 0 &&
    a?.type === 'integer' &&
    b?.type === 'string'
  )
}

// schemaPropsValidator.Validate: anyOf, oneOf, allOf, not, each branch at the same path.
function schemaPropsResult(
  ctx: ValidatorContext,
  s: Schema,
  data: unknown,
  path: string,
  old: Old | undefined,
): Result {
  const main: Result = { errors: [], matchCount: 0 }
  const anyOf = isIntOrStringAnyOf(s) ? [] : (s.anyOf ?? [])
  if (anyOf.length > 0) {
    let best: Result | undefined
    let firstSuccess: Result | undefined
    for (const branch of anyOf) {
      const r = run(ctx, branch, data, path, old)
      if (r.errors.length === 0) {
        best = undefined
        firstSuccess = r
        break
      }
      if (best === undefined || r.matchCount > best.matchCount) best = r
    }
    if (firstSuccess === undefined)
      addErrors(main, [composite(`${goQuote(path)} must validate at least one schema (anyOf)`)])
    if (best !== undefined) merge(main, best)
    else if (firstSuccess !== undefined) merge(main, firstSuccess)
  }
  const oneOf = s.oneOf ?? []
  if (oneOf.length > 0) {
    let best: Result | undefined
    let firstSuccess: Result | undefined
    let validated = 0
    for (const branch of oneOf) {
      const r = run(ctx, branch, data, path, old)
      if (r.errors.length === 0) {
        validated++
        best = undefined
        firstSuccess ??= r
        continue
      }
      if (validated === 0 && (best === undefined || r.matchCount > best.matchCount)) best = r
    }
    if (validated !== 1) {
      const found = validated === 0 ? 'Found none valid' : `Found ${validated} valid alternatives`
      addErrors(main, [
        composite(`${goQuote(path)} must validate one and only one schema (oneOf). ${found}`),
      ])
      if (best !== undefined) merge(main, best)
    } else if (firstSuccess !== undefined) merge(main, firstSuccess)
  }
  const allOf = s.allOf ?? []
  if (allOf.length > 0) {
    let validated = 0
    for (const branch of allOf) {
      const r = run(ctx, branch, data, path, old)
      if (r.errors.length === 0) validated++
      merge(main, r)
    }
    if (validated !== allOf.length) {
      addErrors(main, [
        composite(
          `${goQuote(path)} must validate all the schemas (allOf)${validated === 0 ? '. None validated' : ''}`,
        ),
      ])
    }
  }
  if (s.not !== undefined && run(ctx, s.not, data, path, old).errors.length === 0) {
    addErrors(main, [composite(`${goQuote(path)} must not validate the schema (not)`)])
  }
  main.matchCount++
  return main
}

// ConvertJSONSchemaProps: `type` becomes a one-element list; int-or-string is integer,string.
function schemaTypes(schema: Schema): string[] {
  if (schema['x-kubernetes-int-or-string'] === true) return ['integer', 'string']
  return schema.type === undefined || schema.type === '' ? [] : [schema.type]
}

function isInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63
}

// typeValidator.schemaInfoForType for decoded JSON values.
function schemaInfo(data: unknown): [string, string] {
  if (typeof data === 'boolean') return ['boolean', '']
  if (typeof data === 'string') return ['string', '']
  if (typeof data === 'number') return isInt(data) ? ['integer', 'int64'] : ['number', 'float64']
  if (Array.isArray(data)) return ['array', '']
  return ['object', '']
}

// errors.InvalidType: a string value is printed with %q, anything else leaves it out.
function invalidType(path: string, typeName: string, value: unknown): OpenApiError {
  const message =
    typeof value === 'string'
      ? `${path} in ${inBody} must be of type ${typeName}: ${goQuote(value)}`
      : `${path} in ${inBody} must be of type ${typeName}`
  return { code: 'InvalidType', name: path, value, message }
}

// typeValidator.Validate.
function typeErrors(
  types: readonly string[],
  format: string,
  nullable: boolean,
  data: unknown,
  path: string,
): OpenApiError[] {
  if (data === null) {
    return types.length > 0 && !types.includes('null') && !nullable
      ? [invalidType(path, types.join(','), 'null')]
      : []
  }
  const [schType, valueFormat] = schemaInfo(data)
  const isIntFloat = schType === 'integer' && types.includes('number')
  const stringOrSlice = typeof data === 'string' || Array.isArray(data)
  if (
    !stringOrSlice &&
    format !== '' &&
    !(types.includes(schType) || valueFormat === format || isIntFloat)
  ) {
    return [invalidType(path, format, valueFormat)]
  }
  if (!(types.includes('number') || types.includes('integer')) && format !== '' && stringOrSlice)
    return []
  return types.includes(schType) || isIntFloat ? [] : [invalidType(path, types.join(','), schType)]
}

// stringValidator.Validate: the first failing check only; lengths count runes.
function stringErrors(schema: Schema, data: string, path: string): OpenApiError[] {
  // Counting runes walks the string: only when a length is bounded.
  const runes =
    schema.maxLength === undefined && schema.minLength === undefined ? 0 : runeCount(data)
  if (schema.maxLength !== undefined && runes > schema.maxLength) {
    const message = `${path} in ${inBody} should be at most ${schema.maxLength} chars long`
    return [{ code: 'TooLongFail', name: path, value: data, valid: schema.maxLength, message }]
  }
  if (schema.minLength !== undefined && runes < schema.minLength) {
    const message = `${path} in ${inBody} should be at least ${schema.minLength} chars long`
    return [{ code: 'TooShortFail', name: path, value: data, valid: schema.minLength, message }]
  }
  if (schema.pattern !== undefined && schema.pattern !== '') {
    const re = compiledRegexp(schema.pattern)
    if (re instanceof Error) {
      const message = `${path} in ${inBody} should match '${schema.pattern}, but pattern is invalid: ${re.message}'`
      return [{ code: 'PatternFail', name: path, value: data, message }]
    }
    if (!re.test(data)) {
      return [
        {
          code: 'PatternFail',
          name: path,
          value: data,
          message: `${path} in ${inBody} should match '${schema.pattern}'`,
        },
      ]
    }
  }
  return []
}

// IsValueValidAgainstRange: whether a number fits the schema's type and format (int32, float…).
function rangeError(
  n: number,
  typeName: string,
  format: string,
  prefix: string,
  path: string,
): OpenApiError[] {
  let ok = true
  if (typeName === 'integer') {
    // strconv.ParseInt of the number printed with 'f': a fraction never parses.
    ok = isInt(n) && (format === 'int32' ? n >= -(2 ** 31) && n < 2 ** 31 : true)
  } else if (format === 'float') {
    ok = Math.abs(n) <= 3.4028234663852886e38
  }
  if (ok) return []
  const message =
    format !== ''
      ? `${prefix} value must be of type ${typeName} with format ${format} in ${path}`
      : `${prefix} value must be of type ${typeName} (default format) in ${path}`
  return [{ name: path, value: null, message }]
}

// swag.IsFloat64AJSONInteger.
function isJsonInteger(f: number): boolean {
  if (!Number.isFinite(f) || Math.abs(f) > 2 ** 53) return false
  if (Number.isInteger(f)) return true
  const g = Math.trunc(f)
  if (f < 0 || g === 0) return false
  return Math.abs(f - g) / (Math.abs(f) + Math.abs(g)) < 1e-9
}

// numberValidator.Validate: range of the value, then multipleOf, minimum, maximum, each on the
// value's native kind (an int64 value compares with the bound truncated to int64).
function numberErrors(
  schema: Schema,
  types: readonly string[],
  schemaFormat: string,
  n: number,
  path: string,
): OpenApiError[] {
  const typeName =
    types.length === 1 && (types[0] === 'integer' || types[0] === 'number') ? types[0] : ''
  const format = typeName === '' ? '' : schemaFormat
  const errs = rangeError(n, typeName, format, 'Checked', path)
  const int = isInt(n)
  const bound = (b: number): string => (int ? goNumber(Math.trunc(b)) : goFloat(b))
  const multiple: OpenApiError[] = []
  if (schema.multipleOf !== undefined) {
    const checked = rangeError(schema.multipleOf, typeName, format, 'MultipleOf', path)
    multiple.push(...checked)
    const factor = int && checked.length === 0 ? Math.trunc(schema.multipleOf) : schema.multipleOf
    if (factor <= 0) {
      const message = `factor MultipleOf declared for ${path} must be positive: ${int && checked.length === 0 ? goNumber(factor) : goFloat(factor)}`
      multiple.push({ code: 'MultipleOfMustBePositive', name: path, value: factor, message })
    } else {
      const ok =
        int && checked.length === 0
          ? n % factor === 0
          : isJsonInteger(factor < 1 ? (1 / factor) * n : n / factor)
      if (!ok) {
        const shown = int && checked.length === 0 ? goNumber(factor) : goFloat(factor)
        multiple.push({
          code: 'MultipleOfFail',
          name: path,
          value: n,
          message: `${path} in ${inBody} should be a multiple of ${shown}`,
        })
      }
    }
  }
  const minimum: OpenApiError[] = []
  if (schema.minimum !== undefined) {
    const checked = rangeError(schema.minimum, typeName, format, 'Minimum boundary', path)
    minimum.push(...checked)
    const native = int && checked.length === 0
    const min = native ? Math.trunc(schema.minimum) : schema.minimum
    const exclusive = schema.exclusiveMinimum === true
    if (exclusive ? n <= min : n < min) {
      const shown = native ? bound(min) : goFloat(min)
      const message = `${path} in ${inBody} should be greater than ${exclusive ? '' : 'or equal to '}${shown}`
      minimum.push({ code: 'MinFail', name: path, value: n, message })
    }
  }
  const maximum: OpenApiError[] = []
  if (schema.maximum !== undefined) {
    const checked = rangeError(schema.maximum, typeName, format, 'Maximum boundary', path)
    maximum.push(...checked)
    const native = int && checked.length === 0
    const max = native ? Math.trunc(schema.maximum) : schema.maximum
    const exclusive = schema.exclusiveMaximum === true
    if (exclusive ? n >= max : n > max) {
      const shown = native ? bound(max) : goFloat(max)
      const message = `${path} in ${inBody} should be less than ${exclusive ? '' : 'or equal to '}${shown}`
      maximum.push({ code: 'MaxFail', name: path, value: n, message })
    }
  }
  return [...errs, ...multiple, ...minimum, ...maximum]
}

// schemaSliceValidator.Validate: items first, then minItems, maxItems, uniqueItems.
function sliceResult(
  ctx: ValidatorContext,
  schema: Schema,
  data: unknown[],
  path: string,
  old: Old | undefined,
): Result {
  const result: Result = { errors: [], matchCount: 0 }
  const errs: OpenApiError[] = []
  if (schema.items !== undefined) {
    const items = schema.items
    const findOld = oldItemFinder(schema, old)
    data.forEach((item, i) => {
      const itemOld = findOld(item)
      merge(result, ratcheted(run(ctx, items, item, `${path}[${i}]`, itemOld), item, itemOld))
    })
  }
  const size = data.length
  if (schema.minItems !== undefined && size < schema.minItems) {
    const message = `${path} in ${inBody} should have at least ${schema.minItems} items`
    errs.push({ code: 'MinItemsFail', name: path, value: size, valid: schema.minItems, message })
  }
  if (schema.maxItems !== undefined && size > schema.maxItems) {
    const message = `${path} in ${inBody} should have at most ${schema.maxItems} items`
    errs.push({ code: 'MaxItemsFail', name: path, value: size, valid: schema.maxItems, message })
  }
  if (schema.uniqueItems === true && hasDuplicates(data)) {
    errs.push({
      code: 'UniqueFail',
      name: path,
      value: null,
      message: `${path} in ${inBody} shouldn't contain duplicates`,
    })
  }
  addErrors(result, errs)
  result.matchCount++
  return result
}

function hasDuplicates(data: unknown[]): boolean {
  const seen = new Set<string>()
  for (const v of data) {
    const key = canonical(v)
    if (seen.has(key)) return true
    seen.add(key)
  }
  return false
}

// reflect.DeepEqual on decoded JSON, as a canonical text (map keys sorted).
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']'
  if (isObject(v)) {
    return (
      '{' +
      Object.keys(v)
        .sort()
        .map((k) => JSON.stringify(k) + ':' + canonical(v[k]))
        .join(',') +
      '}'
    )
  }
  return JSON.stringify(v) ?? 'null'
}

// basicCommonValidator.Validate: a value equal to one of the enum values passes.
function enumErrors(schema: Schema, data: unknown, path: string): OpenApiError[] {
  const values = schema.enum
  if (values === undefined || values.length === 0) return []
  if (data !== null) {
    const key = canonical(data)
    if (values.some((v) => v !== null && canonical(v) === key)) return []
  }
  const message = `${path} in ${inBody} should be one of ${goValue(values)}`
  return [{ code: 'EnumFail', name: path, value: data, values, message }]
}

// Each schema's property names and their places, found once per schema node.
const propertyOrders = new WeakMap<Schema, Map<string, number>>()

// The properties of the schema the object has, in the schema's order (as objectValidator walks
// them): found from the object's keys, as an object holds few of the properties a schema (a
// PodSpec, a Container) declares; most objects list them in that order already.
function presentProperties(
  schema: Schema,
  properties: Readonly<Record<string, Schema>>,
  keys: readonly string[],
): string[] {
  let order = propertyOrders.get(schema)
  if (order === undefined) {
    order = new Map(Object.keys(properties).map((k, i) => [k, i]))
    propertyOrders.set(schema, order)
  }
  const present: string[] = []
  let last = -1
  let sorted = true
  for (const k of keys) {
    const place = order.get(k)
    if (place === undefined) continue
    if (place < last) sorted = false
    last = place
    present.push(k)
  }
  if (sorted) return present
  const known = order
  return present.sort((a, b) => (known.get(a) as number) - (known.get(b) as number))
}

// A property's result, ratcheted against the old object's value under the same key
// (isTypeMetaField: apiVersion and kind of the root are never ratcheted).
function child(
  ctx: ValidatorContext,
  schema: Schema,
  data: Record<string, unknown>,
  k: string,
  childPath: string,
  path: string,
  old: Old | undefined,
): Result {
  const childOld =
    old === undefined || (path === '' && (k === 'apiVersion' || k === 'kind'))
      ? undefined
      : oldAtKey(old, k)
  return ratcheted(run(ctx, schema, data[k], childPath, childOld), data[k], childOld)
}

// objectValidator.Validate: property counts, additionalProperties, properties, then required.
// objectValidator.Validate counts no match of its own, only its properties'.
function objectResult(
  ctx: ValidatorContext,
  schema: Schema,
  data: Record<string, unknown>,
  path: string,
  old: Old | undefined,
): Result {
  const result: Result = { errors: [], matchCount: 0 }
  const errs = { push: (e: OpenApiError): void => addErrors(result, [e]) }
  const keys = Object.keys(data)
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
    const message = `${path} in ${inBody} should have at least ${schema.minProperties} properties`
    errs.push({
      code: 'TooFewProperties',
      name: path,
      value: keys.length,
      valid: schema.minProperties,
      message,
    })
  }
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
    const message = `${path} in ${inBody} should have at most ${schema.maxProperties} properties`
    errs.push({
      code: 'TooManyProperties',
      name: path,
      value: keys.length,
      valid: schema.maxProperties,
      message,
    })
  }
  const properties = schema.properties ?? {}
  const known = (k: string): boolean => Object.hasOwn(properties, k)
  const additional = schema.additionalProperties
  if (additional === false) {
    for (const k of keys.filter((k) => !known(k))) {
      errs.push({
        code: 'UnallowedProperty',
        name: path,
        value: k,
        message: `${path}.${k} in ${inBody} is a forbidden property`,
      })
    }
  } else if (typeof additional === 'object') {
    for (const k of keys.filter((k) => !known(k))) {
      merge(result, child(ctx, additional, data, k, `${path}.${k}`, path, old))
    }
  }
  for (const name of presentProperties(schema, properties, keys)) {
    const propertySchema = properties[name] as Schema
    const childPath = path === '' ? name : `${path}.${name}`
    merge(result, child(ctx, propertySchema, data, name, childPath, path, old))
  }
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(data, name)) {
      errs.push({
        code: 'RequiredFail',
        name: `${path}.${name}`,
        value: null,
        message: `${path}.${name} in ${inBody} is required`,
      })
    }
  }
  return result
}
