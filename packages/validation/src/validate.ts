// The checks of apiextensions-apiserver pkg/registry/customresource (strategy.go
// customResourceStrategy.Validate and ValidateUpdate, validator.go customResourceValidator) in
// their order: ObjectMeta, the OpenAPI schema (kubeOpenAPIResultToFieldErrors), list-type sets
// and maps, then the x-kubernetes-validations rules unless an earlier error blocks them.
import { isBuiltInGroup, patchSchemas } from './built-in-patches.js'
import { hasRules, validateRules } from './cel/validate-rules.js'
import { applyDefaults } from './defaults.js'
import { maxDepth, ValidationError } from './errors.js'
import { invalid, type FieldError } from './field-error.js'
import { goDecodeError, isGoTypeDefinition } from './go-decode.js'
import { validateListSetsAndMaps } from './list-type.js'
import { nameRuleOf } from './name-rules.js'
import {
  prepareObjectMetaForUpdate,
  validateObjectMetaContent,
  validateObjectMetaNames,
  validateObjectMetaUpdate,
} from './object-meta.js'
import { toFieldErrors } from './openapi-errors.js'
import { validateSchema } from './schema-validator.js'
import { isObject, referenceOf, type JsonObject, type Schema } from './schema.js'
import { newDecodeError, newInvalid, type BadRequestStatus, type Status } from './status.js'
import { prune } from './unknown-fields.js'

/**
 * A group-version's OpenAPI v3 document as `/openapi/v3/apis/<group>/<version>` serves it and the
 * lockfile cache stores it: kinds are the schemas carrying `x-kubernetes-group-version-kind`.
 *
 * @example
 * const doc: OpenApiDocument = { components: { schemas: {} } }
 */
export interface OpenApiDocument {
  readonly components?: { readonly schemas?: Readonly<Record<string, unknown>> }
}

interface Kind {
  readonly group: string
  readonly kind: string
  /** The schema says `x-kubectl-validate-scope: Namespaced` (shipped built-in documents do). */
  readonly namespaced: boolean
  readonly schema: Schema
  readonly resolve: (schema: Schema) => Schema
  /** The Go decoder's first type error, for a built-in kind (go-decode.ts); found once asked. */
  readonly decodeError: (object: JsonObject) => string | undefined
}

const maxRefChain = 64

// Iterative, so a hostile depth cannot overflow the stack while being measured; values and
// their depths on two stacks, so nothing is allocated per value.
function depthExceeds(value: unknown, limit: number): boolean {
  const values: unknown[] = [value]
  const depths: number[] = [0]
  while (values.length > 0) {
    const v = values.pop()
    const depth = depths.pop() as number
    if (depth > limit) return true
    if (typeof v === 'object' && v !== null) {
      for (const child of Object.values(v)) {
        values.push(child)
        depths.push(depth + 1)
      }
    }
  }
  return false
}

// The same object for the same schema of a document, so what is compiled and cached per schema
// node (the CEL rules of the root) is compiled once.
const kindSchemas = new WeakMap<Schema, Schema>()

// The structural schema of a custom resource says at most `metadata: { type: object }`;
// ObjectMeta's own rules are checked by validateObjectMetaNames, not by the schema.
function kindSchema(schema: Schema): Schema {
  let s = kindSchemas.get(schema)
  if (s === undefined) {
    s =
      schema.properties === undefined
        ? schema
        : { ...schema, properties: { ...schema.properties, metadata: { type: 'object' } } }
    kindSchemas.set(schema, s)
  }
  return s
}

function findKind(document: OpenApiDocument, object: unknown): Kind {
  if (
    !isObject(object) ||
    typeof object.apiVersion !== 'string' ||
    typeof object.kind !== 'string'
  ) {
    throw new ValidationError(
      'K8S_CODEGEN_VALIDATION_NOT_AN_OBJECT',
      'the object to validate has no string apiVersion and kind',
    )
  }
  const { apiVersion, kind } = object
  const slash = apiVersion.lastIndexOf('/')
  const group = slash < 0 ? '' : apiVersion.slice(0, slash)
  const version = apiVersion.slice(slash + 1)
  if (depthExceeds(object, maxDepth)) {
    throw new ValidationError(
      'K8S_CODEGEN_VALIDATION_TOO_DEEP',
      `the ${kind} to validate nests deeper than ${maxDepth} levels`,
    )
  }
  const key = `${apiVersion}\n${kind}`
  let kinds = kindCache.get(document)
  if (kinds === undefined) kindCache.set(document, (kinds = new Map<string, Kind>()))
  let found = kinds.get(key)
  if (found === undefined)
    kinds.set(key, (found = lookUpKind(document, apiVersion, group, version, kind)))
  return found
}

// A document's kinds, looked up once: a run validates many objects against one document, which
// is treated as immutable once it has been given.
const kindCache = new WeakMap<OpenApiDocument, Map<string, Kind>>()

function lookUpKind(
  document: OpenApiDocument,
  apiVersion: string,
  group: string,
  version: string,
  kind: string,
): Kind {
  const schemas = patchSchemas(document.components?.schemas ?? {}, isBuiltInGroup(group))
  // Each schema node is resolved once: every object walks the same nodes several times.
  const resolved = new WeakMap<Schema, Schema>()
  const resolve = (schema: Schema): Schema => {
    const cached = resolved.get(schema)
    if (cached !== undefined) return cached
    const target = follow(schema)
    resolved.set(schema, target)
    return target
  }
  const follow = (schema: Schema): Schema => {
    let s = schema
    for (let i = 0; ; i++) {
      const ref = referenceOf(s)
      if (ref === undefined) return s
      const name = ref.startsWith('#/components/schemas/')
        ? ref.slice('#/components/schemas/'.length)
        : undefined
      const target = name === undefined ? undefined : schemas[name]
      if (i >= maxRefChain || !isObject(target)) {
        throw new ValidationError(
          'K8S_CODEGEN_VALIDATION_BAD_REF',
          `schema reference ${JSON.stringify(ref)} names no schema of the ${apiVersion} document`,
        )
      }
      s = target
    }
  }
  // The Go decoder reads the published schemas, before kubectl-validate's patches (which drop a
  // built-in []byte's `format: byte`).
  const published = document.components?.schemas ?? {}
  const named = (ref: string): { name: string; schema: Schema } | undefined => {
    const name = ref.startsWith('#/components/schemas/')
      ? ref.slice('#/components/schemas/'.length)
      : undefined
    const schema = name === undefined ? undefined : published[name]
    return name !== undefined && isObject(schema) ? { name, schema } : undefined
  }
  for (const candidate of Object.values(schemas)) {
    if (!isObject(candidate)) continue
    const gvks = candidate['x-kubernetes-group-version-kind']
    if (!Array.isArray(gvks)) continue
    const match = gvks.some(
      (g) => isObject(g) && (g.group ?? '') === group && g.version === version && g.kind === kind,
    )
    if (match) {
      const definition = Object.keys(schemas).find((name) => schemas[name] === candidate) ?? ''
      const goTyped = isBuiltInGroup(group) && isGoTypeDefinition(definition)
      return {
        group,
        kind,
        namespaced: candidate['x-kubectl-validate-scope'] === 'Namespaced',
        schema: kindSchema(candidate),
        resolve,
        decodeError: (object) =>
          goTyped
            ? goDecodeError(named, definition, published[definition] as Schema, object)
            : undefined,
      }
    }
  }
  throw new ValidationError(
    'K8S_CODEGEN_VALIDATION_KIND_NOT_FOUND',
    `no schema for ${kind} in the OpenAPI document of ${apiVersion}`,
  )
}

/**
 * What {@link validateObject} is asked to check beyond the object itself.
 *
 * @example
 * const options: ValidateOptions = { oldObject: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } }
 */
export interface ValidateOptions {
  /**
   * The object as stored, when `object` replaces it (an update, PUT or PATCH): transition rules
   * (`oldSelf`) run, ObjectMeta's immutable fields are compared, and rules failing on values
   * unchanged from it are dropped (ratcheting), as the server does.
   */
  readonly oldObject?: unknown
  /**
   * The Kubernetes version (`1.35`) whose name rules apply: a Service's name is a DNS-1035 label
   * before 1.36 and a DNS-1123 label since. Absent, the newest rules apply.
   */
  readonly kubeVersion?: string
}

// strategy.go hasBlockingErr: these errors keep the CEL rules from running.
const blocking = new Set<FieldError['type']>([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
])

/**
 * Validates an object the way kube-apiserver validates a custom resource on create (or, with
 * `options.oldObject`, on update), and returns the 422 Status it would answer with, or undefined
 * when it would accept the object. A built-in kind is validated the way kubectl-validate does (its
 * OpenAPI schema with kubectl-validate's patches) with its kind's own name rule. Throws
 * {@link ValidationError} when the document has no schema for the object's apiVersion/kind.
 *
 * @example
 * const doc = {
 *   components: {
 *     schemas: {
 *       'com.example.v1.Widget': {
 *         type: 'object',
 *         'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Widget' }],
 *         properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', minimum: 0 } } } },
 *       },
 *     },
 *   },
 * }
 * validateObject(doc, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { replicas: -1 } })?.message
 * // 'Widget.example.com "w" is invalid: spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0'
 */
export function validateObject(
  document: OpenApiDocument,
  object: unknown,
  options: ValidateOptions = {},
): Status | undefined {
  const found = findKind(document, object)
  const obj = decode(found, object)
  let old: JsonObject | undefined
  if (options.oldObject !== undefined) {
    findKind(document, options.oldObject)
    old = decode(found, options.oldObject)
  }
  const metaOf = (o: JsonObject): JsonObject => (isObject(o.metadata) ? o.metadata : {})
  const metadata =
    old === undefined ? metaOf(obj) : prepareObjectMetaForUpdate(metaOf(obj), metaOf(old))
  const errs: FieldError[] =
    old === undefined
      ? [
          ...validateObjectMetaNames(
            metadata,
            nameRuleOf(found.group, found.kind, options.kubeVersion),
          ),
          ...validateObjectMetaContent(metadata, found.namespaced),
        ]
      : validateObjectMetaUpdate(metadata, metaOf(old), found.namespaced)
  errs.push(
    ...toFieldErrors(
      validateSchema(found, found.schema, obj, '', old === undefined ? undefined : { value: old }),
    ),
  )
  // On update the list-type rules ratchet: they apply only when the old object kept them.
  if (old === undefined || validateListSetsAndMaps(found.resolve, found.schema, old).length === 0)
    errs.push(...validateListSetsAndMaps(found.resolve, found.schema, obj))
  // strategy.go: the rules run only when the schema has some (a CEL validator exists) and no
  // blocking error came before them.
  if (hasRules(found.resolve, found.schema)) {
    errs.push(
      ...(errs.some((e) => blocking.has(e.type))
        ? [
            invalid(
              '<nil>',
              null,
              'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
            ),
          ]
        : validateRules(found.resolve, found.schema, obj, old)),
    )
  }
  if (errs.length === 0) return undefined
  return newInvalid(found, typeof metadata.name === 'string' ? metadata.name : '', errs)
}

// The decoder prunes and defaults before the strategy validates (customresource_handler.go).
function decode(found: Kind, object: unknown): JsonObject {
  const pruned = prune(found.resolve, found.schema, object as JsonObject).pruned
  return applyDefaults(found.resolve, found.schema, pruned) as JsonObject
}

/**
 * The object as kube-apiserver's custom resource decoder hands it to validation and storage:
 * unknown fields pruned, nulls the schema does not allow dropped, schema `default`s applied. A
 * server (the emulator of `@k8s-codegen/testkit`) stores this; {@link validateObject} validates it.
 * `object` is never modified, but what decoding leaves as it was (`metadata`, values kept under
 * `x-kubernetes-preserve-unknown-fields`) is shared with it: copy before changing those.
 *
 * @example
 * decodeObject(doc, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { replica: 1 } })
 * // { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} }
 */
export function decodeObject(document: OpenApiDocument, object: unknown): Record<string, unknown> {
  return decode(findKind(document, object), object)
}

/**
 * The 400 kube-apiserver answers a built-in kind's body with when a value's JSON type does not fit
 * its Go field (`data: { a: 1 }` in a ConfigMap): the decoder's error, before unknown fields and
 * validation are looked at, so ask this first. Undefined when the body decodes, and always for a
 * custom resource (decoded without a Go type: {@link validateObject} reports its type errors).
 *
 * @example
 * findDecodeError(coreV1, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 1 } })?.message
 * // 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string'
 */
export function findDecodeError(
  document: OpenApiDocument,
  object: unknown,
): BadRequestStatus | undefined {
  const found = findKind(document, object)
  const error = found.decodeError(object as JsonObject)
  if (error === undefined) return undefined
  const { apiVersion } = object as { apiVersion: string }
  return newDecodeError(found.kind, apiVersion.slice(apiVersion.lastIndexOf('/') + 1), error)
}

/**
 * The fields of an object its schema does not declare, sorted, each with the text the apiserver
 * uses: a warning (`fieldValidation=Warn`, the default) or, under `fieldValidation=Strict`, the
 * error `strict decoding error: unknown field "spec.x"`. Fields inside `metadata` are not covered.
 *
 * @example
 * findUnknownFields(doc, { apiVersion: 'example.com/v1', kind: 'Widget', spec: { replica: 1 } })
 * // [{ path: 'spec.replica', message: 'unknown field "spec.replica"' }]
 */
export function findUnknownFields(
  document: OpenApiDocument,
  object: unknown,
): { path: string; message: string }[] {
  const found = findKind(document, object)
  return prune(found.resolve, found.schema, object as JsonObject).paths.map((path) => ({
    path,
    message: `unknown field ${JSON.stringify(path)}`,
  }))
}
