// The Kubernetes normalization layer: rewrites a served schema into one openapi-typescript turns
// into the right TypeScript. openapi-typescript's defaults are wrong for Kubernetes in known ways
// (empty objects become `Record<string, never>`, `int-or-string` becomes `string`, `$ref` becomes
// `components["schemas"][…]`), so this pass resolves those before the engine sees the schema.
import { CodegenError } from './errors.js'
import type { Schema } from './types.js'
import { RULES_KEY, validationTags } from './validation-doc.js'

/** Marker `type` values the engine's `transform` hook turns into TypeScript (see emit-module). */
export const REF_TYPE = 'x-k8s-codegen-ref'
export const OPEN_TYPE = 'x-k8s-codegen-open'
export const REF_KEY = 'x-k8s-codegen-ref'
export const LITERAL_TYPE = 'x-k8s-codegen-literal'
export const LITERALS_KEY = 'x-k8s-codegen-literals'
/** On a ref marker: the items of a List, which the server sends without apiVersion and kind. */
export const LIST_ITEM_KEY = 'x-k8s-codegen-list-item'
/**
 * On an object of a CRD schema: the apiserver drops a null from its non-nullable fields before
 * defaulting and validation (apiextensions-apiserver pkg/apiserver/schema/defaulting/prunenulls.go
 * PruneNonNullableNullsWithoutDefaults, called by customresource_handler.go), so an optional field
 * (and a map value) may be sent as null.
 */
export const NULLS_PRUNED_KEY = 'x-k8s-codegen-nulls-pruned'

export interface NormalizeContext {
  /** True when the schema name is defined by some input document. */
  has(name: string): boolean
  docs: boolean
  /** Full name of `ObjectMeta` when present, for embedded resources. */
  objectMeta: string | undefined
  /**
   * True for the schemas of a CRD group-version, where the apiserver prunes nulls and applies
   * OpenAPI defaults before it validates: a required field with a default is optional there,
   * and an optional field accepts null, there and only there.
   */
  appliesDefaults: boolean
}

const REF_PREFIXES = ['#/components/schemas/', '#/definitions/']

/** The schema name a `$ref` points at, or undefined when it is not a local schema reference. */
export function refName(ref: string): string | undefined {
  for (const prefix of REF_PREFIXES) {
    if (!ref.startsWith(prefix)) continue
    const name = ref.slice(prefix.length)
    // A JSON pointer in a URI fragment is percent-encoded; a lone '%' is left as it is.
    try {
      return decodeURIComponent(name)
    } catch {
      return name
    }
  }
  return undefined
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// Formats worth a JSDoc note: the wire type stays `string`.
const NOTED_FORMATS = new Set(['date-time', 'byte'])

// Enums the server publishes become literal unions (sorted, so member order is stable).
function literalEnum(schema: Schema): (string | number)[] | undefined {
  const values = schema.enum
  if (!Array.isArray(values) || values.length === 0 || schema.type === 'object') return undefined
  return values.every((v) => typeof v === 'string' || typeof v === 'number')
    ? [...values].sort()
    : undefined
}

function annotations(schema: Schema, ctx: NormalizeContext): Schema {
  const out: Schema = {}
  if (ctx.docs && typeof schema.description === 'string' && schema.description !== '') {
    out.description = schema.description
  }
  if (ctx.docs) {
    const rules = validationTags(schema, literalEnum(schema) !== undefined)
    if (rules.length > 0) out[RULES_KEY] = rules
  }
  if (typeof schema.format === 'string' && NOTED_FORMATS.has(schema.format))
    out.format = schema.format
  if (schema.deprecated === true) out.deprecated = true
  return out
}

// Whether a default makes a required field optional in what users write. Only where the server
// applies OpenAPI defaults before it validates: the structural schemas of CRDs
// (apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go Default, run by the CRD
// handler's decoder before validation). kube-openapi writes `default: ""`, `0`, `false` or `{}`
// beside `required` on built-in fields as Go zero-value markers (kube-openapi
// pkg/generators/openapi.go mustEnforceDefault); kube-apiserver never applies them to built-ins,
// it runs Go defaulting and then validation, which refuses a container without a name.
function defaulted(schema: unknown, ctx: NormalizeContext): boolean {
  return ctx.appliesDefaults && isObject(schema) && schema.default !== undefined
}

/**
 * Normalizes one schema (recursively). `where` names the schema for error messages.
 *
 * @example
 * normalizeSchema({ format: 'int-or-string', type: 'string' }, ctx, 'IntOrString')
 * // { oneOf: [{ type: 'integer' }, { type: 'string' }] }
 */
export function normalizeSchema(schema: unknown, ctx: NormalizeContext, where: string): Schema {
  if (schema === true || !isObject(schema)) return {}
  const notes = annotations(schema, ctx)

  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref)
    if (name === undefined || !ctx.has(name)) {
      throw new CodegenError(
        'K8S_CODEGEN_CODEGEN_UNRESOLVED_REF',
        `${where}: $ref '${schema.$ref}' names no schema in the input documents (every $ref must point at #/components/schemas/<name> of a fetched group-version)`,
      )
    }
    return { ...notes, type: REF_TYPE, [REF_KEY]: name }
  }

  // kube-openapi wraps a `$ref` with siblings (default, description) in a single-entry allOf
  // (kube-openapi pkg/builder3 … `allOf: [{$ref}]` because OpenAPI 3.0 ignores $ref siblings).
  const allOf = Array.isArray(schema.allOf) ? schema.allOf : undefined
  if (
    allOf?.length === 1 &&
    schema.properties === undefined &&
    schema.oneOf === undefined &&
    schema.anyOf === undefined
  ) {
    const inner = normalizeSchema(allOf[0], ctx, where)
    const rules = [inner[RULES_KEY], notes[RULES_KEY]].flatMap((r): unknown[] =>
      Array.isArray(r) ? r : [],
    )
    return {
      ...inner,
      ...notes,
      ...(rules.length > 0 ? { [RULES_KEY]: rules } : {}),
      ...(schema.nullable === true ? { nullable: true } : {}),
    }
  }

  // IntOrString in all its spellings: v3 `format: int-or-string` + oneOf, v2 `format:
  // int-or-string` + `type: string`, CRD `x-kubernetes-int-or-string` (apimachinery
  // pkg/util/intstr/intstr.go OpenAPISchemaFormat; apiextensions types_jsonschema.go XIntOrString).
  if (schema.format === 'int-or-string' || schema['x-kubernetes-int-or-string'] === true) {
    return { ...notes, oneOf: [{ type: 'integer' }, { type: 'string' }] }
  }

  const type = schema.type
  const out: Schema = { ...notes }
  if (schema.nullable === true) out.nullable = true
  const literals = literalEnum(schema)
  if (literals !== undefined) {
    out.type = LITERAL_TYPE
    out[LITERALS_KEY] = literals
    return out
  }

  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = schema[key]
    if (Array.isArray(list) && list.length > 0) {
      out[key] = list.map((item, i) => normalizeSchema(item, ctx, `${where}.${key}[${i}]`))
    }
  }

  const properties = isObject(schema.properties) ? schema.properties : undefined
  // A null prototype: a property named `__proto__` is an own property like any other.
  const normalizedProperties = Object.create(null) as Schema
  let hasProperties = false
  if (properties !== undefined) {
    for (const name of Object.keys(properties)) {
      normalizedProperties[name] = normalizeSchema(properties[name], ctx, `${where}.${name}`)
      hasProperties = true
    }
  }
  // A CRD field both required and defaulted is optional in what users write (see defaulted).
  const required = Array.isArray(schema.required)
    ? schema.required.filter(
        (r): r is string =>
          typeof r === 'string' &&
          Object.hasOwn(normalizedProperties, r) &&
          !defaulted(properties?.[r], ctx),
      )
    : []

  // x-kubernetes-embedded-resource: a whole object with apiVersion, kind and metadata
  // (apiextensions-apiserver pkg/apiserver/schema/objectmeta … embedded resources are validated
  // as objects with TypeMeta and ObjectMeta).
  if (schema['x-kubernetes-embedded-resource'] === true) {
    const props: Schema = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata:
        ctx.objectMeta === undefined
          ? { type: OPEN_TYPE }
          : { type: REF_TYPE, [REF_KEY]: ctx.objectMeta },
      ...normalizedProperties,
    }
    return {
      ...out,
      type: 'object',
      properties: props,
      required,
      additionalProperties: true,
      ...(ctx.appliesDefaults ? { [NULLS_PRUNED_KEY]: true } : {}),
    }
  }

  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true
  if (
    type === 'object' ||
    (type === undefined && (hasProperties || schema.additionalProperties !== undefined))
  ) {
    const additional = schema.additionalProperties
    let additionalOut: Schema | true | undefined
    if (preserve || additional === true) additionalOut = true
    else if (isObject(additional)) additionalOut = normalizeSchema(additional, ctx, `${where}[key]`)
    if (!hasProperties && (additionalOut === undefined || additionalOut === true)) {
      // `{type: object}` without properties (RawExtension, FieldsV1) is an open object, never
      // `Record<string, never>`.
      out.type = OPEN_TYPE
      return out
    }
    out.type = 'object'
    if (ctx.appliesDefaults) out[NULLS_PRUNED_KEY] = true
    if (hasProperties) out.properties = normalizedProperties
    if (required.length > 0) out.required = required
    if (additionalOut !== undefined) out.additionalProperties = additionalOut
    return out
  }
  if (type === undefined && preserve && out.oneOf === undefined && out.anyOf === undefined) {
    // No type + preserve-unknown-fields is "any JSON value" in a structural schema
    // (apiextensions-apiserver pkg/apiserver/schema/validation.go validateStructuralInvariants).
    return out
  }
  if (type === 'array') {
    out.type = 'array'
    out.items = normalizeSchema(schema.items, ctx, `${where}[]`)
    return out
  }
  if (typeof type === 'string') out.type = type
  return out
}
