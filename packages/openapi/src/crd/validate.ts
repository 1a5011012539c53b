import { isJsonObject } from '../_canonical-json.js'
import { OpenApiError } from '../errors.js'
import type { JsonObject } from '../types.js'
import { describeLocation, type CrdDocument } from './read.js'
import type { CrdVersion, CustomResourceDefinition } from './types.js'

// The rules kube-apiserver applies before it accepts a CRD, from apiextensions-apiserver
// `pkg/apis/apiextensions/validation/validation.go` (ValidateCustomResourceDefinition →
// ValidateCustomResourceDefinitionSpec, ValidateCustomResourceDefinitionNames,
// ValidateCustomResourceDefinitionVersion) and the structural-schema rules of
// `pkg/apiserver/schema/validation.go` (ValidateStructural). A CRD the apiserver would refuse
// is refused here with every problem named, so a file that generates also installs.

// apimachinery `pkg/util/validation/validation.go`
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
// ValidateCustomResourceDefinitionNames: a kind must be a valid (case-insensitive) DNS-1035 label.
const kindPattern = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/

// Keys a structural schema may hold (pkg/apiserver/schema/structural.go Generic, Extensions,
// ValueValidation; anything else is a "not allowed" field in validation.go's
// validateSchema / ValidateStructural).
const SCHEMA_KEYS = new Set([
  'type',
  'format',
  'title',
  'description',
  'default',
  'nullable',
  'example',
  'externalDocs',
  'properties',
  'items',
  'additionalProperties',
  'required',
  'enum',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'maxProperties',
  'minProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
])
const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean'])
const MAX_SCHEMA_DEPTH = 128

class Problems {
  readonly list: string[] = []
  add(field: string, rule: string): void {
    this.list.push(`${field}: ${rule}`)
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function stringList(value: unknown, field: string, p: Problems): string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    p.add(field, 'must be a list of strings')
    return undefined
  }
  return value
}

// ValidateStructural (pkg/apiserver/schema/validation.go): every specified node has a type,
// except where x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields say the value
// is not one; `$ref` is not allowed; `properties` and `additionalProperties` are exclusive;
// `metadata` at the root may only restrict name and generateName; value-validation junctors
// (allOf/anyOf/oneOf/not) may not introduce fields, types or descriptions.
function validateSchema(
  schema: unknown,
  field: string,
  p: Problems,
  depth: number,
  inJunctor: boolean,
): void {
  if (depth > MAX_SCHEMA_DEPTH) {
    p.add(field, `nested deeper than ${MAX_SCHEMA_DEPTH} levels`)
    return
  }
  if (!isJsonObject(schema)) {
    p.add(field, 'must be a schema object')
    return
  }
  for (const key of Object.keys(schema)) {
    if (key === '$ref') p.add(`${field}.$ref`, 'must not be set: a structural schema has no $ref')
    else if (!SCHEMA_KEYS.has(key))
      p.add(`${field}.${key}`, 'is not a field of a structural schema')
  }
  const type = schema.type
  const intOrString = schema['x-kubernetes-int-or-string'] === true
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true
  if (type !== undefined && (typeof type !== 'string' || !TYPES.has(type))) {
    p.add(`${field}.type`, `must be one of ${[...TYPES].join(', ')}`)
  }
  if (inJunctor) {
    for (const key of ['type', 'description', 'default', 'nullable', 'additionalProperties']) {
      if (key in schema) p.add(`${field}.${key}`, 'must not be set inside allOf/anyOf/oneOf/not')
    }
  } else if (type === undefined && !intOrString && !preserve) {
    p.add(
      `${field}.type`,
      'must not be empty for specified object fields (structural schema), unless x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields is true',
    )
  }
  // validateExtensions: int-or-string excludes the other two value-shape extensions. A `type`
  // beside it is allowed (external-snapshotter's restoreSize says `type: string`).
  if (intOrString && preserve) {
    p.add(
      `${field}.x-kubernetes-preserve-unknown-fields`,
      'must be false if x-kubernetes-int-or-string is true',
    )
  }
  if (intOrString && schema['x-kubernetes-embedded-resource'] === true) {
    p.add(
      `${field}.x-kubernetes-embedded-resource`,
      'must be false if x-kubernetes-int-or-string is true',
    )
  }
  if (schema['x-kubernetes-embedded-resource'] === true) {
    if (type !== 'object')
      p.add(`${field}.type`, "must be 'object' when x-kubernetes-embedded-resource is true")
    if (schema.properties === undefined && !preserve) {
      p.add(
        `${field}.properties`,
        'must not be empty when x-kubernetes-embedded-resource is true and x-kubernetes-preserve-unknown-fields is not',
      )
    }
  }
  if (schema.properties !== undefined && isJsonObject(schema.additionalProperties)) {
    p.add(`${field}.additionalProperties`, 'must not be set together with properties')
  }
  if (schema.additionalProperties === false) {
    p.add(`${field}.additionalProperties`, 'must not be false (only a schema or true is allowed)')
  }
  if (schema.properties !== undefined) {
    if (!isJsonObject(schema.properties)) p.add(`${field}.properties`, 'must be an object')
    else
      for (const [name, child] of Object.entries(schema.properties)) {
        validateSchema(child, `${field}.properties[${name}]`, p, depth + 1, inJunctor)
      }
  }
  if (schema.items !== undefined) {
    if (Array.isArray(schema.items)) p.add(`${field}.items`, 'must be a schema, not a list')
    else validateSchema(schema.items, `${field}.items`, p, depth + 1, inJunctor)
  } else if (type === 'array' && !inJunctor) {
    p.add(`${field}.items`, "must be specified when type is 'array'")
  }
  if (isJsonObject(schema.additionalProperties)) {
    validateSchema(
      schema.additionalProperties,
      `${field}.additionalProperties`,
      p,
      depth + 1,
      inJunctor,
    )
  }
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    const value = schema[junctor]
    if (value === undefined) continue
    if (!Array.isArray(value)) {
      p.add(`${field}.${junctor}`, 'must be a list')
      continue
    }
    const list: readonly unknown[] = value
    // validateStructuralInvariants skips the int-or-string anyOf, and the anyOf of the first
    // allOf (isIntOrStringAllOfPattern), whether or not x-kubernetes-int-or-string is set.
    if (junctor === 'anyOf' && isIntOrStringAnyOf(list)) continue
    list.forEach((c, i) => {
      const skip = junctor === 'allOf' && i === 0 && isJsonObject(c) && isIntOrStringAnyOf(c.anyOf)
      validateSchema(skip ? omitAnyOf(c) : c, `${field}.${junctor}[${i}]`, p, depth + 1, true)
    })
  }
  if (schema.not !== undefined) validateSchema(schema.not, `${field}.not`, p, depth + 1, true)
  if (schema.required !== undefined) stringList(schema.required, `${field}.required`, p)
  validateListAndMapTypes(schema, field, p)
  if ('default' in schema && !inJunctor) validateDefaultType(schema, field, p)
}

const LIST_TYPES = ['atomic', 'map', 'set']
const MAP_TYPES = ['atomic', 'granular']
const supported = (values: readonly string[]): string =>
  `supported values: ${values.map((v) => `"${v}"`).join(', ')}`

// validation.go ValidateCustomResourceDefinitionOpenAPISchema: the x-kubernetes-map-type and
// x-kubernetes-list-type values, the type each needs, and the list-map keys of a map list.
function validateListAndMapTypes(schema: JsonObject, field: string, p: Problems): void {
  const mapType = schema['x-kubernetes-map-type']
  if (mapType !== undefined) {
    if (schema.type !== 'object')
      p.add(`${field}.type`, 'must be object if x-kubernetes-map-type is specified')
    if (typeof mapType !== 'string' || !MAP_TYPES.includes(mapType))
      p.add(
        `${field}.x-kubernetes-map-type`,
        `Unsupported value: ${JSON.stringify(mapType)}: ${supported(MAP_TYPES)}`,
      )
  }
  const listType = schema['x-kubernetes-list-type']
  if (listType !== undefined) {
    if (schema.type !== 'array')
      p.add(`${field}.type`, 'must be array if x-kubernetes-list-type is specified')
    if (typeof listType !== 'string' || !LIST_TYPES.includes(listType))
      p.add(
        `${field}.x-kubernetes-list-type`,
        `Unsupported value: ${JSON.stringify(listType)}: ${supported(LIST_TYPES)}`,
      )
  }
  const keys = stringList(
    schema['x-kubernetes-list-map-keys'],
    `${field}.x-kubernetes-list-map-keys`,
    p,
  )
  if (keys !== undefined && keys.length > 0 && listType !== 'map')
    p.add(
      `${field}.x-kubernetes-list-type`,
      'must be map if x-kubernetes-list-map-keys is non-empty',
    )
  if (listType !== 'map') return
  if (keys === undefined || keys.length === 0)
    p.add(
      `${field}.x-kubernetes-list-map-keys`,
      'Required value: must not be empty if x-kubernetes-list-type is map',
    )
  const items = schema.items
  if (!isJsonObject(items)) return
  if (items.type !== 'object') {
    p.add(`${field}.items.type`, "must be object if parent array's x-kubernetes-list-type is map")
    return
  }
  const properties = isJsonObject(items.properties) ? items.properties : {}
  const seen = new Set<string>()
  for (const key of keys ?? []) {
    const property = properties[key]
    if (!Object.hasOwn(properties, key))
      p.add(`${field}.x-kubernetes-list-map-keys`, 'entries must all be names of item properties')
    else if (isJsonObject(property) && (property.type === 'array' || property.type === 'object'))
      p.add(
        `${field}.items.properties[${key}].type`,
        "must be a scalar type if parent array's x-kubernetes-list-type is map",
      )
    if (seen.has(key))
      p.add(`${field}.x-kubernetes-list-map-keys`, 'must not contain duplicate entries')
    seen.add(key)
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

// apiextensions-apiserver `pkg/apiserver/schema/defaulting/validation.go` ValidateDefaults runs
// the schema validator over each default; its first check is the value's type (kube-openapi
// `pkg/validation/validate/type.go`: "<path> in body must be of type <type>"). Only the node's
// own type is checked here, so a wrong-typed default is refused as the apiserver refuses it.
function validateDefaultType(schema: JsonObject, field: string, p: Problems): void {
  const value = schema.default
  const got = jsonType(value)
  if (got === 'null') {
    if (schema.nullable !== true)
      p.add(`${field}.default`, 'must not be null unless nullable is true')
    return
  }
  let want: readonly string[] | undefined
  if (schema['x-kubernetes-int-or-string'] === true) want = ['integer', 'string']
  else if (schema.type === 'number') want = ['integer', 'number']
  else if (typeof schema.type === 'string' && TYPES.has(schema.type)) want = [schema.type]
  if (want !== undefined && !want.includes(got))
    p.add(`${field}.default`, `in body must be of type ${want.join(' or ')}: got ${got}`)
}

// validation.go (pkg/apiserver/schema) isIntOrStringAnyOfPattern: `anyOf: [{type: integer},
// {type: string}]`, exactly that (as controller-gen writes it for int-or-string fields), is the
// one junctor whose branches may carry a type.
function isIntOrStringAnyOf(value: unknown): boolean {
  if (!Array.isArray(value) || value.length !== 2) return false
  const list: readonly unknown[] = value
  const [a, b] = list
  const only = (x: unknown, type: string): boolean =>
    isJsonObject(x) && Object.keys(x).length === 1 && x.type === type
  return only(a, 'integer') && only(b, 'string')
}

function omitAnyOf(schema: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== 'anyOf'))
}

// validation.go validateCustomResourceDefinitionValidation: at the root, `type: object`, and
// `metadata` may only carry `type: object` and restrictions of name and generateName.
function validateRoot(schema: JsonObject, field: string, p: Problems): void {
  if (schema.type !== 'object') p.add(`${field}.type`, "must be 'object' at the root")
  const meta = isJsonObject(schema.properties) ? schema.properties.metadata : undefined
  if (isJsonObject(meta)) {
    for (const key of Object.keys(meta)) {
      if (key !== 'type' && key !== 'properties')
        p.add(`${field}.properties[metadata].${key}`, 'must not be set at the root metadata')
    }
    if (meta.type !== undefined && meta.type !== 'object') {
      p.add(`${field}.properties[metadata].type`, "must be 'object'")
    }
    if (isJsonObject(meta.properties)) {
      for (const name of Object.keys(meta.properties)) {
        if (name !== 'name' && name !== 'generateName')
          p.add(
            `${field}.properties[metadata].properties[${name}]`,
            'must not be specified: only name and generateName may be restricted',
          )
      }
    }
  }
  for (const key of ['x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource', 'nullable']) {
    if (schema[key] === true) p.add(`${field}.${key}`, 'must be false at the root')
  }
}

// validation.go ValidateCustomResourceColumnDefinition (printerColumnDatatypes,
// customResourceColumnDefinitionFormats, sorted as the server lists them); the JSON path must be
// a simple one starting with '.'.

/**
 * The types a CRD printer column may have (apiextensions-apiserver printerColumnDatatypes).
 *
 * @example
 * CRD_COLUMN_TYPES.includes('date') // true
 */
export const CRD_COLUMN_TYPES: readonly string[] = [
  'boolean',
  'date',
  'integer',
  'number',
  'string',
]

/**
 * The formats a CRD printer column may have (customResourceColumnDefinitionFormats).
 *
 * @example
 * CRD_COLUMN_FORMATS.includes('int64') // true
 */
export const CRD_COLUMN_FORMATS: readonly string[] = [
  'byte',
  'date',
  'date-time',
  'double',
  'float',
  'int32',
  'int64',
  'password',
]

function validateColumn(value: unknown, field: string, p: Problems): void {
  if (!isJsonObject(value)) {
    p.add(field, 'must be an object')
    return
  }
  if (str(value.name) === undefined || value.name === '') p.add(`${field}.name`, 'Required value')
  if (typeof value.type !== 'string' || !CRD_COLUMN_TYPES.includes(value.type))
    p.add(`${field}.type`, `must be one of ${CRD_COLUMN_TYPES.join(',')}`)
  if (
    value.format !== undefined &&
    value.format !== '' &&
    (typeof value.format !== 'string' || !CRD_COLUMN_FORMATS.includes(value.format))
  )
    p.add(`${field}.format`, `must be one of ${CRD_COLUMN_FORMATS.join(',')}`)
  if (typeof value.jsonPath !== 'string' || !value.jsonPath.startsWith('.'))
    p.add(`${field}.jsonPath`, "must be a simple JSON path starting with '.'")
  if (value.description !== undefined && typeof value.description !== 'string')
    p.add(`${field}.description`, 'must be a string')
  if (value.priority !== undefined && !Number.isSafeInteger(value.priority))
    p.add(`${field}.priority`, 'must be an integer')
}

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u

// validation.go validateDeprecationWarning: lengths and indexes are in UTF-8 bytes, as Go counts
// them; the first non-printable character is named by its byte index.
function validateDeprecationWarning(warning: string, field: string, p: Problems): void {
  const bytes = Buffer.byteLength(warning)
  if (bytes > 256) p.add(field, 'must be <= 256 characters long')
  if (bytes === 0) p.add(field, 'must not be an empty string')
  let index = 0
  for (const character of warning) {
    if (/\p{Cs}/u.test(character)) {
      p.add(field, 'must only contain printable UTF-8 characters')
      break
    }
    if (!printable.test(character)) {
      p.add(
        field,
        `must only contain printable UTF-8 characters; non-printable character found at index ${index}`,
      )
      break
    }
    index += Buffer.byteLength(character)
  }
}

function validateVersion(value: unknown, field: string, p: Problems): CrdVersion | undefined {
  if (!isJsonObject(value)) {
    p.add(field, 'must be an object')
    return undefined
  }
  const name = str(value.name)
  if (name === undefined || !dns1035Label.test(name)) {
    p.add(`${field}.name`, 'must be a DNS-1035 label (lower case, starting with a letter)')
  }
  if (typeof value.served !== 'boolean') p.add(`${field}.served`, 'must be true or false')
  if (typeof value.storage !== 'boolean') p.add(`${field}.storage`, 'must be true or false')
  if (value.deprecationWarning !== undefined) {
    if (value.deprecated !== true)
      p.add(`${field}.deprecationWarning`, 'can only be set for deprecated versions')
    else if (typeof value.deprecationWarning !== 'string')
      p.add(`${field}.deprecationWarning`, 'must be a string')
    else validateDeprecationWarning(value.deprecationWarning, `${field}.deprecationWarning`, p)
  }
  const schema = isJsonObject(value.schema) ? value.schema.openAPIV3Schema : undefined
  if (!isJsonObject(schema)) {
    p.add(`${field}.schema.openAPIV3Schema`, 'Required value: schemas are required')
  } else {
    validateRoot(schema, `${field}.schema.openAPIV3Schema`, p)
    validateSchema(schema, `${field}.schema.openAPIV3Schema`, p, 0, false)
  }
  const sub = value.subresources
  if (sub !== undefined && !isJsonObject(sub)) p.add(`${field}.subresources`, 'must be an object')
  const scale = isJsonObject(sub) ? sub.scale : undefined
  if (scale !== undefined) {
    // validateCustomResourceDefinitionSubresources: JSON paths of the scale subresource.
    if (!isJsonObject(scale)) p.add(`${field}.subresources.scale`, 'must be an object')
    else {
      for (const key of ['specReplicasPath', 'statusReplicasPath']) {
        const path = str(scale[key])
        if (path === undefined || !path.startsWith('.'))
          p.add(`${field}.subresources.scale.${key}`, "must be a JSON path starting with '.'")
      }
      if (!str(scale.specReplicasPath)?.startsWith('.spec.'))
        p.add(`${field}.subresources.scale.specReplicasPath`, "should be a json path under '.spec'")
      if (!str(scale.statusReplicasPath)?.startsWith('.status.'))
        p.add(
          `${field}.subresources.scale.statusReplicasPath`,
          "should be a json path under '.status'",
        )
    }
  }
  if (
    value.additionalPrinterColumns !== undefined &&
    !Array.isArray(value.additionalPrinterColumns)
  )
    p.add(`${field}.additionalPrinterColumns`, 'must be a list')
  else if (Array.isArray(value.additionalPrinterColumns)) {
    const columns: readonly unknown[] = value.additionalPrinterColumns
    columns.forEach((c, i) => validateColumn(c, `${field}.additionalPrinterColumns[${i}]`, p))
  }
  // validateCustomResourceDefinitionVersion: each selectable field names a JSON path.
  if (value.selectableFields !== undefined && !Array.isArray(value.selectableFields))
    p.add(`${field}.selectableFields`, 'must be a list')
  const selectable: string[] = []
  if (Array.isArray(value.selectableFields)) {
    const fields: readonly unknown[] = value.selectableFields
    fields.forEach((f, i) => {
      const path = isJsonObject(f) ? str(f.jsonPath) : undefined
      if (path === undefined || !path.startsWith('.'))
        p.add(`${field}.selectableFields[${i}].jsonPath`, "must be a JSON path starting with '.'")
      else selectable.push(path)
    })
  }
  if (name === undefined || !isJsonObject(schema)) return undefined
  const version: CrdVersion = {
    name,
    served: value.served === true,
    storage: value.storage === true,
    schema,
  }
  if (value.deprecated === true) version.deprecated = true
  if (typeof value.deprecationWarning === 'string')
    version.deprecationWarning = value.deprecationWarning
  if (isJsonObject(sub)) version.subresources = sub
  if (Array.isArray(value.additionalPrinterColumns))
    version.additionalPrinterColumns = value.additionalPrinterColumns as JsonObject[]
  if (selectable.length > 0) version.selectableFields = selectable
  return version
}

const APPROVAL = 'api-approved.kubernetes.io'
const APPROVAL_PR = 'see https://github.com/kubernetes/enhancements/pull/1111'

// validation.go validateAPIApproval with apihelpers IsProtectedCommunityGroup and
// GetAPIApprovalState: a k8s.io or kubernetes.io group needs the annotation, holding a URL with a
// scheme and a host (url.ParseRequestURI) or a reason starting with "unapproved".
function validateApiApproval(group: string, metadata: JsonObject, p: Problems): void {
  const isProtected = ['k8s.io', 'kubernetes.io'].some(
    (d) => group === d || group.endsWith(`.${d}`),
  )
  if (!isProtected) return
  const annotations = isJsonObject(metadata.annotations) ? metadata.annotations : {}
  const value = Object.hasOwn(annotations, APPROVAL) ? (str(annotations[APPROVAL]) ?? '') : ''
  const where = `metadata.annotations[${APPROVAL}]`
  if (value === '')
    p.add(
      where,
      `Required value: protected groups must have approval annotation "${APPROVAL}", ${APPROVAL_PR}`,
    )
  else if (
    !value.startsWith('unapproved') &&
    !/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]+\P{Cc}*$/u.test(value)
  )
    p.add(
      where,
      `protected groups must have approval annotation "${APPROVAL}" with either a URL or a reason starting with "unapproved", ${APPROVAL_PR}`,
    )
}

/**
 * Validates one parsed CRD document the way kube-apiserver does before accepting it and
 * returns its typed form; throws `K8S_CODEGEN_OPENAPI_CRD_INVALID` naming the file, the document
 * index and every rule that failed.
 *
 * @example
 * const crd = validateCrd({ where: { file: 'a.yaml', index: 0 }, value: parsed })
 * crd.versions.find((v) => v.storage)?.name // 'v1'
 */
export function validateCrd(document: CrdDocument): CustomResourceDefinition {
  const { value } = document
  const p = new Problems()
  if (value.apiVersion !== 'apiextensions.k8s.io/v1') {
    p.add(
      'apiVersion',
      `must be apiextensions.k8s.io/v1, not ${JSON.stringify(value.apiVersion)} (apiextensions.k8s.io/v1beta1 was removed in Kubernetes 1.22)`,
    )
  }
  const metadata = isJsonObject(value.metadata) ? value.metadata : {}
  const spec = isJsonObject(value.spec) ? value.spec : undefined
  if (spec === undefined) p.add('spec', 'Required value')
  const s = spec ?? {}
  const group = str(s.group)
  if (group === undefined || !dns1123Subdomain.test(group) || group.length > 253) {
    p.add('spec.group', 'must be a DNS-1123 subdomain (lower case letters, digits, - and .)')
  } else if (!group.includes('.')) {
    p.add('spec.group', "should be a domain with at least one dot, e.g. 'example.com'")
  }
  const scope = s.scope
  if (scope !== 'Namespaced' && scope !== 'Cluster')
    p.add('spec.scope', "must be 'Namespaced' or 'Cluster'")
  const names = isJsonObject(s.names) ? s.names : {}
  const plural = str(names.plural)
  const kind = str(names.kind)
  const singular = str(names.singular) || kind?.toLowerCase()
  const listKind = str(names.listKind) || (kind === undefined ? undefined : `${kind}List`)
  if (plural === undefined || !dns1035Label.test(plural))
    p.add('spec.names.plural', 'must be a DNS-1035 label (lower case, starting with a letter)')
  if (singular === undefined || !dns1035Label.test(singular))
    p.add('spec.names.singular', 'must be a DNS-1035 label (lower case, starting with a letter)')
  if (kind === undefined || !kindPattern.test(kind))
    p.add(
      'spec.names.kind',
      'must be a DNS-1035 label ignoring case (a letter, then letters, digits or -)',
    )
  if (listKind === undefined || !kindPattern.test(listKind))
    p.add('spec.names.listKind', 'must be a DNS-1035 label ignoring case')
  else if (listKind === kind) p.add('spec.names.listKind', 'must not equal spec.names.kind')
  const shortNames = stringList(names.shortNames, 'spec.names.shortNames', p)
  for (const [i, short] of (shortNames ?? []).entries()) {
    if (!dns1035Label.test(short)) p.add(`spec.names.shortNames[${i}]`, 'must be a DNS-1035 label')
  }
  const categories = stringList(names.categories, 'spec.names.categories', p)
  for (const [i, category] of (categories ?? []).entries()) {
    if (!dns1035Label.test(category))
      p.add(`spec.names.categories[${i}]`, 'must be a DNS-1035 label')
  }
  const name = str(metadata.name)
  if (plural !== undefined && group !== undefined && name !== `${plural}.${group}`) {
    p.add('metadata.name', `must be spec.names.plural+"."+spec.group: '${plural}.${group}'`)
  }
  if (group !== undefined) validateApiApproval(group, metadata, p)
  if (s.preserveUnknownFields === true) {
    p.add('spec.preserveUnknownFields', 'must be false in apiextensions.k8s.io/v1')
  }
  const versions: CrdVersion[] = []
  if (!Array.isArray(s.versions) || s.versions.length === 0) {
    p.add('spec.versions', 'must have exactly one version marked as storage version')
  } else {
    const seen = new Set<string>()
    s.versions.forEach((v, i) => {
      const version = validateVersion(v, `spec.versions[${i}]`, p)
      if (version === undefined) return
      if (seen.has(version.name)) p.add(`spec.versions[${i}].name`, 'must be unique')
      seen.add(version.name)
      versions.push(version)
    })
    const storage = s.versions.filter((v) => isJsonObject(v) && v.storage === true).length
    if (storage !== 1) {
      p.add(
        'spec.versions',
        `must have exactly one version marked as storage version, not ${storage}`,
      )
    }
  }
  if (p.list.length > 0) {
    const label = name === undefined ? '' : ` (${name})`
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_CRD_INVALID',
      `${describeLocation(document.where)}${label} is not a valid CustomResourceDefinition: ${p.list.join('; ')}`,
    )
  }
  const crd: CustomResourceDefinition = {
    name: name as string,
    group: group as string,
    scope: scope as 'Namespaced' | 'Cluster',
    names: {
      plural: plural as string,
      singular: singular as string,
      kind: kind as string,
      listKind: listKind as string,
    },
    versions,
    preserveUnknownFields: false,
  }
  if (shortNames !== undefined) crd.names.shortNames = shortNames
  if (categories !== undefined) crd.names.categories = categories
  return crd
}
