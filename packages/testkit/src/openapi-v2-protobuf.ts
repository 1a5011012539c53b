// `/openapi/v2` as protobuf, as kube-openapi `pkg/handler/handler.go` ToProtoBinary makes it:
// gnostic's `openapiv2.ParseDocument` reads the JSON into an `openapi.v2.Document` (gnostic-models
// `openapiv2/OpenAPIv2.go`, the New* functions: required and allowed keys, enum values, oneofs
// where the last alternative that parses wins, `x-` keys as NamedAny whose Any holds the value's
// YAML), then `proto.Marshal` writes it (proto3: zero scalars left out, fields by number). The
// messages are those of gnostic-models `openapiv2/OpenAPIv2.proto` (v0.7.0, the version
// kube-apiserver 1.37 vendors), declared below from that file; protobufjs writes them.
import protobuf from 'protobufjs/light.js'
import { isJsonObject } from './_json.js'
import { marshalYamlV3 } from './yaml-v3-marshal.js'

/** The JSON key of a field, its proto name and number, and what it holds. */
export type FieldSpec = readonly [
  key: string,
  name: string,
  id: number,
  kind: Kind,
  values?: readonly string[],
]

/**
 * `string` (which also takes an integer or null, as `StringForScalarNode` does), `bool`,
 * `int64`, `double`, `strings` (a sequence's string items), `any`/`anys` (YAML text), or a
 * message by name (`[]Name` repeated).
 */
export type Kind = string

/** Keys matching `pattern` become named entries of field `id` (`MAP:` in OpenAPIv2.go). */
export interface PatternMap {
  pattern: RegExp
  name: string
  id: number
  value: Kind
}

/** How one message is read from JSON. */
export type MessageSpec =
  | {
      shape: 'object'
      fields: readonly FieldSpec[]
      required?: readonly string[]
      maps?: readonly PatternMap[]
      /** `InvalidKeysInMap` is checked (every message but JsonReference). */
      strict: boolean
    }
  /** Every key an entry: `{name, value}` of field 1. */
  | { shape: 'map'; value: Kind }
  /** Alternatives in order; the last one that parses wins. */
  | { shape: 'oneof'; alternatives: readonly (readonly [name: string, id: number, kind: Kind])[] }
  /** TypeItem, ItemsItem, StringArray: their own New* functions. */
  | { shape: 'type-item' | 'items-item' | 'string-array' }

const vendor = (id: number): PatternMap => ({
  pattern: /^x-/,
  name: 'vendor_extension',
  id,
  value: 'any',
})

const types = ['string', 'number', 'boolean', 'integer', 'array']
const formats = ['csv', 'ssv', 'tsv', 'pipes']

// The validation keywords HeaderParameterSubSchema, PathParameterSubSchema, PrimitivesItems and
// Header share, numbered from `first`; Query and FormData put allowEmptyValue before `type`.
function primitiveFields(first: number, withMulti: boolean): FieldSpec[] {
  const keys: [string, string, Kind][] = [
    ['format', 'format', 'string'],
    ['items', 'items', 'PrimitivesItems'],
    ['collectionFormat', 'collection_format', 'string'],
    ['default', 'default', 'any'],
    ['maximum', 'maximum', 'double'],
    ['exclusiveMaximum', 'exclusive_maximum', 'bool'],
    ['minimum', 'minimum', 'double'],
    ['exclusiveMinimum', 'exclusive_minimum', 'bool'],
    ['maxLength', 'max_length', 'int64'],
    ['minLength', 'min_length', 'int64'],
    ['pattern', 'pattern', 'string'],
    ['maxItems', 'max_items', 'int64'],
    ['minItems', 'min_items', 'int64'],
    ['uniqueItems', 'unique_items', 'bool'],
    ['enum', 'enum', 'anys'],
    ['multipleOf', 'multiple_of', 'double'],
  ]
  return keys.map(([key, name, kind], i) =>
    key === 'collectionFormat'
      ? [key, name, first + i, kind, withMulti ? [...formats, 'multi'] : formats]
      : [key, name, first + i, kind],
  )
}

function parameterSubSchema(
  location: string,
  options: { allowEmptyValue: boolean; multi: boolean; file?: boolean; required?: string[] },
): MessageSpec {
  const head: FieldSpec[] = [
    ['required', 'required', 1, 'bool'],
    ['in', 'in', 2, 'string', [location]],
    ['description', 'description', 3, 'string'],
    ['name', 'name', 4, 'string'],
  ]
  if (options.allowEmptyValue) head.push(['allowEmptyValue', 'allow_empty_value', 5, 'bool'])
  const typeId = head.length + 1
  head.push(['type', 'type', typeId, 'string', options.file === true ? [...types, 'file'] : types])
  const fields = [...head, ...primitiveFields(typeId + 1, options.multi)]
  return {
    shape: 'object',
    fields,
    ...(options.required === undefined ? {} : { required: options.required }),
    maps: [vendor(fields.length + 1)],
    strict: true,
  }
}

const oauth2 = (flow: string, urls: readonly (readonly [string, string])[]): MessageSpec => {
  const fields: FieldSpec[] = [
    ['type', 'type', 1, 'string', ['oauth2']],
    ['flow', 'flow', 2, 'string', [flow]],
    ['scopes', 'scopes', 3, 'Oauth2Scopes'],
    ...urls.map(([key, name], i): FieldSpec => [key, name, 4 + i, 'string']),
  ]
  fields.push(['description', 'description', fields.length + 1, 'string'])
  return {
    shape: 'object',
    fields,
    required: [...urls.map(([key]) => key), 'flow', 'type'],
    maps: [vendor(fields.length + 1)],
    strict: true,
  }
}

const object = (
  fields: readonly FieldSpec[],
  required: readonly string[] = [],
  maps: readonly PatternMap[] = [vendor(fields.length + 1)],
): MessageSpec => ({ shape: 'object', fields, required, maps, strict: true })

/** The messages of OpenAPIv2.proto that `Document` reaches, by name. */
export const messages: Readonly<Record<string, MessageSpec>> = {
  Document: object(
    [
      ['swagger', 'swagger', 1, 'string', ['2.0']],
      ['info', 'info', 2, 'Info'],
      ['host', 'host', 3, 'string'],
      ['basePath', 'base_path', 4, 'string'],
      ['schemes', 'schemes', 5, 'strings', ['http', 'https', 'ws', 'wss']],
      ['consumes', 'consumes', 6, 'strings'],
      ['produces', 'produces', 7, 'strings'],
      ['paths', 'paths', 8, 'Paths'],
      ['definitions', 'definitions', 9, 'Definitions'],
      ['parameters', 'parameters', 10, 'ParameterDefinitions'],
      ['responses', 'responses', 11, 'ResponseDefinitions'],
      ['security', 'security', 12, '[]SecurityRequirement'],
      ['securityDefinitions', 'security_definitions', 13, 'SecurityDefinitions'],
      ['tags', 'tags', 14, '[]Tag'],
      ['externalDocs', 'external_docs', 15, 'ExternalDocs'],
    ],
    ['info', 'paths', 'swagger'],
  ),
  Info: object(
    [
      ['title', 'title', 1, 'string'],
      ['version', 'version', 2, 'string'],
      ['description', 'description', 3, 'string'],
      ['termsOfService', 'terms_of_service', 4, 'string'],
      ['contact', 'contact', 5, 'Contact'],
      ['license', 'license', 6, 'License'],
    ],
    ['title', 'version'],
  ),
  Contact: object([
    ['name', 'name', 1, 'string'],
    ['url', 'url', 2, 'string'],
    ['email', 'email', 3, 'string'],
  ]),
  License: object(
    [
      ['name', 'name', 1, 'string'],
      ['url', 'url', 2, 'string'],
    ],
    ['name'],
  ),
  ExternalDocs: object(
    [
      ['description', 'description', 1, 'string'],
      ['url', 'url', 2, 'string'],
    ],
    ['url'],
  ),
  Tag: object(
    [
      ['name', 'name', 1, 'string'],
      ['description', 'description', 2, 'string'],
      ['externalDocs', 'external_docs', 3, 'ExternalDocs'],
    ],
    ['name'],
  ),
  Paths: object([], [], [vendor(1), { pattern: /^\//, name: 'path', id: 2, value: 'PathItem' }]),
  PathItem: object([
    ['$ref', '_ref', 1, 'string'],
    ['get', 'get', 2, 'Operation'],
    ['put', 'put', 3, 'Operation'],
    ['post', 'post', 4, 'Operation'],
    ['delete', 'delete', 5, 'Operation'],
    ['options', 'options', 6, 'Operation'],
    ['head', 'head', 7, 'Operation'],
    ['patch', 'patch', 8, 'Operation'],
    ['parameters', 'parameters', 9, '[]ParametersItem'],
  ]),
  Operation: object(
    [
      ['tags', 'tags', 1, 'strings'],
      ['summary', 'summary', 2, 'string'],
      ['description', 'description', 3, 'string'],
      ['externalDocs', 'external_docs', 4, 'ExternalDocs'],
      ['operationId', 'operation_id', 5, 'string'],
      ['produces', 'produces', 6, 'strings'],
      ['consumes', 'consumes', 7, 'strings'],
      ['parameters', 'parameters', 8, '[]ParametersItem'],
      ['responses', 'responses', 9, 'Responses'],
      ['schemes', 'schemes', 10, 'strings'],
      ['deprecated', 'deprecated', 11, 'bool'],
      ['security', 'security', 12, '[]SecurityRequirement'],
    ],
    ['responses'],
  ),
  ParametersItem: {
    shape: 'oneof',
    alternatives: [
      ['parameter', 1, 'Parameter'],
      ['json_reference', 2, 'JsonReference'],
    ],
  },
  Parameter: {
    shape: 'oneof',
    alternatives: [
      ['body_parameter', 1, 'BodyParameter'],
      ['non_body_parameter', 2, 'NonBodyParameter'],
    ],
  },
  BodyParameter: object(
    [
      ['description', 'description', 1, 'string'],
      ['name', 'name', 2, 'string'],
      ['in', 'in', 3, 'string', ['body']],
      ['required', 'required', 4, 'bool'],
      ['schema', 'schema', 5, 'Schema'],
    ],
    ['in', 'name', 'schema'],
  ),
  // NewNonBodyParameter also reports missing `in`/`name`/`type`, but discards that once an
  // alternative parses, and fails anyway when none does: only the alternatives decide.
  NonBodyParameter: {
    shape: 'oneof',
    alternatives: [
      ['header_parameter_sub_schema', 1, 'HeaderParameterSubSchema'],
      ['form_data_parameter_sub_schema', 2, 'FormDataParameterSubSchema'],
      ['query_parameter_sub_schema', 3, 'QueryParameterSubSchema'],
      ['path_parameter_sub_schema', 4, 'PathParameterSubSchema'],
    ],
  },
  HeaderParameterSubSchema: parameterSubSchema('header', { allowEmptyValue: false, multi: false }),
  FormDataParameterSubSchema: parameterSubSchema('formData', {
    allowEmptyValue: true,
    multi: true,
    file: true,
  }),
  QueryParameterSubSchema: parameterSubSchema('query', { allowEmptyValue: true, multi: true }),
  PathParameterSubSchema: parameterSubSchema('path', {
    allowEmptyValue: false,
    multi: false,
    required: ['required'],
  }),
  PrimitivesItems: object([['type', 'type', 1, 'string', types], ...primitiveFields(2, false)]),
  Header: object(
    [
      ['type', 'type', 1, 'string', types],
      ...primitiveFields(2, false),
      ['description', 'description', 18, 'string'],
    ],
    ['type'],
  ),
  Headers: { shape: 'map', value: 'Header' },
  Examples: { shape: 'map', value: 'any' },
  JsonReference: {
    shape: 'object',
    fields: [
      ['$ref', '_ref', 1, 'string'],
      ['description', 'description', 2, 'string'],
    ],
    required: ['$ref'],
    strict: false,
  },
  Responses: object(
    [],
    [],
    [
      { pattern: /^([0-9]{3})$|^(default)$/, name: 'response_code', id: 1, value: 'ResponseValue' },
      vendor(2),
    ],
  ),
  ResponseValue: {
    shape: 'oneof',
    alternatives: [
      ['response', 1, 'Response'],
      ['json_reference', 2, 'JsonReference'],
    ],
  },
  Response: object(
    [
      ['description', 'description', 1, 'string'],
      ['schema', 'schema', 2, 'SchemaItem'],
      ['headers', 'headers', 3, 'Headers'],
      ['examples', 'examples', 4, 'Examples'],
    ],
    ['description'],
  ),
  SchemaItem: {
    shape: 'oneof',
    alternatives: [
      ['schema', 1, 'Schema'],
      ['file_schema', 2, 'FileSchema'],
    ],
  },
  FileSchema: object(
    [
      ['format', 'format', 1, 'string'],
      ['title', 'title', 2, 'string'],
      ['description', 'description', 3, 'string'],
      ['default', 'default', 4, 'any'],
      ['required', 'required', 5, 'strings'],
      ['type', 'type', 6, 'string', ['file']],
      ['readOnly', 'read_only', 7, 'bool'],
      ['externalDocs', 'external_docs', 8, 'ExternalDocs'],
      ['example', 'example', 9, 'any'],
    ],
    ['type'],
  ),
  Schema: object([
    ['$ref', '_ref', 1, 'string'],
    ['format', 'format', 2, 'string'],
    ['title', 'title', 3, 'string'],
    ['description', 'description', 4, 'string'],
    ['default', 'default', 5, 'any'],
    ['multipleOf', 'multiple_of', 6, 'double'],
    ['maximum', 'maximum', 7, 'double'],
    ['exclusiveMaximum', 'exclusive_maximum', 8, 'bool'],
    ['minimum', 'minimum', 9, 'double'],
    ['exclusiveMinimum', 'exclusive_minimum', 10, 'bool'],
    ['maxLength', 'max_length', 11, 'int64'],
    ['minLength', 'min_length', 12, 'int64'],
    ['pattern', 'pattern', 13, 'string'],
    ['maxItems', 'max_items', 14, 'int64'],
    ['minItems', 'min_items', 15, 'int64'],
    ['uniqueItems', 'unique_items', 16, 'bool'],
    ['maxProperties', 'max_properties', 17, 'int64'],
    ['minProperties', 'min_properties', 18, 'int64'],
    ['required', 'required', 19, 'strings'],
    ['enum', 'enum', 20, 'anys'],
    ['additionalProperties', 'additional_properties', 21, 'AdditionalPropertiesItem'],
    ['type', 'type', 22, 'TypeItem'],
    ['items', 'items', 23, 'ItemsItem'],
    ['allOf', 'all_of', 24, '[]Schema'],
    ['properties', 'properties', 25, 'Properties'],
    ['discriminator', 'discriminator', 26, 'string'],
    ['readOnly', 'read_only', 27, 'bool'],
    ['xml', 'xml', 28, 'Xml'],
    ['externalDocs', 'external_docs', 29, 'ExternalDocs'],
    ['example', 'example', 30, 'any'],
  ]),
  Xml: object([
    ['name', 'name', 1, 'string'],
    ['namespace', 'namespace', 2, 'string'],
    ['prefix', 'prefix', 3, 'string'],
    ['attribute', 'attribute', 4, 'bool'],
    ['wrapped', 'wrapped', 5, 'bool'],
  ]),
  // An object is tried as a Schema (which any node passes that has no bad key), then a
  // boolean as a boolean.
  AdditionalPropertiesItem: {
    shape: 'oneof',
    alternatives: [
      ['schema', 1, 'Schema'],
      ['boolean', 2, 'bool'],
    ],
  },
  TypeItem: { shape: 'type-item' },
  ItemsItem: { shape: 'items-item' },
  Properties: { shape: 'map', value: 'Schema' },
  Definitions: { shape: 'map', value: 'Schema' },
  ParameterDefinitions: { shape: 'map', value: 'Parameter' },
  ResponseDefinitions: { shape: 'map', value: 'Response' },
  SecurityDefinitions: { shape: 'map', value: 'SecurityDefinitionsItem' },
  SecurityDefinitionsItem: {
    shape: 'oneof',
    alternatives: [
      ['basic_authentication_security', 1, 'BasicAuthenticationSecurity'],
      ['api_key_security', 2, 'ApiKeySecurity'],
      ['oauth2_implicit_security', 3, 'Oauth2ImplicitSecurity'],
      ['oauth2_password_security', 4, 'Oauth2PasswordSecurity'],
      ['oauth2_application_security', 5, 'Oauth2ApplicationSecurity'],
      ['oauth2_access_code_security', 6, 'Oauth2AccessCodeSecurity'],
    ],
  },
  BasicAuthenticationSecurity: object(
    [
      ['type', 'type', 1, 'string', ['basic']],
      ['description', 'description', 2, 'string'],
    ],
    ['type'],
  ),
  ApiKeySecurity: object(
    [
      ['type', 'type', 1, 'string', ['apiKey']],
      ['name', 'name', 2, 'string'],
      ['in', 'in', 3, 'string', ['header', 'query']],
      ['description', 'description', 4, 'string'],
    ],
    ['in', 'name', 'type'],
  ),
  Oauth2ImplicitSecurity: oauth2('implicit', [['authorizationUrl', 'authorization_url']]),
  Oauth2PasswordSecurity: oauth2('password', [['tokenUrl', 'token_url']]),
  Oauth2ApplicationSecurity: oauth2('application', [['tokenUrl', 'token_url']]),
  Oauth2AccessCodeSecurity: oauth2('accessCode', [
    ['authorizationUrl', 'authorization_url'],
    ['tokenUrl', 'token_url'],
  ]),
  Oauth2Scopes: { shape: 'map', value: 'string' },
  SecurityRequirement: { shape: 'map', value: 'StringArray' },
  StringArray: { shape: 'string-array' },
}

/** The Named* message holding entries of `value`. */
export function namedMessageOf(value: Kind): string {
  if (value === 'any') return 'NamedAny'
  if (value === 'string') return 'NamedString'
  return `Named${value}`
}

/** The protobufjs types of {@link messages}, in package `openapi.v2`. */
export const openApiV2Root: protobuf.Root = buildRoot()

function buildRoot(): protobuf.Root {
  const root = new protobuf.Root()
  const namespace = root.define('openapi.v2')
  const scalarOf = (kind: Kind): string =>
    kind === 'strings'
      ? 'string'
      : kind === 'any' || kind === 'anys'
        ? 'Any'
        : kind.replace(/^\[\]/, '')
  const repeated = (kind: Kind): 'repeated' | undefined =>
    kind === 'strings' || kind === 'anys' || kind.startsWith('[]') ? 'repeated' : undefined
  // Any's field 1 (`google.protobuf.Any value`) is set only by gnostic extension handlers,
  // which kube-openapi registers none of.
  namespace.add(new protobuf.Type('Any').add(new protobuf.Field('yaml', 2, 'string')))
  const named = new Set<Kind>()
  for (const [name, spec] of Object.entries(messages)) {
    const type = new protobuf.Type(name)
    if (spec.shape === 'object') {
      for (const [, field, id, kind] of spec.fields)
        type.add(new protobuf.Field(field, id, scalarOf(kind), repeated(kind)))
      for (const map of spec.maps ?? []) {
        type.add(new protobuf.Field(map.name, map.id, namedMessageOf(map.value), 'repeated'))
        named.add(map.value)
      }
    } else if (spec.shape === 'map') {
      type.add(
        new protobuf.Field('additional_properties', 1, namedMessageOf(spec.value), 'repeated'),
      )
      named.add(spec.value)
    } else if (spec.shape === 'oneof') {
      for (const [field, id, kind] of spec.alternatives)
        type.add(new protobuf.Field(field, id, scalarOf(kind)))
      type.add(
        new protobuf.OneOf(
          'oneof',
          spec.alternatives.map(([field]) => field),
        ),
      )
    } else if (spec.shape === 'items-item')
      type.add(new protobuf.Field('schema', 1, 'Schema', 'repeated'))
    else type.add(new protobuf.Field('value', 1, 'string', 'repeated'))
    namespace.add(type)
  }
  for (const value of named)
    namespace.add(
      new protobuf.Type(namedMessageOf(value))
        .add(new protobuf.Field('name', 1, 'string'))
        .add(new protobuf.Field('value', 2, scalarOf(value))),
    )
  root.resolveAll()
  return root
}

type Proto = Record<string, unknown>

/**
 * kube-openapi `handler.ToProtoBinary`: the OpenAPI v2 JSON as an `openapi.v2.Document`, or what
 * gnostic found wrong with it (`compiler.NewErrorGroupOrNil`: each problem's JSON path and rule),
 * on which kube-openapi answers 503.
 *
 * @example
 * const result = openApiV2ToProtobuf('{"swagger":"2.0","info":{"title":"Kubernetes","version":"v1.13.0"},"paths":{}}')
 * if (result.bytes !== undefined) response.end(result.bytes)
 */
export function openApiV2ToProtobuf(
  json: Uint8Array | string,
): { bytes: Uint8Array; problems?: never } | { bytes?: never; problems: string[] } {
  const document: unknown = JSON.parse(
    typeof json === 'string' ? json : Buffer.from(json).toString(),
  )
  const problems: string[] = []
  const message = compile('Document', document, '$root', problems)
  if (problems.length > 0) return { problems }
  return { bytes: openApiV2Root.lookupType('openapi.v2.Document').encode(message).finish() }
}

// The JSON text of a number and the tag yaml.v3 resolves it to.
function numberTag(value: number): { text: string; tag: 'int' | 'float' } {
  const text = JSON.stringify(value)
  const integer =
    /^-?[0-9]+$/.test(text) && BigInt(text) >= -(2n ** 63n) && BigInt(text) < 2n ** 64n
  return { text, tag: integer ? 'int' : 'float' }
}

// `StringForScalarNode`: a string, an integer's text, or '' for null.
function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value === null) return ''
  if (typeof value === 'number') {
    const { text, tag } = numberTag(value)
    return tag === 'int' ? text : undefined
  }
  return undefined
}

function scalar(kind: Kind, value: unknown): unknown {
  switch (kind) {
    case 'string':
      return stringOf(value)
    case 'bool':
      return typeof value === 'boolean' ? value : undefined
    case 'int64': {
      // IntForScalarNode: an `!!int` that strconv.ParseInt takes.
      if (typeof value !== 'number') return undefined
      const { text, tag } = numberTag(value)
      if (tag !== 'int') return undefined
      const big = BigInt(text)
      return big >= -(2n ** 63n) && big < 2n ** 63n ? value : undefined
    }
    case 'double':
      return typeof value === 'number' ? value : undefined
    default:
      return undefined
  }
}

// proto3 leaves zero scalars and empty repeated fields out.
function isZero(value: unknown): boolean {
  return (
    value === '' ||
    value === false ||
    (typeof value === 'number' && Object.is(value, 0)) ||
    (Array.isArray(value) && value.length === 0)
  )
}

function any(value: unknown): Proto {
  return { yaml: marshalYamlV3(value) }
}

function compileKind(kind: Kind, value: unknown, path: string, problems: string[]): unknown {
  if (kind === 'any') return any(value)
  if (kind === 'string' || kind === 'bool' || kind === 'int64' || kind === 'double') {
    const result = scalar(kind, value)
    if (result === undefined)
      problems.push(`${path}: has unexpected value ${JSON.stringify(value)}`)
    return result
  }
  return compile(kind, value, path, problems)
}

/** gnostic's `New<name>` on a JSON value: the protobufjs message, problems pushed. */
function compile(name: string, value: unknown, path: string, problems: string[]): Proto {
  const spec = messages[name]
  if (spec === undefined) throw new Error(`no message ${name}`)
  switch (spec.shape) {
    case 'object':
      return compileObject(spec, value, path, problems)
    case 'map': {
      const entries: Proto[] = []
      if (isJsonObject(value))
        for (const [key, item] of Object.entries(value)) {
          const entry: Proto = { name: key }
          // NewOauth2Scopes ignores a value that is not a string.
          const compiled =
            spec.value === 'string'
              ? (stringOf(item) ?? '')
              : compileKind(spec.value, item, `${path}.${key}`, problems)
          if (!isZero(compiled)) entry['value'] = compiled
          entries.push(entry)
        }
      return entries.length === 0 ? {} : { additional_properties: entries }
    }
    case 'oneof': {
      let chosen: Proto = {}
      let matched = false
      for (const [field, , kind] of spec.alternatives) {
        if (kind === 'bool') {
          if (typeof value === 'boolean') {
            chosen = { [field]: value }
            matched = true
          }
          continue
        }
        // UnpackMap takes any node: a scalar reaches the message's New* as a map with no keys.
        const attempt: string[] = []
        const compiled = compile(kind, value, path, attempt)
        if (attempt.length === 0) {
          chosen = { [field]: compiled }
          matched = true
        }
      }
      if (!matched) problems.push(`${path}: contains an invalid ${name}`)
      return chosen
    }
    case 'type-item': {
      // NewTypeItem: a scalar's text, or a sequence of scalars' texts.
      if (Array.isArray(value)) {
        const texts: string[] = []
        for (const item of value) {
          if (isScalar(item)) texts.push(scalarText(item))
          else problems.push(`${path}: has unexpected value for string array element`)
        }
        return texts.length === 0 ? {} : { value: texts }
      }
      if (isScalar(value)) return { value: [scalarText(value)] }
      problems.push(`${path}: has unexpected value for string array`)
      return {}
    }
    case 'items-item':
      return { schema: [compile('Schema', value, `${path}.<array>`, problems)] }
    case 'string-array': {
      // NewStringArray: the node's content, each as StringForScalarNode reads it ('' otherwise).
      const items = Array.isArray(value) ? value : []
      const texts = items.map((item) => stringOf(item) ?? '')
      return texts.length === 0 ? {} : { value: texts }
    }
  }
}

function compileObject(
  spec: Extract<MessageSpec, { shape: 'object' }>,
  value: unknown,
  path: string,
  problems: string[],
): Proto {
  const result: Proto = {}
  // MissingKeysInMap finds none of the keys in a node that is not a mapping.
  const object = isJsonObject(value) ? value : {}
  const missing = (spec.required ?? []).filter((key) => !Object.hasOwn(object, key))
  if (missing.length > 0) problems.push(`${path}: is missing required ${missing.join(', ')}`)
  if (!isJsonObject(value)) return result
  if (spec.strict) {
    const known = new Set(spec.fields.map(([key]) => key))
    const maps = spec.maps ?? []
    const invalid = Object.keys(value).filter(
      (key) => !known.has(key) && !maps.some((map) => map.pattern.test(key)),
    )
    if (invalid.length > 0) problems.push(`${path}: has invalid properties ${invalid.join(', ')}`)
  }
  for (const [key, field, , kind, values] of spec.fields) {
    if (!Object.hasOwn(value, key)) continue
    const item = value[key]
    const at = `${path}.${key}`
    let compiled: unknown
    if (kind === 'strings') {
      // SequenceNodeForNode, then StringArrayForSequenceNode keeps the string items.
      if (!Array.isArray(item)) {
        problems.push(`${at}: has unexpected value`)
        continue
      }
      const texts = item.map(stringOf).filter((text) => text !== undefined)
      if (values !== undefined && !texts.every((text) => values.includes(text)))
        problems.push(`${at}: has unexpected value ${JSON.stringify(item)}`)
      compiled = texts
    } else if (kind === 'anys') {
      // A value that is not a sequence is skipped without complaint.
      compiled = Array.isArray(item) ? item.map(any) : []
    } else if (kind.startsWith('[]')) {
      compiled = Array.isArray(item)
        ? item.map((entry) => compile(kind.slice(2), entry, at, problems))
        : []
    } else {
      compiled = compileKind(kind, item, at, problems)
      if (values !== undefined && typeof compiled === 'string' && !values.includes(compiled))
        problems.push(`${at}: has unexpected value ${JSON.stringify(item)}`)
    }
    if (compiled !== undefined && !isZero(compiled)) result[field] = compiled
  }
  for (const map of spec.maps ?? []) {
    const entries: Proto[] = []
    for (const [key, item] of Object.entries(value)) {
      if (!map.pattern.test(key)) continue
      const entry: Proto = { name: key }
      entry['value'] = compileKind(map.value, item, `${path}.${key}`, problems)
      entries.push(entry)
    }
    if (entries.length > 0) result[map.name] = entries
  }
  return result
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value)
}

// A scalar node's Value: the text it was parsed from.
function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
