import { isJsonObject } from './_canonical-json.js'
import { OpenApiError } from './errors.js'
import type { JsonObject, OpenApiV3Document } from './types.js'

// Swagger 2.0 → per-group-version OpenAPI 3.0, producing the shape kube-apiserver itself serves
// at /openapi/v3/<key>. The apiserver builds those documents from Go definitions with
// kube-openapi `pkg/builder3/openapi.go`; each step below names the function it mirrors.

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const
const v2OnlyOperationKeys = new Set([
  'consumes',
  'produces',
  'parameters',
  'responses',
  'schemes',
  'security',
])
const parameterLevelKeys = new Set(['name', 'in', 'description', 'required', 'allowEmptyValue'])

// Types that implement OpenAPIV3OneOfTypes() get `oneOf` instead of `type` in v3 (apimachinery
// `pkg/util/intstr/intstr.go` IntOrString: integer|string; `pkg/api/resource/quantity.go`
// Quantity: string|number; kube-openapi `pkg/generators/openapi.go` emits them for v3 only).
const v3OneOfTypes: Record<string, string[]> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': ['integer', 'string'],
  'io.k8s.apimachinery.pkg.api.resource.Quantity': ['string', 'number'],
}

function v2Invalid(rule: string): OpenApiError {
  return new OpenApiError('K8S_CODEGEN_OPENAPI_V2_INVALID', `Swagger 2.0 document: ${rule}`)
}

/**
 * The group-version key a Swagger path belongs to (`/api/v1/pods` → `api/v1`,
 * `/apis/apps/v1/deployments` → `apis/apps/v1`), or undefined for `/api/`, `/apis/`,
 * `/apis/<group>/`, `/version/`, `/logs/…`, `/.well-known/…`, `/openid/…`.
 *
 * @example
 * groupVersionKeyOfPath('/apis/apps/v1/namespaces/{namespace}/deployments') // 'apis/apps/v1'
 */
export function groupVersionKeyOfPath(path: string): string | undefined {
  const match = /^\/(api\/[^/{}]+|apis\/[^/{}]+\/[^/{}]+)(\/|$)/.exec(path)
  return match?.[1]
}

class Converter {
  readonly #definitions: JsonObject
  readonly #parameters: JsonObject
  readonly #converted = new Map<string, { schema: JsonObject; refs: Set<string> }>()

  constructor(definitions: JsonObject, parameters: JsonObject) {
    this.#definitions = definitions
    this.#parameters = parameters
  }

  // `#/definitions/X` → `#/components/schemas/X` (builder3 `newOpenAPI` creates refs as
  // "#/components/schemas/" + name). With `wrap`, a $ref that has siblings becomes
  // `allOf: [{ $ref }]` (builder3 `wrapRefs`, applied to component schemas only).
  schema(value: unknown, refs: Set<string>, wrap: boolean, where: string): JsonObject {
    if (!isJsonObject(value)) throw v2Invalid(`${where} must be a schema object`)
    const out: JsonObject = {}
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref') {
        if (typeof child !== 'string' || !child.startsWith('#/definitions/')) {
          throw v2Invalid(`${where} has $ref ${JSON.stringify(child)}, not '#/definitions/<name>'`)
        }
        const name = child.slice('#/definitions/'.length)
        refs.add(name)
        out.$ref = `#/components/schemas/${name}`
      } else if (key === 'properties' || key === 'patternProperties') {
        if (!isJsonObject(child)) throw v2Invalid(`${where}.${key} must be an object`)
        // fromEntries: a property named `__proto__` stays an own property.
        out[key] = Object.fromEntries(
          Object.entries(child).map(([name, prop]) => [
            name,
            this.schema(prop, refs, wrap, `${where}.${key}.${name}`),
          ]),
        )
      } else if (key === 'items' && Array.isArray(child)) {
        out.items = child.map((c, i) => this.schema(c, refs, wrap, `${where}.items[${i}]`))
      } else if (
        key === 'items' ||
        key === 'not' ||
        (key === 'additionalProperties' && isJsonObject(child))
      ) {
        out[key] = this.schema(child, refs, wrap, `${where}.${key}`)
      } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
        if (!Array.isArray(child)) throw v2Invalid(`${where}.${key} must be an array`)
        out[key] = child.map((c, i) => this.schema(c, refs, wrap, `${where}.${key}[${i}]`))
      } else {
        out[key] = child
      }
    }
    if (wrap && typeof out.$ref === 'string' && Object.keys(out).length > 1) {
      const ref = out.$ref
      delete out.$ref
      out.allOf = [{ $ref: ref }]
    }
    return out
  }

  definition(name: string, where: string): { schema: JsonObject; refs: Set<string> } {
    const cached = this.#converted.get(name)
    if (cached) return cached
    const source = this.#definitions[name]
    if (source === undefined)
      throw v2Invalid(`${where} refers to '#/definitions/${name}', which does not exist`)
    const refs = new Set<string>()
    const schema = this.schema(source, refs, true, `definitions['${name}']`)
    const oneOf = v3OneOfTypes[name]
    if (oneOf) {
      delete schema.type
      schema.oneOf = oneOf.map((type) => ({ type }))
    }
    const entry = { schema, refs }
    this.#converted.set(name, entry)
    return entry
  }

  #resolveParameter(value: unknown, where: string): JsonObject {
    if (!isJsonObject(value)) throw v2Invalid(`${where} must be a parameter object`)
    if (typeof value.$ref !== 'string') return value
    const name = value.$ref.startsWith('#/parameters/')
      ? value.$ref.slice('#/parameters/'.length)
      : undefined
    const target = name === undefined ? undefined : this.#parameters[name]
    if (!isJsonObject(target))
      throw v2Invalid(`${where} refers to ${JSON.stringify(value.$ref)}, which does not exist`)
    return target
  }

  // builder3 `buildParameter`: name/description/required stay on the parameter, the simple type
  // moves into `schema`; body parameters become the request body instead.
  parameters(
    list: unknown,
    where: string,
  ): { parameters: JsonObject[]; body: JsonObject | undefined } {
    if (list === undefined) return { parameters: [], body: undefined }
    if (!Array.isArray(list)) throw v2Invalid(`${where}.parameters must be an array`)
    const parameters: JsonObject[] = []
    let body: JsonObject | undefined
    list.forEach((item, i) => {
      const p = this.#resolveParameter(item, `${where}.parameters[${i}]`)
      if (p.in === 'body') {
        body = p
        return
      }
      const out: JsonObject = {}
      const schema: JsonObject = {}
      for (const [key, value] of Object.entries(p)) {
        if (parameterLevelKeys.has(key) || key.startsWith('x-')) out[key] = value
        else if (key !== 'collectionFormat') schema[key] = value
      }
      out.schema = schema
      parameters.push(out)
    })
    return { parameters, body }
  }
}

function mediaTypes(op: JsonObject, doc: JsonObject, field: 'consumes' | 'produces'): string[] {
  const list = op[field] ?? doc[field]
  // builder3 `buildRequestBody` falls back to application/json.
  return Array.isArray(list) && list.length > 0 ? list.map(String) : ['application/json']
}

function content(schema: JsonObject, types: string[]): JsonObject {
  const out: JsonObject = {}
  for (const type of types) out[type] = { schema }
  return out
}

function convertOperation(
  converter: Converter,
  op: JsonObject,
  doc: JsonObject,
  refs: Set<string>,
  where: string,
): JsonObject {
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(op)) {
    if (!v2OnlyOperationKeys.has(key)) out[key] = value
  }
  const { parameters, body } = converter.parameters(op.parameters, where)
  for (const p of parameters) {
    if (isJsonObject(p.schema))
      p.schema = converter.schema(p.schema, refs, false, `${where} parameter ${String(p.name)}`)
  }
  if (parameters.length > 0) out.parameters = parameters
  if (body !== undefined) {
    const schema = converter.schema(body.schema, refs, false, `${where} body parameter`)
    out.requestBody = { content: content(schema, mediaTypes(op, doc, 'consumes')) }
  }
  // builder3 `buildResponse`: one media type entry per produced content type.
  if (!isJsonObject(op.responses)) throw v2Invalid(`${where}.responses must be an object`)
  const responses: JsonObject = {}
  for (const [code, response] of Object.entries(op.responses)) {
    if (!isJsonObject(response)) throw v2Invalid(`${where}.responses['${code}'] must be an object`)
    const r: JsonObject = {}
    for (const [key, value] of Object.entries(response)) {
      if (key === 'schema') {
        const schema = converter.schema(value, refs, false, `${where}.responses['${code}'].schema`)
        r.content = content(schema, mediaTypes(op, doc, 'produces'))
      } else if (key !== 'examples' && key !== 'headers') {
        r[key] = value
      }
    }
    responses[code] = r
  }
  out.responses = responses
  return out
}

/**
 * Splits a Swagger 2.0 document (`/openapi/v2`) into one OpenAPI 3.0 document per group-version,
 * in the shape kube-apiserver serves at `/openapi/v3/<key>` (kube-openapi `pkg/builder3`):
 * `definitions` → `components.schemas` holding exactly the schemas the group-version's paths
 * reach, `$ref`s rewritten to `#/components/schemas/…` (described refs wrapped in `allOf`),
 * non-body parameters with a `schema`, body parameters → `requestBody` per consumed media type,
 * responses → `content` per produced media type, `x-kubernetes-*` extensions kept,
 * `securityDefinitions` → `components.securitySchemes`. Keys are sorted by the caller's
 * serializer; the map is in key order.
 *
 * @example
 * const docs = splitV2Document(JSON.parse(v2Text))
 * docs.get('apis/apps/v1')?.components?.schemas?.['io.k8s.api.apps.v1.Deployment']
 */
export function splitV2Document(v2: unknown): Map<string, OpenApiV3Document> {
  if (!isJsonObject(v2)) throw v2Invalid('the document must be a JSON object')
  if (v2.swagger !== '2.0')
    throw v2Invalid(`swagger must be '2.0', got ${JSON.stringify(v2.swagger)}`)
  if (!isJsonObject(v2.paths)) throw v2Invalid('paths must be an object')
  const definitions = v2.definitions ?? {}
  const parameters = v2.parameters ?? {}
  if (!isJsonObject(definitions)) throw v2Invalid('definitions must be an object')
  if (!isJsonObject(parameters)) throw v2Invalid('parameters must be an object')
  const info = isJsonObject(v2.info) ? v2.info : { title: 'Kubernetes', version: 'unversioned' }
  const converter = new Converter(definitions, parameters)

  const byKey = new Map<string, { paths: Record<string, JsonObject>; refs: Set<string> }>()
  for (const path of Object.keys(v2.paths).sort()) {
    const key = groupVersionKeyOfPath(path)
    if (key === undefined) continue
    const item = v2.paths[path]
    if (!isJsonObject(item)) throw v2Invalid(`paths['${path}'] must be an object`)
    let group = byKey.get(key)
    if (!group) {
      group = { paths: {}, refs: new Set() }
      byKey.set(key, group)
    }
    const out: JsonObject = {}
    for (const [field, value] of Object.entries(item)) {
      if (field === 'parameters') {
        const converted = converter.parameters(value, `paths['${path}']`).parameters
        for (const p of converted) {
          if (isJsonObject(p.schema))
            p.schema = converter.schema(
              p.schema,
              group.refs,
              false,
              `paths['${path}'] parameter ${String(p.name)}`,
            )
        }
        out.parameters = converted
      } else if ((methods as readonly string[]).includes(field)) {
        if (!isJsonObject(value)) throw v2Invalid(`paths['${path}'].${field} must be an object`)
        out[field] = convertOperation(converter, value, v2, group.refs, `paths['${path}'].${field}`)
      } else {
        out[field] = value
      }
    }
    group.paths[path] = out
  }

  const securitySchemes = isJsonObject(v2.securityDefinitions) ? v2.securityDefinitions : undefined
  const result = new Map<string, OpenApiV3Document>()
  for (const key of [...byKey.keys()].sort()) {
    const group = byKey.get(key)
    if (!group) continue
    // builder3 `buildDefinitionRecursively`: only the definitions the paths reach, transitively.
    const schemas: Record<string, JsonObject> = {}
    const pending = [...group.refs]
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (schemas[name]) continue
      const def = converter.definition(name, `group-version ${key}`)
      schemas[name] = def.schema
      pending.push(...def.refs)
    }
    const sorted: Record<string, JsonObject> = {}
    for (const name of Object.keys(schemas).sort()) sorted[name] = schemas[name] as JsonObject
    const components: NonNullable<OpenApiV3Document['components']> = { schemas: sorted }
    if (securitySchemes) components.securitySchemes = securitySchemes as Record<string, JsonObject>
    result.set(key, {
      openapi: '3.0.0',
      info: info as OpenApiV3Document['info'],
      paths: group.paths,
      components,
    })
  }
  return result
}
