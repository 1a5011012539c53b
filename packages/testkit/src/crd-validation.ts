// What kube-apiserver refuses in a CustomResourceDefinition it is asked to create or update:
// apiextensions-apiserver pkg/apis/apiextensions/validation/validation.go
// ValidateCustomResourceDefinition and ValidateCustomResourceDefinitionUpdate, run by
// pkg/registry/customresourcedefinition/strategy.go on the internal form of the CRD. That form is
// what the field paths name: a v1 CRD whose versions all have the same schema, subresources or
// printer columns has them once at the top (v1/conversion.go
// Convert_v1_CustomResourceDefinitionSpec_To_apiextensions_CustomResourceDefinitionSpec), so a
// one-version CRD's schema errors say `spec.validation.openAPIV3Schema…`, and `spec.version` is
// the first version's name. A value the server prints from an internal struct (the versions of
// "must have exactly one version marked as storage version") is printed as Go's encoding/json
// prints it: fields by their Go names, in declaration order.
//
// Covered: metadata.name, group, scope, version names and the storage version, names, a schema
// per version, the structural-schema invariants (pkg/apiserver/schema/validation.go
// validateStructuralInvariants), the value checks of ValidateCustomResourceDefinitionOpenAPISchema
// that need no CEL (types, forbidden keywords, uniqueItems, additionalProperties with properties,
// the x-kubernetes-* rules), the root fields a status subresource allows, scale paths, printer
// columns, the conversion strategy and review versions, storedVersions, api-approved.kubernetes.io,
// preserveUnknownFields and the immutable fields of an update. Not covered (a CRD with them is
// accepted): CEL rules, schema defaults' validity, selectable fields, a conversion webhook's CA
// bundle.
import { isDeepStrictEqual } from 'node:util'
import {
  errorString,
  forbidden,
  GoStruct,
  goQuote,
  invalid,
  isDns1035Label,
  isDns1123Subdomain,
  keptFormat,
  notSupported,
  required,
  type FieldError,
} from '@k8s-codegen/validation'
import { CRD_COLUMN_FORMATS, CRD_COLUMN_TYPES } from '@k8s-codegen/openapi'
import { isJsonObject, type JsonObject } from './_json.js'
import { MAX_SELECTABLE_FIELDS, selectableFieldsErrors } from './crd-selectable-fields.js'
import { defaultErrors } from './crd-schema-defaults.js'
import { ruleCompileErrors, ruleFieldErrors, ruleStruct } from './crd-schema-rules.js'
import { crdStorageVersionOf } from './crd-status.js'

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '')
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const objectOf = (value: unknown): JsonObject => (isJsonObject(value) ? value : {})

// The per-version fields the internal form holds once when every version has the same.
const HOISTED = [
  ['schema', 'validation'],
  ['subresources', 'subresources'],
  ['additionalPrinterColumns', 'additionalPrinterColumns'],
  ['selectableFields', 'selectableFields'],
] as const

/** The spec as the internal type holds it (see the header), still in JSON field names. */
function internalSpec(spec: JsonObject, version: string): JsonObject {
  if (version === 'v1beta1') return spec
  const versions = listOf(spec['versions']).map(objectOf)
  const first = versions[0]
  if (first === undefined) return spec
  const out: JsonObject = { ...spec, version: first['name'] }
  const perVersion = versions.map((v) => ({ ...v }))
  for (const [from, to] of HOISTED) {
    if (!versions.every((v) => isDeepStrictEqual(v[from], first[from]))) continue
    for (const v of perVersion) delete v[from]
    if (first[from] !== undefined) out[to] = first[from]
  }
  out['versions'] = perVersion
  return out
}

// Go's encoding/json of the internal types (apiextensions types.go, types_jsonschema.go).
const ptr = (value: unknown): unknown => (value === undefined ? null : value)
const mapOf = (value: unknown, each: (v: unknown) => unknown): unknown =>
  isJsonObject(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, each(v)]))
    : null

function schemaStruct(value: unknown): GoStruct | null {
  if (!isJsonObject(value)) return null
  const s = value
  const schemas = (v: unknown): unknown => (Array.isArray(v) ? v.map(schemaStruct) : null)
  const orBool = (v: unknown): unknown =>
    v === undefined
      ? null
      : new GoStruct([
          ['Allows', v !== false],
          ['Schema', schemaStruct(v)],
        ])
  const items = s['items']
  return new GoStruct([
    ['ID', textOf(s['id'])],
    ['Schema', textOf(s['$schema'])],
    ['Ref', ptr(s['$ref'])],
    ['Description', textOf(s['description'])],
    ['Type', textOf(s['type'])],
    ['Nullable', s['nullable'] === true],
    ['Format', textOf(s['format'])],
    ['Title', textOf(s['title'])],
    ['Default', ptr(s['default'])],
    ['Maximum', ptr(s['maximum'])],
    ['ExclusiveMaximum', s['exclusiveMaximum'] === true],
    ['Minimum', ptr(s['minimum'])],
    ['ExclusiveMinimum', s['exclusiveMinimum'] === true],
    ['MaxLength', ptr(s['maxLength'])],
    ['MinLength', ptr(s['minLength'])],
    ['Pattern', textOf(s['pattern'])],
    ['MaxItems', ptr(s['maxItems'])],
    ['MinItems', ptr(s['minItems'])],
    ['UniqueItems', s['uniqueItems'] === true],
    ['MultipleOf', ptr(s['multipleOf'])],
    ['Enum', ptr(s['enum'])],
    ['MaxProperties', ptr(s['maxProperties'])],
    ['MinProperties', ptr(s['minProperties'])],
    ['Required', ptr(s['required'])],
    [
      'Items',
      items === undefined
        ? null
        : new GoStruct([
            ['Schema', schemaStruct(items)],
            ['JSONSchemas', schemas(items)],
          ]),
    ],
    ['AllOf', schemas(s['allOf'])],
    ['OneOf', schemas(s['oneOf'])],
    ['AnyOf', schemas(s['anyOf'])],
    ['Not', schemaStruct(s['not'])],
    ['Properties', mapOf(s['properties'], schemaStruct)],
    ['AdditionalProperties', orBool(s['additionalProperties'])],
    ['PatternProperties', mapOf(s['patternProperties'], schemaStruct)],
    [
      'Dependencies',
      mapOf(
        s['dependencies'],
        (d) =>
          new GoStruct([
            ['Schema', schemaStruct(d)],
            ['Property', Array.isArray(d) ? d : null],
          ]),
      ),
    ],
    ['AdditionalItems', orBool(s['additionalItems'])],
    ['Definitions', mapOf(s['definitions'], schemaStruct)],
    [
      'ExternalDocs',
      isJsonObject(s['externalDocs'])
        ? new GoStruct([
            ['Description', textOf(s['externalDocs']['description'])],
            ['URL', textOf(s['externalDocs']['url'])],
          ])
        : null,
    ],
    ['Example', ptr(s['example'])],
    ['XPreserveUnknownFields', ptr(s['x-kubernetes-preserve-unknown-fields'])],
    ['XEmbeddedResource', s['x-kubernetes-embedded-resource'] === true],
    ['XIntOrString', s['x-kubernetes-int-or-string'] === true],
    ['XListMapKeys', ptr(s['x-kubernetes-list-map-keys'])],
    ['XListType', ptr(s['x-kubernetes-list-type'])],
    ['XMapType', ptr(s['x-kubernetes-map-type'])],
    [
      'XValidations',
      Array.isArray(s['x-kubernetes-validations'])
        ? s['x-kubernetes-validations'].map(ruleStruct)
        : null,
    ],
  ])
}

function versionStruct(value: unknown): GoStruct {
  const v = objectOf(value)
  const subresources = isJsonObject(v['subresources']) ? v['subresources'] : undefined
  const scale = objectOf(subresources?.['scale'])
  const column = (c: unknown): GoStruct => {
    const o = objectOf(c)
    return new GoStruct([
      ['Name', textOf(o['name'])],
      ['Type', textOf(o['type'])],
      ['Format', textOf(o['format'])],
      ['Description', textOf(o['description'])],
      ['Priority', typeof o['priority'] === 'number' ? o['priority'] : 0],
      ['JSONPath', textOf(o['jsonPath'] ?? o['JSONPath'])],
    ])
  }
  return new GoStruct([
    ['Name', textOf(v['name'])],
    ['Served', v['served'] === true],
    ['Storage', v['storage'] === true],
    ['Deprecated', v['deprecated'] === true],
    ['DeprecationWarning', ptr(v['deprecationWarning'])],
    [
      'Schema',
      isJsonObject(v['schema'])
        ? new GoStruct([['OpenAPIV3Schema', schemaStruct(v['schema']['openAPIV3Schema'])]])
        : null,
    ],
    [
      'Subresources',
      subresources === undefined
        ? null
        : new GoStruct([
            ['Status', isJsonObject(subresources['status']) ? new GoStruct([]) : null],
            [
              'Scale',
              isJsonObject(subresources['scale'])
                ? new GoStruct([
                    ['SpecReplicasPath', textOf(scale['specReplicasPath'])],
                    ['StatusReplicasPath', textOf(scale['statusReplicasPath'])],
                    ['LabelSelectorPath', ptr(scale['labelSelectorPath'])],
                  ])
                : null,
            ],
          ]),
    ],
    [
      'AdditionalPrinterColumns',
      Array.isArray(v['additionalPrinterColumns'])
        ? v['additionalPrinterColumns'].map(column)
        : null,
    ],
    [
      'SelectableFields',
      Array.isArray(v['selectableFields'])
        ? v['selectableFields'].map(
            (f) => new GoStruct([['JSONPath', textOf(objectOf(f)['jsonPath'])]]),
          )
        : null,
    ],
  ])
}

const joined = (errs: string[]): string => errs.join(',')

const META_KEYS = ['kind', 'apiVersion']
const WHERE = {
  root: 'at the root',
  item: 'for specified array items',
  field: 'for specified object fields',
}

// pkg/apiserver/schema/validation.go validateStructuralInvariants, for the parts a schema that
// NewStructural reads can break, added to `errs`; `level` as there.
function structuralErrors(
  s: JsonObject,
  level: 'root' | 'item' | 'field',
  path: string,
  errs: FieldError[],
): void {
  const type = textOf(s['type'])
  const items = s['items']
  if (type === 'array' && items === undefined)
    errs.push(required(`${path}.items`, 'must be specified'))
  if (isJsonObject(items)) structuralErrors(items, 'item', `${path}.items`, errs)
  const properties = objectOf(s['properties'])
  for (const key in properties) {
    const property = properties[key]
    structuralErrors(objectOf(property), 'field', `${path}.properties[${key}]`, errs)
  }
  const additional = s['additionalProperties']
  if (additional !== undefined) {
    if (level === 'root')
      errs.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'))
    if (isJsonObject(additional))
      structuralErrors(additional, 'field', `${path}.additionalProperties`, errs)
  }
  const embedded = s['x-kubernetes-embedded-resource'] === true
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true
  if (embedded && type !== 'object') {
    errs.push(
      type === ''
        ? required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true')
        : invalid(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true'),
    )
  } else if (type === '' && s['x-kubernetes-int-or-string'] !== true && !preserve) {
    errs.push(required(`${path}.type`, `must not be empty ${WHERE[level]}`))
  }
  if (embedded && additional !== undefined)
    errs.push(
      forbidden(
        `${path}.additionalProperties`,
        'must not be used if x-kubernetes-embedded-resource is set',
      ),
    )
  if (level === 'root' && type !== '' && type !== 'object')
    errs.push(invalid(`${path}.type`, type, 'must be object at the root'))
  const checkMetadata = level === 'root' || embedded
  for (const key of checkMetadata ? META_KEYS : []) {
    const property = properties[key]
    if (isJsonObject(property) && property['type'] !== 'string')
      errs.push(
        invalid(`${path}.properties[${key}].type`, textOf(property['type']), 'must be string'),
      )
  }
  if (embedded && !preserve && !isSet('properties', properties))
    errs.push(
      required(
        `${path}.properties`,
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    )
}

// The schema keywords NewStructural cannot hold (convert.go validateUnsupportedFields), with the
// name its error gives each; `additionalItems` counts when present, the others when not empty.
const UNSUPPORTED: readonly (readonly [string, string])[] = [
  ['id', 'id'],
  ['$schema', 'schema'],
  ['$ref', '$ref'],
  ['patternProperties', 'patternProperties'],
  ['dependencies', 'dependencies'],
  ['additionalItems', 'additionalItems'],
  ['definitions', 'definitions'],
]
const NESTED = ['allOf', 'anyOf', 'oneOf'] as const

// Whether a keyword's value counts as set (Go: a non-empty string, map or slice; a non-nil pointer).
function isSet(key: string, value: unknown): boolean {
  if (value === undefined || value === '') return false
  if (!isJsonObject(value) || key === 'additionalItems') return true
  for (const _ in value) return true
  return false
}

// pkg/apiserver/schema/convert.go NewStructural's error: the first field it cannot hold (fields
// of one node, then its value validations, items, properties in sorted order — Go's is random —
// and additionalProperties); undefined when it reads. Walked on every CRD written: nothing is
// allocated until an error is found.
function structuralInitError(s: JsonObject): string | undefined {
  for (const [key, name] of UNSUPPORTED)
    if (isSet(key, s[key])) return `OpenAPIV3Schema '${name}' is not supported`
  for (const key of NESTED) {
    const list = s[key]
    if (!Array.isArray(list)) continue
    for (const sub of list) {
      const error = isJsonObject(sub) ? structuralInitError(sub) : undefined
      if (error !== undefined) return error
    }
  }
  const not = s['not']
  const notError = isJsonObject(not) ? structuralInitError(not) : undefined
  if (notError !== undefined) return notError
  if (s['x-kubernetes-preserve-unknown-fields'] === false)
    return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined"
  const items = s['items']
  if (Array.isArray(items)) return "OpenAPIV3Schema 'items' must be a schema, but is an array"
  const itemsError = isJsonObject(items) ? structuralInitError(items) : undefined
  if (itemsError !== undefined) return itemsError
  const properties = s['properties']
  if (isJsonObject(properties)) {
    let first: string | undefined
    let firstKey = ''
    for (const key in properties) {
      const property = properties[key]
      const error = isJsonObject(property) ? structuralInitError(property) : undefined
      if (error !== undefined && (first === undefined || key < firstKey)) {
        first = error
        firstKey = key
      }
    }
    if (first !== undefined) return first
  }
  const additional = s['additionalProperties']
  return isJsonObject(additional) ? structuralInitError(additional) : undefined
}

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string']

const FORBIDDEN_KEYWORDS = [
  'id',
  'additionalItems',
  'patternProperties',
  'definitions',
  'dependencies',
]
const LIST_TYPES = ['atomic', 'set', 'map']
const MAP_TYPES = ['atomic', 'granular']

// ValidateCustomResourceDefinitionOpenAPISchema's value checks that need no CEL, in its order,
// added to `errs`; a map's properties in their order in the CRD (Go's is random).
// `sink.cel` collects what compiling the rules finds and `sink.defaults` what checking the
// defaults finds, both on the same walk (undefined: not checked there); `where` is
// what the specStandardValidator carries down: why defaults are forbidden here, and whether this
// is inside a resource's metadata, apiVersion or kind.
const META_FIELDS = new Set(['metadata', 'kind', 'apiVersion'])

interface Sink {
  cel?: FieldError[] | undefined
  defaults?: FieldError[] | undefined
}

function openApiErrors(
  s: JsonObject,
  path: string,
  errs: FieldError[],
  sink: Sink,
  where: {
    noDefaults?: string
    insideMeta?: boolean
    root?: boolean
    uncorrelatable?: string
  } = {},
): void {
  const start = errs.length
  if (sink.defaults !== undefined && s['default'] !== undefined)
    sink.defaults.push(...defaultErrors(s, path))
  const type = textOf(s['type'])
  if (type !== '' && !OPENAPI_TYPES.includes(type))
    errs.push(notSupported(`${path}.type`, type, OPENAPI_TYPES))
  if (s['default'] !== undefined && where.noDefaults !== undefined)
    errs.push(forbidden(`${path}.default`, `must not be set ${where.noDefaults}`))
  // specStandardValidatorV3.validate: what no CRD schema may use (a non-nil map counts).
  for (const key of FORBIDDEN_KEYWORDS)
    if (isSet(key, s[key]) || (key === 'dependencies' && isJsonObject(s[key])))
      errs.push(forbidden(`${path}.${key}`, `${key} is not supported`))
  if (s['$ref'] !== undefined) errs.push(forbidden(`${path}.$ref`, '$ref is not supported'))
  if (type === 'null')
    errs.push(
      forbidden(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'),
    )
  const items = s['items']
  if (Array.isArray(items))
    errs.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'))
  if (s['uniqueItems'] === true)
    errs.push(
      forbidden(
        `${path}.uniqueItems`,
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    )
  const additional = s['additionalProperties']
  const properties = s['properties']
  // What the children inherit (everything but being the root).
  // (One object per node that changes it: a schema of a thousand CRDs has ~400,000 nodes.)
  const inner = where.root === true ? { ...where, root: false } : where
  if (additional !== undefined) {
    if (isSet('properties', properties) && additional !== true)
      errs.push(
        forbidden(
          `${path}.additionalProperties`,
          'additionalProperties and properties are mutual exclusive',
        ),
      )
    if (isJsonObject(additional))
      // ValidateDefaults does not follow additionalProperties (defaults are forbidden there).
      openApiErrors(
        additional,
        `${path}.additionalProperties`,
        errs,
        sink.defaults === undefined ? sink : { ...sink, defaults: undefined },
        where.insideMeta === true
          ? { ...inner, noDefaults: 'inside additionalProperties applying to object metadata' }
          : inner,
      )
  }
  // The root and embedded resources: their metadata, kind and apiVersion are resource meta.
  const resource = where.root === true || s['x-kubernetes-embedded-resource'] === true
  if (isJsonObject(properties))
    for (const key in properties) {
      const property = properties[key]
      if (!isJsonObject(property)) continue
      const meta = resource && META_FIELDS.has(key)
      openApiErrors(
        property,
        `${path}.properties[${key}]`,
        errs,
        sink,
        !meta
          ? inner
          : where.root === true
            ? { ...inner, insideMeta: true, noDefaults: `in top-level ${key}` }
            : { ...inner, insideMeta: true },
      )
    }
  if (isJsonObject(s['not'])) openApiErrors(s['not'], `${path}.not`, errs, {}, inner)
  for (const of of ['allOf', 'oneOf', 'anyOf'] as const) {
    const list = s[of]
    if (Array.isArray(list))
      for (const [i, sub] of list.entries())
        if (isJsonObject(sub)) openApiErrors(sub, `${path}.${of}[${i}]`, errs, {}, inner)
  }
  // Items of a list that is not a map list cannot be paired with their old values: rules
  // under them may not read oldSelf (withForbidOldSelfValidations keeps the highest such list).
  if (isJsonObject(items))
    openApiErrors(
      items,
      `${path}.items`,
      errs,
      sink,
      s['x-kubernetes-list-type'] === 'map' || inner.uncorrelatable !== undefined
        ? inner
        : { ...inner, uncorrelatable: path },
    )
  if (s['x-kubernetes-preserve-unknown-fields'] === false)
    errs.push(
      invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'),
    )
  listAndMapErrors(s, type, path, errs)
  if (s['x-kubernetes-validations'] === undefined) return
  errs.push(...ruleFieldErrors(s, path))
  // Rules are compiled only where this node and those under it have no schema errors.
  if (sink.cel !== undefined && errs.length === start)
    sink.cel.push(...ruleCompileErrors(s, path, where.uncorrelatable))
}

// The x-kubernetes-map-type, -list-type and -list-map-keys rules of
// ValidateCustomResourceDefinitionOpenAPISchema and validateMapListKeysMapSet, in their order.
function listAndMapErrors(s: JsonObject, type: string, path: string, errs: FieldError[]): void {
  const mapType = s['x-kubernetes-map-type']
  const listType = s['x-kubernetes-list-type']
  const keys = s['x-kubernetes-list-map-keys']
  if (typeof mapType === 'string' && type !== 'object') {
    const detail = 'must be object if x-kubernetes-map-type is specified'
    errs.push(
      type === '' ? required(`${path}.type`, detail) : invalid(`${path}.type`, type, detail),
    )
  }
  if (typeof mapType === 'string' && !MAP_TYPES.includes(mapType))
    errs.push(notSupported(`${path}.x-kubernetes-map-type`, mapType, MAP_TYPES))
  const items = isJsonObject(s['items']) ? s['items'] : undefined
  if (typeof listType === 'string' && type !== 'array') {
    const detail = 'must be array if x-kubernetes-list-type is specified'
    errs.push(
      type === '' ? required(`${path}.type`, detail) : invalid(`${path}.type`, type, detail),
    )
  } else if (listType === 'set' && items !== undefined) {
    const detail = 'must be atomic as item of a list with x-kubernetes-list-type=set'
    const itemList = items['x-kubernetes-list-type']
    // Go prints the items' list type in both, its pointer or null.
    if (items['type'] === 'array' && itemList !== undefined && itemList !== 'atomic')
      errs.push(invalid(`${path}.items.x-kubernetes-list-type`, itemList, detail))
    if (items['type'] === 'object' && items['x-kubernetes-map-type'] !== 'atomic')
      errs.push(invalid(`${path}.items.x-kubernetes-map-type`, itemList ?? null, detail))
  }
  if (typeof listType === 'string' && !LIST_TYPES.includes(listType))
    errs.push(notSupported(`${path}.x-kubernetes-list-type`, listType, LIST_TYPES))
  const mapKeys = Array.isArray(keys) ? keys.map(textOf) : []
  if (mapKeys.length > 0) {
    const detail = 'must be map if x-kubernetes-list-map-keys is non-empty'
    if (typeof listType !== 'string') errs.push(required(`${path}.x-kubernetes-list-type`, detail))
    else if (listType !== 'map')
      errs.push(invalid(`${path}.x-kubernetes-list-type`, listType, detail))
  }
  if (listType === 'map') {
    if (mapKeys.length === 0)
      errs.push(
        required(
          `${path}.x-kubernetes-list-map-keys`,
          'must not be empty if x-kubernetes-list-type is map',
        ),
      )
    if (s['items'] === undefined)
      errs.push(required(`${path}.items`, 'must have a schema if x-kubernetes-list-type is map'))
    const itemType = textOf(items?.['type'])
    if (items !== undefined && itemType !== 'object')
      errs.push(
        invalid(
          `${path}.items.type`,
          itemType,
          "must be object if parent array's x-kubernetes-list-type is map",
        ),
      )
    if (items !== undefined && itemType === 'object') {
      const properties = objectOf(items['properties'])
      const seen = new Set<string>()
      for (const key of mapKeys) {
        const property = properties[key]
        if (!isJsonObject(property))
          errs.push(
            invalid(
              `${path}.x-kubernetes-list-map-keys`,
              mapKeys,
              'entries must all be names of item properties',
            ),
          )
        else if (property['type'] === 'array' || property['type'] === 'object')
          errs.push(
            invalid(
              `${path}.items.properties[${key}].type`,
              itemType,
              "must be a scalar type if parent array's x-kubernetes-list-type is map",
            ),
          )
        if (seen.has(key))
          errs.push(
            invalid(
              `${path}.x-kubernetes-list-map-keys`,
              mapKeys,
              'must not contain duplicate entries',
            ),
          )
        seen.add(key)
      }
    }
  }
  // validateMapListKeysMapSet.
  if (items === undefined || (listType !== 'set' && listType !== 'map')) return
  if (items['nullable'] === true)
    errs.push(
      forbidden(
        `${path}.items.nullable`,
        `cannot be nullable when x-kubernetes-list-type is ${listType}`,
      ),
    )
  if (listType !== 'map') return
  const requiredKeys = listOf(items['required'])
  const properties = objectOf(items['properties'])
  for (const key of mapKeys) {
    const property = properties[key]
    if (!isJsonObject(property)) continue
    if (!requiredKeys.includes(key) && property['default'] === undefined)
      errs.push(
        required(
          `${path}.items.properties[${key}].default`,
          'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
        ),
      )
    if (property['nullable'] === true)
      errs.push(
        forbidden(
          `${path}.items.properties[${key}].nullable`,
          'this property is in x-kubernetes-list-map-keys, so it cannot be nullable',
        ),
      )
  }
}

// validateCustomResourceDefinitionValidation on one openAPIV3Schema at `path` (…schema or
// spec.validation): structural errors sorted by their text as ValidateStructural sorts them.
function schemaErrors(
  validation: unknown,
  path: string,
  structural: boolean,
  statusEnabled: boolean,
): FieldError[] {
  const schema = objectOf(validation)['openAPIV3Schema']
  if (!isJsonObject(schema)) return []
  const at = `${path}.openAPIV3Schema`
  const errs: FieldError[] = []
  if (statusEnabled) errs.push(...statusRootErrors(schema, at))
  if (schema['nullable'] === true)
    errs.push(forbidden(`${at}.nullable`, 'nullable cannot be true at the root'))
  const initError = structural ? structuralInitError(schema) : undefined
  let structuralOk = false
  if (structural && initError === undefined) {
    // ValidateStructural sorts its errors by their text (Go compares bytes; the paths are ASCII).
    const found: FieldError[] = []
    structuralErrors(schema, 'root', at, found)
    const sorted = found.map((e) => [errorString(e), e] as const)
    sorted.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    errs.push(...sorted.map(([, e]) => e))
    structuralOk = found.length === 0
  }
  // A structural schema without structural errors has its defaults checked (ValidateDefaults,
  // reported before the schema errors), and its rules compiled when the defaults are valid
  // (RootCELContext; reported after every schema error).
  const sink: Sink = structuralOk ? { cel: [], defaults: [] } : {}
  const openApi: FieldError[] = []
  openApiErrors(schema, at, openApi, sink, { root: true })
  errs.push(...(sink.defaults ?? []), ...openApi)
  if (sink.defaults?.length === 0) errs.push(...(sink.cel ?? []))
  // A schema NewStructural cannot read is named only when nothing else is.
  if (errs.length === 0 && initError !== undefined) errs.push(invalid(at, '', initError))
  return errs
}

// The root schema fields a CRD with a status subresource may set (validation.go
// allowedFieldsAtRootSchema), by their Go names, and the JSON keys of JSONSchemaProps' fields in
// its declaration order.
const ROOT_FIELDS_ALLOWED = [
  'Description',
  'Type',
  'Format',
  'Title',
  'Maximum',
  'ExclusiveMaximum',
  'Minimum',
  'ExclusiveMinimum',
  'MaxLength',
  'MinLength',
  'Pattern',
  'MaxItems',
  'MinItems',
  'UniqueItems',
  'MultipleOf',
  'Required',
  'Items',
  'Properties',
  'ExternalDocs',
  'Example',
  'XPreserveUnknownFields',
  'XValidations',
]

// The keywords whose values are schemas (or lists and maps of them).
const SUBSCHEMAS = [
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
  'additionalProperties',
  'patternProperties',
  'dependencies',
  'additionalItems',
  'definitions',
]

// `schema` with every subschema emptied: its struct has the same zero and non-zero fields.
function rootOnly(schema: JsonObject): JsonObject {
  const out: JsonObject = { ...schema }
  for (const key of SUBSCHEMAS) {
    const value = out[key]
    if (Array.isArray(value)) out[key] = []
    else if (isJsonObject(value)) out[key] = {}
  }
  return out
}

// validateCustomResourceDefinitionValidation with the status subresource: the first set root
// field (in JSONSchemaProps' order) that is not allowed, or a type other than object, is named.
function statusRootErrors(schema: JsonObject, at: string): FieldError[] {
  // The root's own fields decide; its subschemas only fill the message, so the whole struct
  // (every property of a large schema) is built only for an error.
  const struct = schemaStruct(rootOnly(schema))
  for (const [name, value] of struct?.fields ?? []) {
    // Go's zero values: "", false, nil.
    if (value === '' || value === false || value === null) continue
    if (name === 'Type') {
      if (value === 'object') continue
      return [
        invalid(
          `${at}.type`,
          value,
          'only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
        ),
      ]
    }
    if (!ROOT_FIELDS_ALLOWED.includes(name))
      return [
        invalid(
          at,
          schemaStruct(schema),
          `only [${ROOT_FIELDS_ALLOWED.join(' ')}] fields are allowed at the root of the schema if the status subresource is enabled`,
        ),
      ]
  }
  return []
}

const hasStatus = (subresources: unknown): boolean => isJsonObject(objectOf(subresources)['status'])

// validateSimpleJSONPath.
function simplePathErrors(value: string, path: string): FieldError[] {
  if (value === '') return [invalid(path, value, 'must not be empty')]
  if (!value.startsWith('.'))
    return [invalid(path, value, 'must be a simple json path starting with .')]
  return []
}

// ValidateCustomResourceDefinitionSubresources: the scale subresource's paths.
function subresourcesErrors(subresources: unknown, path: string): FieldError[] {
  const scale = objectOf(subresources)['scale']
  if (!isJsonObject(scale)) return []
  const errs: FieldError[] = []
  const under = (key: string, prefixes: string[], detail: string): void => {
    const value = textOf(scale[key])
    const at = `${path}.scale.${key}`
    const pathErrors = simplePathErrors(value, at)
    if (pathErrors.length > 0) errs.push(...pathErrors)
    else if (!prefixes.some((prefix) => value.startsWith(prefix)))
      errs.push(invalid(at, value, detail))
  }
  for (const [key, prefix] of [
    ['specReplicasPath', '.spec.'],
    ['statusReplicasPath', '.status.'],
  ] as const) {
    if (textOf(scale[key]) === '') errs.push(required(`${path}.scale.${key}`))
    else under(key, [prefix], `should be a json path under ${prefix.slice(0, -1)}`)
  }
  if (textOf(scale['labelSelectorPath']) !== '')
    under(
      'labelSelectorPath',
      ['.spec.', '.status.'],
      'should be a json path under either .spec or .status',
    )
  return errs
}

// ValidateCustomResourceColumnDefinition (the internal type spells its path JSONPath).
function columnErrors(column: unknown, path: string): FieldError[] {
  const c = objectOf(column)
  const errs: FieldError[] = []
  if (textOf(c['name']) === '') errs.push(required(`${path}.name`))
  const type = textOf(c['type'])
  const types = `must be one of ${CRD_COLUMN_TYPES.join(',')}`
  if (type === '') errs.push(required(`${path}.type`, types))
  else if (!CRD_COLUMN_TYPES.includes(type)) errs.push(invalid(`${path}.type`, type, types))
  const format = textOf(c['format'])
  if (format !== '' && !CRD_COLUMN_FORMATS.includes(format))
    errs.push(invalid(`${path}.format`, format, `must be one of ${CRD_COLUMN_FORMATS.join(',')}`))
  const jsonPath = textOf(c['jsonPath'] ?? c['JSONPath'])
  if (jsonPath === '') errs.push(required(`${path}.JSONPath`))
  else errs.push(...simplePathErrors(jsonPath, `${path}.JSONPath`))
  return errs
}

const ACCEPTED_REVIEW_VERSIONS = ['v1', 'v1beta1']

// apiserver pkg/util/webhook ValidateWebhookURL with https forced, on the parts Go's url.Parse
// gives: scheme, userinfo, host, query and fragment (a URL url.Parse refuses is not told apart).
function webhookUrlErrors(url: string, at: string): FieldError[] {
  const form = '; desired format: https://host[/path]'
  const [beforeFragment = '', ...fragment] = url.split('#')
  const [beforeQuery = '', ...query] = beforeFragment.split('?')
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(beforeQuery)?.[1] ?? ''
  const rest = beforeQuery.slice(scheme === '' ? 0 : scheme.length + 1)
  const authority = rest.startsWith('//') ? (rest.slice(2).split('/')[0] ?? '') : undefined
  const userEnd = authority?.lastIndexOf('@') ?? -1
  const host = authority === undefined ? '' : authority.slice(userEnd + 1)
  const errs: FieldError[] = []
  if (scheme !== 'https')
    errs.push(invalid(at, scheme, `'https' is the only allowed URL scheme${form}`))
  if (host === '') errs.push(invalid(at, host, `host must be specified${form}`))
  if (authority !== undefined && userEnd !== -1)
    errs.push(
      invalid(at, authority.slice(0, userEnd), 'user information is not permitted in the URL'),
    )
  if (fragment.join('#') !== '')
    errs.push(invalid(at, fragment.join('#'), 'fragments are not permitted in the URL'))
  if (query.join('?') !== '')
    errs.push(invalid(at, query.join('?'), 'query parameters are not permitted in the URL'))
  return errs
}

// ValidateWebhookService: name, namespace, a valid port (443 by default) and a path of DNS
// subdomain segments.
function webhookServiceErrors(service: JsonObject, at: string): FieldError[] {
  const errs: FieldError[] = []
  // validateCustomResourceConversion passes the service's name and namespace in each other's
  // place: a missing namespace is named `name`, and the other way round.
  if (textOf(service['namespace']) === '') errs.push(required(`${at}.name`))
  if (textOf(service['name']) === '') errs.push(required(`${at}.namespace`))
  const port = typeof service['port'] === 'number' ? service['port'] : 443
  if (!(port >= 1 && port <= 65535))
    errs.push(
      invalid(`${at}.port`, port, 'port is not valid: must be between 1 and 65535, inclusive'),
    )
  const path = service['path']
  if (typeof path !== 'string' || path === '/' || path === '') return errs
  if (path === '//') return [...errs, invalid(`${at}.path`, path, 'segment[0] may not be empty')]
  if (!path.startsWith('/')) errs.push(invalid(`${at}.path`, path, "must start with a '/'"))
  const steps = path.slice(1).replace(/\/$/, '').split('/')
  for (const [i, step] of steps.entries()) {
    if (step === '') {
      errs.push(invalid(`${at}.path`, path, `segment[${i}] may not be empty`))
      continue
    }
    for (const failure of isDns1123Subdomain(step))
      errs.push(invalid(`${at}.path`, path, `segment[${i}]: ${failure}`))
  }
  return errs
}

// validateCustomResourceConversion on the internal form (webhookClientConfig and
// conversionReviewVersions beside the strategy); not the CA bundle.
function conversionErrors(spec: JsonObject, version: string): FieldError[] {
  if (!isJsonObject(spec['conversion'])) return []
  const conversion = spec['conversion']
  const webhook = version === 'v1beta1' ? conversion : objectOf(conversion['webhook'])
  const config = webhook[version === 'v1beta1' ? 'webhookClientConfig' : 'clientConfig']
  const reviews = webhook['conversionReviewVersions']
  const errs: FieldError[] = []
  const strategy = textOf(conversion['strategy'])
  if (strategy === '') errs.push(required('spec.conversion.strategy'))
  else if (strategy !== 'None' && strategy !== 'Webhook')
    errs.push(notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']))
  if (strategy === 'Webhook') {
    const at = 'spec.conversion.webhookClientConfig'
    if (!isJsonObject(config)) errs.push(required(at, 'required when strategy is set to Webhook'))
    else if ((config['url'] === undefined) === (config['service'] === undefined))
      errs.push(required(at, 'exactly one of url or service is required'))
    else if (config['url'] !== undefined)
      errs.push(...webhookUrlErrors(textOf(config['url']), `${at}.url`))
    else errs.push(...webhookServiceErrors(objectOf(config['service']), `${at}.service`))
    const versions = listOf(reviews).map(textOf)
    const path = 'spec.conversion.conversionReviewVersions'
    if (versions.length === 0) errs.push(required(path))
    else {
      const seen = new Set<string>()
      for (const [i, v] of versions.entries()) {
        if (seen.has(v)) {
          errs.push(invalid(`${path}[${i}]`, v, 'duplicate version'))
          continue
        }
        seen.add(v)
        for (const message of isDns1035Label(v)) errs.push(invalid(`${path}[${i}]`, v, message))
      }
      if (!versions.some((v) => ACCEPTED_REVIEW_VERSIONS.includes(v)))
        errs.push(
          invalid(
            path,
            versions,
            `must include at least one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`,
          ),
        )
    }
  } else {
    const detail = 'should not be set when strategy is not set to Webhook'
    if (config !== undefined && config !== null)
      errs.push(forbidden('spec.conversion.webhookClientConfig', detail))
    if (listOf(reviews).length > 0)
      errs.push(forbidden('spec.conversion.conversionReviewVersions', detail))
  }
  return errs
}

// ValidateCustomResourceDefinitionNames.
function namesErrors(names: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = []
  const dns1035 = (field: string, value: string, prefix = '', lower = false): void => {
    const messages = isDns1035Label(lower ? value.toLowerCase() : value)
    if (value !== '' && messages.length > 0)
      errs.push(invalid(`${path}.${field}`, value, prefix + joined(messages)))
  }
  const mixedCase = 'may have mixed case, but should otherwise match: '
  dns1035('plural', textOf(names['plural']))
  dns1035('singular', textOf(names['singular']))
  dns1035('kind', textOf(names['kind']), mixedCase, true)
  dns1035('listKind', textOf(names['listKind']), mixedCase, true)
  for (const [i, shortName] of listOf(names['shortNames']).entries()) {
    const messages = isDns1035Label(textOf(shortName))
    if (messages.length > 0)
      errs.push(invalid(`${path}.shortNames[${i}]`, shortName, joined(messages)))
  }
  const kind = textOf(names['kind'])
  if (kind !== '' && kind === names['listKind'])
    errs.push(invalid(`${path}.listKind`, kind, 'kind and listKind may not be the same'))
  for (const [i, category] of listOf(names['categories']).entries()) {
    const messages = isDns1035Label(textOf(category))
    if (messages.length > 0)
      errs.push(invalid(`${path}.categories[${i}]`, category, joined(messages)))
  }
  return errs
}

// validateDeprecationWarning.
function deprecationErrors(version: JsonObject, path: string): FieldError[] {
  const warning = version['deprecationWarning']
  if (warning === undefined || warning === null) return []
  const at = `${path}.deprecationWarning`
  if (version['deprecated'] !== true)
    return [invalid(at, warning, 'can only be set for deprecated versions')]
  const text = textOf(warning)
  const errs: FieldError[] = []
  if (Buffer.byteLength(text) > 256) errs.push(invalid(at, text, 'must be <= 256 characters long'))
  if (text === '') errs.push(invalid(at, text, 'must not be an empty string'))
  return errs
}

interface Options {
  requireOpenAPISchema: boolean
  requireStructural: boolean
  /** The apiextensions version written: where the conversion webhook's fields are. */
  version: string
  /**
   * Whether the selectable fields of this version (undefined: the spec's) may stay above the
   * maximum: an update leaves them as they were (findTooManySelectableFieldsAllowed).
   */
  keepsTooManySelectableFields: (version: string | undefined) => boolean
}

// validateCustomResourceDefinitionSpec, on the internal form.
function specErrors(spec: JsonObject, options: Options): FieldError[] {
  const errs: FieldError[] = []
  const group = textOf(spec['group'])
  const groupMessages = isDns1123Subdomain(group)
  if (group === '') errs.push(required('spec.group'))
  else if (groupMessages.length > 0) errs.push(invalid('spec.group', group, joined(groupMessages)))
  else if (!group.includes('.'))
    errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'))
  const scope = textOf(spec['scope'])
  if (scope === '') errs.push(required('spec.scope'))
  else if (scope !== 'Cluster' && scope !== 'Namespaced')
    errs.push(notSupported('spec.scope', scope, ['Cluster', 'Namespaced']))
  const versions = listOf(spec['versions']).map(objectOf)
  const topSchema = objectOf(spec['validation'])['openAPIV3Schema']
  if (options.requireOpenAPISchema && !isJsonObject(topSchema))
    for (const [i, v] of versions.entries())
      if (!isJsonObject(objectOf(v['schema'])['openAPIV3Schema']))
        errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`))
  const names = new Set<string>()
  let unique = true
  const perVersionSubresources = versions.some((v) => v['subresources'] !== undefined)
  for (const [i, v] of versions.entries()) {
    const name = textOf(v['name'])
    if (names.has(name)) unique = false
    names.add(name)
    const messages = isDns1035Label(name)
    if (messages.length > 0) errs.push(invalid(`spec.versions[${i}].name`, name, joined(messages)))
    errs.push(...deprecationErrors(v, `spec.versions[${i}]`))
    // getSubresourcesForVersion: the version's own, or the spec's when none has its own.
    const subresources = perVersionSubresources ? v['subresources'] : spec['subresources']
    errs.push(
      ...schemaErrors(
        v['schema'],
        `spec.versions[${i}].schema`,
        options.requireStructural,
        hasStatus(subresources),
      ),
    )
    errs.push(...subresourcesErrors(v['subresources'], `spec.versions[${i}].subresources`))
    for (const [j, column] of listOf(v['additionalPrinterColumns']).entries())
      errs.push(...columnErrors(column, `spec.versions[${i}].additionalPrinterColumns[${j}]`))
    errs.push(
      ...selectableFieldsErrors(
        v['selectableFields'],
        v['schema'],
        `spec.versions[${i}].selectableFields`,
        {
          perVersion: true,
          allowTooMany: options.keepsTooManySelectableFields(name),
        },
      ),
    )
  }
  if (spec['validation'] !== undefined && versions.some((v) => v['schema'] !== undefined))
    errs.push(
      forbidden('spec.validation', 'top-level and per-version schemas are mutually exclusive'),
    )
  // A spec without versions has a nil slice: `null`.
  const asStructs = (): GoStruct[] | null =>
    Array.isArray(spec['versions']) ? versions.map(versionStruct) : null
  if (!unique) errs.push(invalid('spec.versions', asStructs(), 'must contain unique version names'))
  if (versions.filter((v) => v['storage'] === true).length !== 1)
    errs.push(
      invalid(
        'spec.versions',
        asStructs(),
        'must have exactly one version marked as storage version',
      ),
    )
  const version = textOf(spec['version'])
  if (version !== '') {
    const messages = isDns1035Label(version)
    if (messages.length > 0) errs.push(invalid('spec.version', version, joined(messages)))
    const first = versions[0]
    if (first !== undefined && first['name'] !== version)
      errs.push(invalid('spec.version', version, 'must match the first version in spec.versions'))
  }
  const crdNames = objectOf(spec['names'])
  for (const field of ['plural', 'singular', 'kind', 'listKind'])
    if (textOf(crdNames[field]) === '') errs.push(required(`spec.names.${field}`))
  errs.push(...namesErrors(crdNames, 'spec.names'))
  const anyStatus =
    hasStatus(spec['subresources']) || versions.some((v) => hasStatus(v['subresources']))
  errs.push(
    ...schemaErrors(spec['validation'], 'spec.validation', options.requireStructural, anyStatus),
  )
  errs.push(...subresourcesErrors(spec['subresources'], 'spec.subresources'))
  for (const [j, column] of listOf(spec['additionalPrinterColumns']).entries())
    errs.push(...columnErrors(column, `spec.additionalPrinterColumns[${j}]`))
  errs.push(
    ...selectableFieldsErrors(
      spec['selectableFields'],
      spec['validation'],
      'spec.selectableFields',
      {
        perVersion: false,
        allowTooMany: options.keepsTooManySelectableFields(undefined),
      },
    ),
  )
  const conversion = objectOf(spec['conversion'])
  const strategy = textOf(conversion['strategy'])
  if (strategy !== '' && strategy !== 'None' && spec['preserveUnknownFields'] === true)
    errs.push(
      invalid(
        'spec.conversion.strategy',
        strategy,
        'must be None if spec.preserveUnknownFields is true',
      ),
    )
  errs.push(...conversionErrors(spec, options.version))
  return errs
}

// ValidateCustomResourceDefinitionStoredVersions.
function storedVersionsErrors(stored: string[] | null, versions: JsonObject[]): FieldError[] {
  const path = 'status.storedVersions'
  if (stored === null || stored.length === 0)
    return [invalid(path, stored, 'must have at least one stored version')]
  const errs: FieldError[] = []
  const remaining = new Map(stored.map((v, i) => [v, i]))
  for (const v of versions) {
    const name = textOf(v['name'])
    if (v['storage'] === true && !remaining.has(name))
      errs.push(invalid(path, stored, `must have the storage version ${name}`))
    remaining.delete(name)
  }
  for (const [v, i] of remaining)
    errs.push(
      invalid(
        `${path}[${i}]`,
        v,
        `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`,
      ),
    )
  return errs
}

const APPROVAL = 'api-approved.kubernetes.io'

// apihelpers GetAPIApprovalState: the state and its reason.
function approvalOf(crd: JsonObject): [string, string] {
  const annotation = textOf(objectOf(objectOf(crd['metadata'])['annotations'])[APPROVAL])
  if (annotation === '')
    return [
      'missing',
      `protected groups must have approval annotation "${APPROVAL}", see https://github.com/kubernetes/enhancements/pull/1111`,
    ]
  if (annotation.startsWith('unapproved')) return ['bypassed', '']
  // url.ParseRequestURI with a scheme and a host.
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]+/.test(annotation)) return ['approved', '']
  return [
    'invalid',
    `protected groups must have approval annotation "${APPROVAL}" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111`,
  ]
}

// validateAPIApproval: *.k8s.io and *.kubernetes.io need the annotation, unless an update keeps
// the state it had.
function approvalErrors(crd: JsonObject, old: JsonObject | undefined): FieldError[] {
  const group = textOf(objectOf(crd['spec'])['group'])
  const isProtected = ['k8s.io', 'kubernetes.io'].some(
    (domain) => group === domain || group.endsWith(`.${domain}`),
  )
  if (!isProtected) return []
  const [state, reason] = approvalOf(crd)
  if (old !== undefined && approvalOf(old)[0] === state) return []
  const path = `metadata.annotations[${APPROVAL}]`
  if (state === 'missing') return [required(path, reason)]
  if (state === 'invalid')
    return [invalid(path, objectOf(objectOf(crd['metadata'])['annotations'])[APPROVAL], reason)]
  return []
}

function isEstablished(crd: JsonObject): boolean {
  return listOf(objectOf(crd['status'])['conditions']).some(
    (c) => isJsonObject(c) && c['type'] === 'Established' && c['status'] === 'True',
  )
}

/**
 * The field errors kube-apiserver's CRD strategy finds in `crd`, a create (`old` undefined) or
 * update of apiextensions.k8s.io/`version` with the server's defaults applied, in the server's
 * order; none when it is valid. On a v1beta1-only server (1.13) neither a schema nor a structural
 * one is required, as then.
 *
 * @example
 * crdValidationErrors({ metadata: { name: 'widgets.example' }, spec: { group: 'example', … } }, undefined, 'v1')
 * // [{ type: 'FieldValueInvalid', field: 'spec.group', badValue: 'example', detail: 'should be a domain with at least one dot' }]
 */
export function crdValidationErrors(
  crd: JsonObject,
  old: JsonObject | undefined,
  version: string,
): FieldError[] {
  const spec = objectOf(crd['spec'])
  const internal = internalSpec(spec, version)
  const v1 = version !== 'v1beta1'
  const errs: FieldError[] = []
  if (old === undefined) {
    // ValidateObjectMeta with the CRD's name rule.
    const name = textOf(objectOf(crd['metadata'])['name'])
    for (const message of isDns1123Subdomain(name))
      errs.push(invalid('metadata.name', name, message))
    const names = objectOf(spec['names'])
    if (name !== `${textOf(names['plural'])}.${textOf(spec['group'])}`)
      errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'))
  }
  const oldInternal = old === undefined ? undefined : internalSpec(objectOf(old['spec']), version)
  errs.push(
    ...specErrors(internal, {
      requireOpenAPISchema: v1,
      requireStructural: v1,
      version,
      keepsTooManySelectableFields: (name) =>
        oldInternal !== undefined && keepsTooMany(internal, oldInternal, name),
    }),
  )
  if (old !== undefined) {
    const oldSpec = objectOf(old['spec'])
    const immutable = (path: string, now: unknown, was: unknown): void => {
      if (!isDeepStrictEqual(now, was)) errs.push(invalid(path, now, 'field is immutable'))
    }
    const names = objectOf(spec['names'])
    const oldNames = objectOf(oldSpec['names'])
    if (isEstablished(old)) {
      immutable('spec.scope', textOf(spec['scope']), textOf(oldSpec['scope']))
      immutable('spec.names.kind', textOf(names['kind']), textOf(oldNames['kind']))
    }
    immutable('spec.group', textOf(spec['group']), textOf(oldSpec['group']))
    immutable('spec.names.plural', textOf(names['plural']), textOf(oldNames['plural']))
  }
  // PrepareForCreate / PrepareForUpdate: the old status's stored versions, and the storage one.
  const stored = listOf(objectOf(old?.['status'])['storedVersions']).map(textOf)
  const storage = crdStorageVersionOf(crd)
  if (storage !== undefined && !stored.includes(storage)) stored.push(storage)
  errs.push(
    ...storedVersionsErrors(
      stored.length === 0 ? null : stored,
      listOf(spec['versions']).map(objectOf),
    ),
  )
  errs.push(...approvalErrors(crd, old))
  // validatePreserveUnknownFields: never set to true again (v1beta1 servers default it to true).
  const wasPreserving = objectOf(old?.['spec'])['preserveUnknownFields'] === true
  if (v1 && !wasPreserving && spec['preserveUnknownFields'] === true)
    errs.push(
      invalid(
        'spec.preserveUnknownFields',
        true,
        'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    )
  return errs
}

// findTooManySelectableFieldsAllowed: the old spec's (or its version's) selectable fields were
// over the maximum and are unchanged.
function keepsTooMany(spec: JsonObject, old: JsonObject, name: string | undefined): boolean {
  const fieldsOf = (s: JsonObject): unknown =>
    name === undefined
      ? s['selectableFields']
      : listOf(s['versions'])
          .map(objectOf)
          .find((v) => v['name'] === name)?.['selectableFields']
  const was = fieldsOf(old)
  return listOf(was).length > MAX_SELECTABLE_FIELDS && isDeepStrictEqual(fieldsOf(spec), was)
}

// validation.go SchemaHas: every schema node of a CRD schema, the node first (properties in the
// CRD's order; Go's is random).
function eachSchemaNode(s: unknown, visit: (node: JsonObject) => void): void {
  if (!isJsonObject(s)) return
  visit(s)
  const items = s['items']
  if (Array.isArray(items)) for (const item of items) eachSchemaNode(item, visit)
  else eachSchemaNode(items, visit)
  for (const key of ['allOf', 'anyOf', 'oneOf'])
    for (const sub of listOf(s[key])) eachSchemaNode(sub, visit)
  eachSchemaNode(s['not'], visit)
  for (const key of ['properties', 'patternProperties', 'definitions']) {
    const map = s[key]
    if (isJsonObject(map)) for (const name in map) eachSchemaNode(map[name], visit)
  }
  eachSchemaNode(s['additionalProperties'], visit)
  eachSchemaNode(s['additionalItems'], visit)
}

// The openAPIV3Schemas of the internal spec: the spec-wide one, then each version's.
function schemasOf(spec: JsonObject): unknown[] {
  return [spec['validation'], ...listOf(spec['versions']).map((v) => objectOf(v)['schema'])].map(
    (validation) => objectOf(validation)['openAPIV3Schema'],
  )
}

// strategy.go getUnrecognizedFormatsInCRD, one entry per node, and
// getNonScalarListTypeSetWarnings, sorted and without repeats.
function warningsOf(spec: JsonObject): { formats: string[]; sets: string[] } {
  const formats: string[] = []
  const sets = new Set<string>()
  for (const schema of schemasOf(spec))
    eachSchemaNode(schema, (node) => {
      const format = textOf(node['format'])
      if (format !== '' && keptFormat(textOf(node['type']), format) === '') formats.push(format)
      const items = node['items']
      const itemType = isJsonObject(items) ? items['type'] : undefined
      if (
        node['x-kubernetes-list-type'] === 'set' &&
        (itemType === 'object' || itemType === 'array')
      )
        sets.add(
          `x-kubernetes-list-type: set for items of type "${itemType}" is not supported by server-side apply or CEL validation rules`,
        )
    })
  return { formats, sets: [...sets].sort() }
}

/**
 * The `Warning`s kube-apiserver answers a valid CRD write with (strategy.go WarningsOnCreate,
 * WarningsOnUpdate): its schemas' unrecognized formats and sets of non-scalar items — on an update
 * only those the old CRD did not have —, each text once.
 *
 * @example
 * crdWarnings(crdWithASemverFormat, undefined, 'v1') // ['unrecognized format "semver"']
 */
export function crdWarnings(
  crd: JsonObject,
  old: JsonObject | undefined,
  version: string,
): string[] {
  const now = warningsOf(internalSpec(objectOf(crd['spec']), version))
  const before =
    old === undefined
      ? { formats: [], sets: [] }
      : warningsOf(internalSpec(objectOf(old['spec']), version))
  // A format counts as old when the old CRD had it anywhere (the Go sets are of format names).
  const oldFormats = new Set(before.formats)
  // The request's warning recorder (apiserver pkg/endpoints/warning) keeps one of each text.
  return [
    ...new Set([
      ...now.formats
        .filter((f) => !oldFormats.has(f))
        .map((f) => `unrecognized format ${goQuote(f)}`),
      ...now.sets.filter((w) => !before.sets.includes(w)),
    ]),
  ]
}
