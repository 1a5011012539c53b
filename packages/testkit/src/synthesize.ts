import { join } from 'node:path'
import { isJsonObject, refNamesOf, resolveLocalRef, type JsonObject } from './_json.js'
import { groupVersionOf, keyOf } from './group-version.js'
import { readJsonDocument } from './profile.js'
import { requireRecordedProfile } from './profile-dir.js'
import { TestkitError } from './errors.js'

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const
const parameterSchemaFields = [
  'type',
  'format',
  'items',
  'enum',
  'default',
  'uniqueItems',
  'minimum',
  'maximum',
]

function convertParameter(
  root: JsonObject,
  parameter: unknown,
): { parameter?: JsonObject; body?: JsonObject } {
  const resolved =
    isJsonObject(parameter) && typeof parameter['$ref'] === 'string'
      ? resolveLocalRef(root, parameter['$ref'])
      : parameter
  if (!isJsonObject(resolved)) return {}
  if (resolved['in'] === 'body') {
    const body: JsonObject = { content: { '*/*': { schema: resolved['schema'] } } }
    if (resolved['required'] === true) body['required'] = true
    return { body }
  }
  const schema: JsonObject = {}
  const out: JsonObject = {}
  for (const [field, value] of Object.entries(resolved)) {
    if (parameterSchemaFields.includes(field)) schema[field] = value
    else out[field] = value
  }
  out['schema'] = schema
  return { parameter: out }
}

function convertOperation(root: JsonObject, operation: JsonObject): JsonObject {
  const out: JsonObject = {}
  for (const [field, value] of Object.entries(operation)) {
    if (field === 'consumes' || field === 'produces' || field === 'schemes') continue
    if (field === 'parameters' && Array.isArray(value)) {
      const parameters: JsonObject[] = []
      for (const p of value) {
        const converted = convertParameter(root, p)
        if (converted.body !== undefined) out['requestBody'] = converted.body
        if (converted.parameter !== undefined) parameters.push(converted.parameter)
      }
      if (parameters.length > 0) out['parameters'] = parameters
      continue
    }
    if (field === 'responses' && isJsonObject(value)) {
      const produces = Array.isArray(operation['produces'])
        ? operation['produces']
        : ['application/json']
      const responses: JsonObject = {}
      for (const [code, response] of Object.entries(value)) {
        if (!isJsonObject(response)) continue
        const { schema, ...rest } = response
        responses[code] =
          schema === undefined
            ? rest
            : {
                ...rest,
                content: Object.fromEntries(
                  produces.filter((p) => typeof p === 'string').map((p) => [p, { schema }]),
                ),
              }
      }
      out['responses'] = responses
      continue
    }
    out[field] = value
  }
  return out
}

/**
 * Splits a Swagger 2.0 (`/openapi/v2`) document per group-version into v3-shaped documents:
 * each gets the paths under its prefix (body parameters as `requestBody`, response schemas under
 * `content`), `definitions` → `components.schemas` restricted to what those paths reference, and
 * `#/definitions/` → `#/components/schemas/`. A simple split for scale tests; the product's
 * faithful conversion lives in `@k8s-codegen/openapi`.
 */
export function splitV2(document: unknown): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>()
  if (!isJsonObject(document) || !isJsonObject(document['paths'])) return out
  const definitions = isJsonObject(document['definitions']) ? document['definitions'] : {}
  const byKey = new Map<string, JsonObject>()
  for (const [path, item] of Object.entries(document['paths'])) {
    if (!isJsonObject(item)) continue
    const match = /^\/api\/([^/]+)\/|^\/apis\/([^/]+)\/([^/]+)\//.exec(path)
    if (match === null) continue
    const key = match[1] !== undefined ? keyOf('', match[1]) : keyOf(match[2] ?? '', match[3] ?? '')
    if (groupVersionOf(key) === undefined) continue
    const converted: JsonObject = {}
    for (const [field, value] of Object.entries(item)) {
      if ((methods as readonly string[]).includes(field) && isJsonObject(value)) {
        converted[field] = convertOperation(document, value)
      } else if (field === 'parameters' && Array.isArray(value)) {
        converted[field] = value.flatMap((p) => convertParameter(document, p).parameter ?? [])
      } else converted[field] = value
    }
    const paths = byKey.get(key) ?? {}
    paths[path] = converted
    byKey.set(key, paths)
  }
  // Each definition is converted (refs rewritten) and its direct references found once; a
  // group-version's schemas are the closure over them, shared between group-versions.
  const converted = new Map<string, { schema: unknown; refs: string[] }>()
  const convert = (name: string): { schema: unknown; refs: string[] } | undefined => {
    if (!Object.hasOwn(definitions, name)) return undefined
    let entry = converted.get(name)
    if (entry === undefined) {
      const schemaText = JSON.stringify(definitions[name]).replaceAll(
        '#/definitions/',
        '#/components/schemas/',
      )
      entry = {
        schema: JSON.parse(schemaText) as unknown,
        refs: [...schemaText.matchAll(/#\/components\/schemas\/([^"]+)/g)].map((m) => m[1] ?? ''),
      }
      converted.set(name, entry)
    }
    return entry
  }
  for (const [key, paths] of byKey) {
    const text = JSON.stringify(paths).replaceAll('#/definitions/', '#/components/schemas/')
    const schemas: JsonObject = {}
    const queue = [...text.matchAll(/#\/components\/schemas\/([^"]+)/g)].map((m) => m[1] ?? '')
    while (queue.length > 0) {
      const name = queue.pop() ?? ''
      if (Object.hasOwn(schemas, name)) continue
      const entry = convert(name)
      if (entry === undefined) continue
      schemas[name] = entry.schema
      queue.push(...entry.refs)
    }
    out.set(key, {
      openapi: '3.0.0',
      info: isJsonObject(document['info'])
        ? document['info']
        : { title: 'Kubernetes', version: 'unversioned' },
      paths: JSON.parse(text) as unknown,
      components: {
        schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1))),
      },
    })
  }
  return out
}

let recordedSplit: Map<string, JsonObject> | undefined

// The recorded v2 1.36 spec split per group-version, once per process (splitting takes about a
// second): every server of the process serves the same document objects, which nothing mutates.
function newestRecordedSplit(): Map<string, JsonObject> {
  recordedSplit ??= splitV2(
    readJsonDocument(
      join(requireRecordedProfile(), 'v2', 'kubernetes-1.36.json'),
      'OpenAPI v2 document',
    ),
  )
  return recordedSplit
}

/**
 * Splits the recorded v2 1.36 spec now, once per process, when it is there: a server starting
 * does it while other threads read its CRDs. A failure is left to where the split is used, in
 * the order of a start.
 *
 * @example
 * prepareNewestRecordedSplit()
 */
export function prepareNewestRecordedSplit(): void {
  try {
    newestRecordedSplit()
  } catch {
    // Thrown again by newestReleaseGroupVersions.
  }
}

/** A copy of a group-version document moved to another group (paths and GVK extensions). */
function moveToGroup(document: JsonObject, from: string, to: string, version: string): JsonObject {
  const rewrite = (node: unknown, gvkContext: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, gvkContext))
    if (!isJsonObject(node)) return node
    const out: JsonObject = {}
    for (const [field, value] of Object.entries(node)) {
      if (gvkContext && field === 'group' && value === from) out[field] = to
      else out[field] = rewrite(value, field === 'x-kubernetes-group-version-kind')
    }
    return out
  }
  const moved = rewrite(document, false) as JsonObject
  const paths: JsonObject = {}
  for (const [path, item] of Object.entries(isJsonObject(moved['paths']) ? moved['paths'] : {})) {
    paths[path.replace(`/apis/${from}/${version}/`, `/apis/${to}/${version}/`)] = item
  }
  return { ...moved, paths }
}

/**
 * `count` group-version documents not among `existing`, split from the recorded v2 1.36 spec;
 * when it has too few, copies moved to groups `s<n>.<group>` make up the rest.
 */
export function synthesizeGroupVersions(
  count: number,
  existing: ReadonlySet<string>,
): Map<string, JsonObject> {
  const split = newestRecordedSplit()
  const out = new Map<string, JsonObject>()
  for (const [key, document] of split) {
    if (out.size >= count) return out
    if (!existing.has(key)) out.set(key, document)
  }
  const groups = [...split.entries()].filter(([key]) => key.startsWith('apis/'))
  for (let round = 2; out.size < count && groups.length > 0; round++) {
    for (const [key, document] of groups) {
      if (out.size >= count) break
      const [, group = '', version = ''] = key.split('/')
      const to = `s${round}.${group}`
      out.set(keyOf(to, version), moveToGroup(document, group, to, version))
    }
  }
  return out
}

/**
 * The named group-versions (`apis/policy/v1`) split from the recorded v2 1.36 spec, for kinds
 * the recorded v3 documents lack; a key the spec does not have is an error naming it.
 */
export function recordedGroupVersions(keys: readonly string[]): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>()
  if (keys.length === 0) return out
  const split = newestRecordedSplit()
  for (const key of keys) {
    const document = split.get(key)
    if (document === undefined) {
      throw new TestkitError(
        'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID',
        `recordedGroupVersions: ${JSON.stringify(key)} is not a group-version of the recorded v2 1.36 spec`,
      )
    }
    out.set(key, document)
  }
  return out
}

/**
 * Every group-version of the newest recorded release (the v2 1.36 spec, split) not among
 * `existing`: what the default profile adds to the recorded v3 documents, so it serves the
 * group-versions a 1.36 cluster serves (rbac, policy, storage, coordination…). A schema the
 * profile's own documents define (`shared`) is theirs, as one server has one definition per name
 * in every document; the split's own schemas fill in the rest.
 */
export function newestReleaseGroupVersions(
  existing: ReadonlySet<string>,
  shared: (name: string) => JsonObject | undefined,
): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>()
  for (const [key, document] of newestRecordedSplit()) {
    if (existing.has(key)) continue
    const components = isJsonObject(document['components']) ? document['components'] : {}
    const split = isJsonObject(components['schemas']) ? components['schemas'] : {}
    const schemas: JsonObject = {}
    const queue = Object.keys(split)
    while (queue.length > 0) {
      const name = queue.pop() ?? ''
      if (Object.hasOwn(schemas, name)) continue
      const own = shared(name)
      if (own !== undefined) {
        schemas[name] = own
        const refs = new Set<string>()
        refNamesOf(own, refs)
        queue.push(...refs)
      } else if (Object.hasOwn(split, name)) schemas[name] = split[name]
    }
    out.set(key, {
      ...document,
      components: {
        ...components,
        schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1))),
      },
    })
  }
  return out
}

/**
 * For each recorded v3 document the newest recorded release also has, that release's document
 * (the v2 1.36 spec, split), keyed by the recorded document. The recorded v3 documents come from
 * 1.26–1.27 servers while the profile's `/version` is 1.36: served as recorded, they would refuse
 * what a 1.36 server accepts (a sidecar's `initContainers[].restartPolicy`, 1.28+; a StatefulSet
 * without `serviceName`, optional in k8s.io/api apps/v1 StatefulSetSpec), so the emulator
 * validates built-in kinds with the release its `/version` names.
 *
 * @example
 * new ResourceCatalog(specs, newestReleaseValidationDocuments(profile.v3))
 */
export function newestReleaseValidationDocuments(
  recorded: ReadonlyMap<string, unknown>,
): Map<unknown, JsonObject> {
  const split = newestRecordedSplit()
  const out = new Map<unknown, JsonObject>()
  for (const [key, document] of recorded) {
    const newer = split.get(key)
    if (newer !== undefined) out.set(document, newer)
  }
  return out
}
