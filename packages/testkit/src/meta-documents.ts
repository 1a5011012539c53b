import type { JsonObject } from './_json.js'

// The non-group-version keys a real /openapi/v3 root lists beside the group-versions
// (kube-apiserver registers them through go-restful web services without a group-version:
// apiserver `pkg/endpoints/discovery` (api, apis, apis/<group>), `pkg/server/routes/version.go`
// (version) and kubernetes `pkg/routes/openidmetadata.go` (.well-known, openid)).
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.'
const str = { type: 'string' }

// Schemas of apimachinery `pkg/apis/meta/v1/types.go` and `pkg/version/types.go`, reduced to
// their fields.
const schemas: Record<string, JsonObject> = {
  [`${meta}APIVersions`]: {
    description:
      'APIVersions lists the versions that are available, to allow clients to discover the API at /api, which is the root path of the legacy v1 API.',
    type: 'object',
    required: ['versions', 'serverAddressByClientCIDRs'],
    properties: {
      apiVersion: str,
      kind: str,
      serverAddressByClientCIDRs: {
        type: 'array',
        items: { $ref: `#/components/schemas/${meta}ServerAddressByClientCIDR` },
        'x-kubernetes-list-type': 'atomic',
      },
      versions: { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' },
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'APIVersions', version: 'v1' }],
  },
  [`${meta}APIGroupList`]: {
    description:
      'APIGroupList is a list of APIGroup, to allow clients to discover the API at /apis.',
    type: 'object',
    required: ['groups'],
    properties: {
      apiVersion: str,
      groups: {
        type: 'array',
        items: { $ref: `#/components/schemas/${meta}APIGroup` },
        'x-kubernetes-list-type': 'atomic',
      },
      kind: str,
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'APIGroupList', version: 'v1' }],
  },
  [`${meta}APIGroup`]: {
    description:
      'APIGroup contains the name, the supported versions, and the preferred version of a group.',
    type: 'object',
    required: ['name', 'versions'],
    properties: {
      apiVersion: str,
      kind: str,
      name: str,
      preferredVersion: { $ref: `#/components/schemas/${meta}GroupVersionForDiscovery` },
      serverAddressByClientCIDRs: {
        type: 'array',
        items: { $ref: `#/components/schemas/${meta}ServerAddressByClientCIDR` },
        'x-kubernetes-list-type': 'atomic',
      },
      versions: {
        type: 'array',
        items: { $ref: `#/components/schemas/${meta}GroupVersionForDiscovery` },
        'x-kubernetes-list-type': 'atomic',
      },
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'APIGroup', version: 'v1' }],
  },
  [`${meta}GroupVersionForDiscovery`]: {
    description: 'GroupVersion contains the "group/version" and "version" string of a version.',
    type: 'object',
    required: ['groupVersion', 'version'],
    properties: { groupVersion: str, version: str },
  },
  [`${meta}ServerAddressByClientCIDR`]: {
    description:
      'ServerAddressByClientCIDR helps the client to determine the server address that they should use, depending on the clientCIDR that they match.',
    type: 'object',
    required: ['clientCIDR', 'serverAddress'],
    properties: { clientCIDR: str, serverAddress: str },
  },
  'io.k8s.apimachinery.pkg.version.Info': {
    description: 'Info contains versioning information.',
    type: 'object',
    required: [
      'major',
      'minor',
      'gitVersion',
      'gitCommit',
      'gitTreeState',
      'buildDate',
      'goVersion',
      'compiler',
      'platform',
    ],
    properties: {
      buildDate: str,
      compiler: str,
      gitCommit: str,
      gitTreeState: str,
      gitVersion: str,
      goVersion: str,
      major: str,
      minor: str,
      platform: str,
    },
  },
}

function closure(names: string[]): JsonObject {
  const out: JsonObject = {}
  const queue = [...names]
  while (queue.length > 0) {
    const name = queue.shift() ?? ''
    const schema = schemas[name]
    if (schema === undefined || name in out) continue
    out[name] = schema
    for (const match of JSON.stringify(schema).matchAll(/#\/components\/schemas\/([^"]+)/g)) {
      if (match[1] !== undefined) queue.push(match[1])
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}

function groupWords(group: string): string[] {
  return group
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .filter((w) => w !== '')
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

function document(
  path: string,
  operationId: string,
  tag: string,
  description: string,
  response: JsonObject,
  gitVersion: string,
): JsonObject {
  const ref = typeof response['$ref'] === 'string' ? response['$ref'] : undefined
  const content = ref === undefined ? response : { $ref: ref }
  const doc: JsonObject = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: {
      [path]: {
        get: {
          tags: [tag],
          description,
          operationId,
          responses: {
            '200': {
              description: 'OK',
              content: { 'application/json': { schema: content } },
            },
            '401': { description: 'Unauthorized' },
          },
        },
      },
    },
  }
  if (ref !== undefined) {
    doc['components'] = { schemas: closure([ref.replace('#/components/schemas/', '')]) }
  }
  return doc
}

/**
 * The OpenAPI v3 document of a non-group-version key of the `/openapi/v3` root (`api`, `apis`,
 * `apis/<group>`, `logs`, `version`, `.well-known/openid-configuration`, `openid/v1/jwks`), or
 * undefined for any other key.
 */
export function metaDocument(key: string, gitVersion: string): JsonObject | undefined {
  const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` })
  switch (key) {
    case 'api':
      return document(
        '/api/',
        'getCoreAPIVersions',
        'core',
        'get available API versions',
        ref(`${meta}APIVersions`),
        gitVersion,
      )
    case 'apis':
      return document(
        '/apis/',
        'getAPIVersions',
        'apis',
        'get available API versions',
        ref(`${meta}APIGroupList`),
        gitVersion,
      )
    case 'logs':
      // kubernetes `pkg/routes/logs.go` Logs.Install: `/logs/` and `/logs/{logpath}`, no body
      // schema (they serve files), only a 401 response documented.
      return {
        openapi: '3.0.0',
        info: { title: 'Kubernetes', version: gitVersion },
        paths: {
          '/logs/': {
            get: {
              tags: ['logs'],
              operationId: 'logFileListHandler',
              responses: { '401': { description: 'Unauthorized' } },
            },
          },
          '/logs/{logpath}': {
            get: {
              tags: ['logs'],
              operationId: 'logFileHandler',
              responses: { '401': { description: 'Unauthorized' } },
            },
            parameters: [
              {
                name: 'logpath',
                in: 'path',
                description: 'path to the log',
                required: true,
                schema: { type: 'string', uniqueItems: true },
              },
            ],
          },
        },
      }
    case 'version':
      return document(
        '/version/',
        'getCodeVersion',
        'version',
        'get the version information for this server',
        ref('io.k8s.apimachinery.pkg.version.Info'),
        gitVersion,
      )
    case '.well-known/openid-configuration':
      return document(
        '/.well-known/openid-configuration',
        'getServiceAccountIssuerOpenIDConfiguration',
        'WellKnown',
        "get service account issuer OpenID configuration, also known as the 'OIDC discovery doc'",
        str,
        gitVersion,
      )
    case 'openid/v1/jwks':
      return document(
        '/openid/v1/jwks',
        'getServiceAccountIssuerOpenIDKeyset',
        'openid',
        'get service account issuer OpenID JSON Web Key Set (contains public token verification keys)',
        str,
        gitVersion,
      )
    default: {
      const match = /^apis\/([^/]+)$/.exec(key)
      if (match?.[1] === undefined) return undefined
      const words = groupWords(match[1])
      const [first = '', ...others] = words
      return document(
        `/apis/${match[1]}/`,
        `get${words.map(capitalize).join('')}APIGroup`,
        first + others.map(capitalize).join(''),
        'get information of a group',
        ref(`${meta}APIGroup`),
        gitVersion,
      )
    }
  }
}

/** Non-group-version keys every real `/openapi/v3` root lists besides `apis/<group>`. */
export const fixedMetaKeys = [
  '.well-known/openid-configuration',
  'api',
  'apis',
  // kube-apiserver's --enable-logs-handler defaults to true, so `/logs` is grouped in too.
  'logs',
  'openid/v1/jwks',
  'version',
] as const
