// A tiny apiserver for the hostile-server test: it serves exactly what `k8s-codegen fetch` reads
// from a real kube-apiserver (or a kube-aggregator passing an aggregated server's documents
// through unchanged), with documents the test writes itself.
//   - `/openapi/v3`: the kube-openapi `pkg/handler3` root, `{ paths: { "<key>": {
//     serverRelativeURL: "/openapi/v3/<key>?hash=<uppercase hex SHA-512>" } } }`;
//   - `/openapi/v3/<key>`: the exact bytes that hash names;
//   - `/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`: discovery (apiserver
//     `pkg/endpoints/discovery`), the last two an `APIResourceList`;
//   - `/version`; everything else a 404 `Status`.
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import { exampleCrdDocument, type APIResource, type APIResourceList } from '@k8s-codegen/testkit'

export type JsonObject = Record<string, unknown>

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.'
export const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` })

// The apimachinery schemas every kube-apiserver document carries beside its own (ObjectMeta,
// ListMeta, Status, Patch, …), taken from the testkit's example CRD document.
function metaSchemas(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(exampleCrdDocument().components.schemas).filter(([name]) =>
      name.startsWith('io.k8s.apimachinery.'),
    ),
  )
}

/** One resource kind of a served group-version. */
export interface KindSpec {
  kind: string
  plural: string
  namespaced?: boolean
  /** Schema name of the kind; default `<reversed group>.<version>.<kind>` (builder.go). */
  schemaName?: string
  /** The `spec` property schema; default a small object. */
  spec?: JsonObject
  /** The group `x-kubernetes-group-version-kind` of the schema claims; default the served one. */
  gvkGroup?: string
  /** Serve `{name}/proxy` and `{name}/proxy/{path}` (connect), as core/v1 services do. */
  proxy?: boolean
}

/** One group-version the hostile server serves. */
export interface GroupVersionSpec {
  group: string
  version: string
  kinds: KindSpec[]
  /** Further schemas of the document (shared types, hostile names, bad refs). */
  schemas?: Record<string, unknown>
}

/** The `/openapi/v3` root key: `api/v1` or `apis/<group>/<version>`. */
export const keyOf = (gv: { group: string; version: string }): string =>
  gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`

const prefixOf = (gv: { group: string; version: string }): string => `/${keyOf(gv)}`

/** apiextensions-apiserver's `util.ToRESTFriendlyName`: the group's domain reversed. */
export function defaultSchemaName(gv: { group: string; version: string }, kind: string): string {
  const pkg = gv.group === '' ? 'io.k8s.api.core' : gv.group.split('.').reverse().join('.')
  return `${pkg}.${gv.version}.${kind}`
}

function operation(
  action: string,
  gvk: JsonObject,
  operationId: string,
  response: JsonObject,
): JsonObject {
  return {
    operationId,
    responses: {
      '200': { description: 'OK', content: { 'application/json': { schema: response } } },
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  }
}

/**
 * The OpenAPI v3 document of one group-version, shaped as apiextensions-apiserver builds a CRD's
 * (`pkg/controller/openapi/builder/builder.go`): object and List schemas carrying
 * `x-kubernetes-group-version-kind`, list/create on the collection, get/replace/patch/delete on
 * `{name}`, plus the apimachinery schemas they reference.
 */
export function groupVersionDocument(gv: GroupVersionSpec): JsonObject {
  const schemas: Record<string, unknown> = { ...metaSchemas() }
  const paths: JsonObject = {}
  for (const k of gv.kinds) {
    const name = k.schemaName ?? defaultSchemaName(gv, k.kind)
    const gvk = { group: k.gvkGroup ?? gv.group, version: gv.version, kind: k.kind }
    schemas[name] = {
      description: `${k.kind} is served by the hostile-server test.`,
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { allOf: [ref(`${META}ObjectMeta`)], default: {} },
        spec: k.spec ?? { type: 'object', properties: { size: { type: 'string' } } },
      },
      'x-kubernetes-group-version-kind': [gvk],
    }
    schemas[`${name}List`] = {
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { type: 'string' },
        items: { type: 'array', items: ref(name) },
        kind: { type: 'string' },
        metadata: { allOf: [ref(`${META}ListMeta`)], default: {} },
      },
      'x-kubernetes-group-version-kind': [{ ...gvk, kind: `${k.kind}List` }],
    }
    const ns = k.namespaced === false ? '' : '/namespaces/{namespace}'
    const collection = `${prefixOf(gv)}${ns}/${k.plural}`
    const id = `${k.plural.replace(/[^a-z0-9]/gi, '')}`
    paths[collection] = {
      get: operation('list', gvk, `list${id}`, ref(`${name}List`)),
      post: operation('post', gvk, `create${id}`, ref(name)),
    }
    paths[`${collection}/{name}`] = {
      get: operation('get', gvk, `read${id}`, ref(name)),
      put: operation('put', gvk, `replace${id}`, ref(name)),
      patch: operation('patch', gvk, `patch${id}`, ref(name)),
      delete: operation('delete', gvk, `delete${id}`, ref(`${META}Status`)),
    }
    if (k.proxy === true) {
      const options = { group: '', version: 'v1', kind: `${k.kind}ProxyOptions` }
      for (const path of [`${collection}/{name}/proxy`, `${collection}/{name}/proxy/{path}`]) {
        paths[path] = {
          get: operation('connect', options, `connectGet${id}Proxy`, { type: 'string' }),
          post: operation('connect', options, `connectPost${id}Proxy`, { type: 'string' }),
        }
      }
    }
  }
  Object.assign(schemas, gv.schemas ?? {})
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.33.0' },
    paths,
    components: { schemas },
  }
}

/** The discovery `APIResourceList` of one group-version. */
export function resourceList(gv: GroupVersionSpec): APIResourceList {
  const resources: APIResource[] = []
  for (const k of gv.kinds) {
    resources.push({
      name: k.plural,
      singularName: k.kind.toLowerCase(),
      namespaced: k.namespaced !== false,
      kind: k.kind,
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
    })
    if (k.proxy === true)
      resources.push({
        name: `${k.plural}/proxy`,
        singularName: '',
        namespaced: k.namespaced !== false,
        kind: `${k.kind}ProxyOptions`,
        verbs: ['create', 'get'],
      })
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv.group === '' ? gv.version : `${gv.group}/${gv.version}`,
    resources,
  }
}

/** A running hostile server; `close()` stops it (it also never keeps the process alive). */
export interface HostileServer {
  url: string
  /** Every request path (with query) in arrival order. */
  requests: string[]
  close(): Promise<void>
}

const sha512 = (bytes: Buffer): string =>
  createHash('sha512').update(bytes).digest('hex').toUpperCase()

/**
 * Starts the server on 127.0.0.1, port 0, serving `groupVersions` (documents as given, raw
 * `string` bodies served byte for byte).
 */
export async function startHostileServer(
  groupVersions: { spec: GroupVersionSpec; document: JsonObject | string }[],
): Promise<HostileServer> {
  const documents = new Map<string, Buffer>()
  const lists = new Map<string, Buffer>()
  for (const { spec, document } of groupVersions) {
    const key = keyOf(spec)
    documents.set(
      key,
      Buffer.from(typeof document === 'string' ? document : JSON.stringify(document)),
    )
    lists.set(`/${key}`, Buffer.from(JSON.stringify(resourceList(spec))))
  }
  const root = Buffer.from(
    JSON.stringify({
      paths: Object.fromEntries(
        [...documents].map(([key, bytes]) => [
          key,
          { serverRelativeURL: `/openapi/v3/${key}?hash=${sha512(bytes)}` },
        ]),
      ),
    }),
  )
  const groups = [...new Set(groupVersions.map((g) => g.spec.group).filter((g) => g !== ''))]
  const apis = Buffer.from(
    JSON.stringify({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((name) => {
        const versions = groupVersions
          .filter((g) => g.spec.group === name)
          .map((g) => ({ groupVersion: `${name}/${g.spec.version}`, version: g.spec.version }))
        return { name, versions, preferredVersion: versions[0] }
      }),
    }),
  )
  const fixed = new Map<string, Buffer>([
    ['/openapi/v3', root],
    ['/apis', apis],
    ['/api', Buffer.from(JSON.stringify({ kind: 'APIVersions', versions: ['v1'] }))],
    [
      '/version',
      Buffer.from(
        JSON.stringify({ major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' }),
      ),
    ],
  ])
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push(`${url.pathname}${url.search}`)
    const body =
      fixed.get(url.pathname) ??
      lists.get(url.pathname) ??
      (url.pathname.startsWith('/openapi/v3/')
        ? documents.get(url.pathname.slice('/openapi/v3/'.length))
        : undefined)
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'NotFound',
          code: 404,
        }),
      )
      return
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.byteLength })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  server.unref()
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
