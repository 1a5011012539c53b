// The checks of apiextensions-apiserver pkg/registry/customresource (strategy.go
// customResourceStrategy.Validate, validator.go customResourceValidator.Validate) in their order:
// ObjectMeta, the OpenAPI schema (kubeOpenAPIResultToFieldErrors), then list-type sets and maps.
import { applyDefaults } from './defaults.js'
import { maxDepth, ValidationError } from './errors.js'
import type { FieldError } from './field-error.js'
import { validateListSetsAndMaps } from './list-type.js'
import { validateObjectMetaContent, validateObjectMetaNames } from './object-meta.js'
import { toFieldErrors } from './openapi-errors.js'
import { validateSchema } from './schema-validator.js'
import { isObject, referenceOf, type JsonObject, type Schema } from './schema.js'
import { newInvalid, type Status } from './status.js'
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
  readonly schema: Schema
  readonly resolve: (schema: Schema) => Schema
}

const maxRefChain = 64

// Iterative, so a hostile depth cannot overflow the stack while being measured.
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, depth] = item
    if (depth > limit) return true
    if (typeof v === 'object' && v !== null)
      for (const child of Object.values(v)) stack.push([child, depth + 1])
  }
  return false
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
  const schemas = document.components?.schemas ?? {}
  const resolve = (schema: Schema): Schema => {
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
  for (const candidate of Object.values(schemas)) {
    if (!isObject(candidate)) continue
    const gvks = candidate['x-kubernetes-group-version-kind']
    if (!Array.isArray(gvks)) continue
    const match = gvks.some(
      (g) => isObject(g) && (g.group ?? '') === group && g.version === version && g.kind === kind,
    )
    if (match) {
      const schema = candidate as Schema
      // The structural schema of a custom resource says at most `metadata: { type: object }`;
      // ObjectMeta's own rules are checked by validateObjectMetaNames, not by the schema.
      const properties =
        schema.properties === undefined
          ? undefined
          : { ...schema.properties, metadata: { type: 'object' } }
      return {
        group,
        kind,
        schema: properties === undefined ? schema : { ...schema, properties },
        resolve,
      }
    }
  }
  throw new ValidationError(
    'K8S_CODEGEN_VALIDATION_KIND_NOT_FOUND',
    `no schema for ${kind} in the OpenAPI document of ${apiVersion}`,
  )
}

/**
 * Validates an object the way kube-apiserver validates a custom resource on create, and returns
 * the 422 Status it would answer with, or undefined when it would accept the object. Throws
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
export function validateObject(document: OpenApiDocument, object: unknown): Status | undefined {
  const found = findKind(document, object)
  // The decoder prunes and defaults before the strategy validates (customresource_handler.go).
  const pruned = prune(found.resolve, found.schema, object as JsonObject).pruned
  const obj = applyDefaults(found.resolve, found.schema, pruned) as JsonObject
  const metadata = isObject(obj.metadata) ? obj.metadata : {}
  const errs: FieldError[] = [
    ...validateObjectMetaNames(metadata),
    ...validateObjectMetaContent(metadata),
    ...toFieldErrors(validateSchema(found, found.schema, obj, '')),
    ...validateListSetsAndMaps(found.resolve, found.schema, obj),
  ]
  if (errs.length === 0) return undefined
  return newInvalid(found, typeof metadata.name === 'string' ? metadata.name : '', errs)
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
