/**
 * The parts of an OpenAPI v3 schema object that validation reads (the structural-schema keywords
 * of apiextensions `JSONSchemaProps`, plus `$ref`/`allOf` as published documents wrap references).
 *
 * @example
 * const s: Schema = { type: 'object', required: ['spec'], properties: { spec: { type: 'object' } } }
 */
export interface Schema {
  readonly type?: string
  readonly format?: string
  readonly nullable?: boolean
  readonly default?: unknown
  readonly enum?: readonly unknown[]
  readonly required?: readonly string[]
  readonly maximum?: number
  readonly minimum?: number
  readonly exclusiveMaximum?: boolean
  readonly exclusiveMinimum?: boolean
  readonly multipleOf?: number
  readonly maxLength?: number
  readonly minLength?: number
  readonly pattern?: string
  readonly maxItems?: number
  readonly minItems?: number
  readonly uniqueItems?: boolean
  readonly maxProperties?: number
  readonly minProperties?: number
  readonly properties?: Readonly<Record<string, Schema>>
  readonly additionalProperties?: boolean | Schema
  readonly items?: Schema
  readonly allOf?: readonly Schema[]
  readonly anyOf?: readonly Schema[]
  readonly oneOf?: readonly Schema[]
  readonly not?: Schema
  readonly $ref?: string
  readonly 'x-kubernetes-int-or-string'?: boolean
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean
  readonly 'x-kubernetes-embedded-resource'?: boolean
  readonly 'x-kubernetes-list-type'?: string
  readonly 'x-kubernetes-list-map-keys'?: readonly string[]
  readonly 'x-kubernetes-map-type'?: string
  readonly 'x-kubernetes-validations'?: readonly ValidationRule[]
}

/**
 * One `x-kubernetes-validations` entry: a CEL `rule` and how its failure is reported.
 *
 * @example
 * const rule: ValidationRule = { rule: 'self.min <= self.max', message: 'min must not exceed max' }
 */
export interface ValidationRule {
  readonly rule: string
  readonly message?: string
  readonly messageExpression?: string
  /** FieldValueInvalid (the default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate. */
  readonly reason?: string
  /** A path relative to the rule's node (`.spec.x`, `.labels['a.b']`) the failure is reported at. */
  readonly fieldPath?: string
  /** Run the transition rule on a create too, with `oldSelf` an optional (`oldSelf.hasValue()`). */
  readonly optionalOldSelf?: boolean
}

/** A JSON object as decoded from a request body. */
export type JsonObject = Record<string, unknown>

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Sets a field of a decoded object as its own property, whatever its name: a body's
 * `"__proto__"` is an ordinary field to the server (a Go map key), and assigning it would set the
 * JavaScript object's prototype instead.
 */
export function setField(o: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true })
  else o[key] = value
}

/**
 * Whether `here` holds at a resolved schema node or anywhere below it (its properties,
 * additionalProperties or items), found once per node and kept in `cache`. A node met again while
 * its own answer is being found (a recursive schema) counts as holding: an answer may say "look"
 * where there is nothing, never "skip" where there is something.
 */
export function holdsAtOrBelow(
  cache: WeakMap<Schema, boolean>,
  resolve: (s: Schema) => Schema,
  s: Schema,
  here: (s: Schema) => boolean,
): boolean {
  const cached = cache.get(s)
  if (cached !== undefined) return cached
  cache.set(s, true)
  const below = (child: Schema | undefined): boolean =>
    child !== undefined && holdsAtOrBelow(cache, resolve, resolve(child), here)
  const found =
    here(s) ||
    below(typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined) ||
    below(s.items) ||
    Object.values(s.properties ?? {}).some(below)
  cache.set(s, found)
  return found
}

/**
 * The `$ref` a schema stands for: its own, or that of the `{ allOf: [{ $ref }], default,
 * description }` wrapper published documents put around a reference.
 */
export function referenceOf(s: Schema): string | undefined {
  return s.$ref ?? (s.allOf?.length === 1 && s.type === undefined ? s.allOf[0]?.$ref : undefined)
}
