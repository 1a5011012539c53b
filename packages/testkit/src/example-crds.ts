import { isJsonObject, refNamesOf, type JsonObject } from './_json.js'

// The project-authored example CRD group `example.dev/v1`, written the way
// apiextensions-apiserver publishes a CRD's OpenAPI v3 (`pkg/controller/openapi/builder/
// builder.go` generateBuilder/buildRoute/buildKubeNative): schema names reversed-domain
// (`dev.example.v1.Widget`, util.ToRESTFriendlyName), every route's GVK the CRD's own kind (even
// /scale), action extensions, list/create/deletecollection on the collection,
// read/replace/delete/patch on `{name}`, and read/replace/patch on /status and /scale.

const group = 'example.dev'
const version = 'v1'
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.'
const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` })
const allOf = (name: string, description: string): JsonObject => ({
  allOf: [ref(name)],
  default: {},
  description,
})
const str = (description: string): JsonObject => ({ description, type: 'string' })
const apiVersionProperty = str(
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
)
const kindProperty = str(
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
)
const metadataDescription =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

interface Kind {
  kind: string
  plural: string
  namespaced: boolean
  status: boolean
  scale: boolean
  spec: JsonObject
  statusSchema?: JsonObject
}

const widget: Kind = {
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
  status: true,
  scale: true,
  spec: {
    type: 'object',
    required: ['size'],
    properties: {
      replicas: {
        type: 'integer',
        format: 'int32',
        minimum: 0,
        description: 'Desired number of widget replicas.',
      },
      // structural schema Unfold(): x-kubernetes-int-or-string gains anyOf [integer, string].
      size: {
        'x-kubernetes-int-or-string': true,
        anyOf: [{ type: 'integer' }, { type: 'string' }],
        description: 'Size as a number of units or a quantity like "10Gi".',
      },
      config: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        description: 'Free-form configuration, kept as given.',
      },
      // addEmbeddedProperties: an embedded resource gains apiVersion, kind, metadata and
      // requires kind and apiVersion.
      template: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        'x-kubernetes-preserve-unknown-fields': true,
        description: 'A complete Kubernetes object the widget manages.',
        properties: {
          apiVersion: str(
            'apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
          ),
          kind: str(
            'kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
          ),
          metadata: allOf(`${meta}ObjectMeta`, metadataDescription),
        },
        required: ['kind', 'apiVersion'],
      },
      labels: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Labels copied to managed objects.',
      },
    },
  },
  statusSchema: {
    type: 'object',
    properties: {
      replicas: { type: 'integer', format: 'int32', description: 'Observed replicas.' },
      selector: { type: 'string', description: 'Label selector of the replicas, for /scale.' },
      conditions: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
        items: {
          type: 'object',
          required: ['type', 'status'],
          properties: {
            type: { type: 'string' },
            status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
            lastTransitionTime: { type: 'string', format: 'date-time' },
            message: { type: 'string' },
          },
        },
      },
    },
  },
}

const gadget: Kind = {
  kind: 'Gadget',
  plural: 'gadgets',
  namespaced: false,
  status: false,
  scale: false,
  spec: {
    type: 'object',
    properties: {
      color: { type: 'string', enum: ['red', 'green', 'blue'], default: 'red' },
      ports: {
        type: 'array',
        items: {
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string' }],
        },
      },
      extra: { 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
}

function schemaName(kind: string): string {
  // util.ToRESTFriendlyName("example.dev/v1/Widget") reverses the group's domain.
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`
}

function gvk(kind: string): JsonObject {
  return { group, kind, version }
}

function objectSchema(k: Kind): JsonObject {
  const properties: JsonObject = {
    apiVersion: apiVersionProperty,
    kind: kindProperty,
    metadata: allOf(`${meta}ObjectMeta`, metadataDescription),
    spec: k.spec,
  }
  if (k.statusSchema !== undefined) properties['status'] = k.statusSchema
  return {
    type: 'object',
    properties,
    'x-kubernetes-group-version-kind': [gvk(k.kind)],
  }
}

function listSchema(k: Kind): JsonObject {
  return {
    description: `${k.kind}List is a list of ${k.kind}`,
    required: ['items'],
    type: 'object',
    properties: {
      apiVersion: apiVersionProperty,
      items: {
        description: `List of ${k.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        type: 'array',
        items: ref(schemaName(k.kind)),
      },
      kind: kindProperty,
      metadata: allOf(
        `${meta}ListMeta`,
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ),
    },
    'x-kubernetes-group-version-kind': [gvk(`${k.kind}List`)],
  }
}

function query(name: string, type: string, description: string): JsonObject {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } }
}

// endpoints.AddObjectParams for the options struct of each action.
const listParameters = [
  query(
    'allowWatchBookmarks',
    'boolean',
    'allowWatchBookmarks requests watch events with type "BOOKMARK".',
  ),
  query(
    'continue',
    'string',
    'The continue option should be set when retrieving more results from the server.',
  ),
  query(
    'fieldSelector',
    'string',
    'A selector to restrict the list of returned objects by their fields. Defaults to everything.',
  ),
  query(
    'labelSelector',
    'string',
    'A selector to restrict the list of returned objects by their labels. Defaults to everything.',
  ),
  query('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  query(
    'resourceVersion',
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  query(
    'resourceVersionMatch',
    'string',
    'resourceVersionMatch determines how resourceVersion is applied to list calls.',
  ),
  query(
    'sendInitialEvents',
    'boolean',
    'sendInitialEvents=true may be set together with watch=true.',
  ),
  query('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  query(
    'watch',
    'boolean',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
  ),
]
const writeParameters = [
  query('dryRun', 'string', 'When present, indicates that modifications should not be persisted.'),
  query(
    'fieldManager',
    'string',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  query(
    'fieldValidation',
    'string',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.',
  ),
]
const deleteParameters = [
  query('dryRun', 'string', 'When present, indicates that modifications should not be persisted.'),
  query(
    'gracePeriodSeconds',
    'integer',
    'The duration in seconds before the object should be deleted.',
  ),
  query('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy.'),
  query(
    'propagationPolicy',
    'string',
    "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  ),
]

const json = (schema: JsonObject): JsonObject => ({
  'application/json': { schema },
  'application/yaml': { schema },
})

function operation(
  k: Kind,
  verb: string,
  action: string,
  sub: string,
  description: string,
  response: string,
  extra: {
    parameters?: JsonObject[]
    body?: string
    patch?: boolean
    created?: boolean
    accepted?: boolean
  } = {},
): JsonObject {
  const namespaced = k.namespaced ? 'Namespaced' : ''
  const title = sub === '' ? '' : sub.charAt(0).toUpperCase() + sub.slice(1)
  const op: JsonObject = {
    tags: ['exampleDev_v1'],
    description,
    operationId: `${verb}ExampleDevV1${namespaced}${k.kind}${title}`,
  }
  if (extra.parameters !== undefined) op['parameters'] = extra.parameters
  if (extra.body !== undefined) {
    op['requestBody'] = {
      content:
        extra.patch === true
          ? {
              'application/apply-patch+yaml': { schema: ref(`${meta}Patch`) },
              'application/json-patch+json': { schema: ref(`${meta}Patch`) },
              'application/merge-patch+json': { schema: ref(`${meta}Patch`) },
            }
          : { '*/*': { schema: ref(extra.body) } },
      required: true,
    }
  }
  const responses: JsonObject = {
    '200': { description: 'OK', content: json(ref(response)) },
  }
  if (extra.created === true)
    responses['201'] = { description: 'Created', content: json(ref(response)) }
  if (extra.accepted === true)
    responses['202'] = { description: 'Accepted', content: json(ref(response)) }
  responses['401'] = { description: 'Unauthorized' }
  op['responses'] = responses
  op['x-kubernetes-action'] = action
  op['x-kubernetes-group-version-kind'] = gvk(k.kind)
  return op
}

function pathParameters(k: Kind, named: boolean): JsonObject[] {
  const out: JsonObject[] = []
  if (named)
    out.push({
      name: 'name',
      in: 'path',
      description: `name of the ${k.kind}`,
      required: true,
      schema: { type: 'string', uniqueItems: true },
    })
  if (k.namespaced) {
    out.push({
      name: 'namespace',
      in: 'path',
      description: 'object name and auth scope, such as for teams and projects',
      required: true,
      schema: { type: 'string', uniqueItems: true },
    })
  }
  out.push(query('pretty', 'string', "If 'true', then the output is pretty printed."))
  return out
}

function paths(k: Kind): JsonObject {
  const name = schemaName(k.kind)
  const list = `${name}List`
  const status = `${meta}Status`
  const scale = 'io.k8s.api.autoscaling.v1.Scale'
  const base = `/apis/${group}/${version}`
  const root = k.namespaced ? `${base}/namespaces/{namespace}/${k.plural}` : `${base}/${k.plural}`
  const out: JsonObject = {}
  if (k.namespaced) {
    out[`${base}/${k.plural}`] = {
      get: {
        ...operation(k, 'list', 'list', '', `list objects of kind ${k.kind}`, list, {
          parameters: listParameters,
        }),
        operationId: `listExampleDevV1${k.kind}ForAllNamespaces`,
      },
      parameters: [query('pretty', 'string', "If 'true', then the output is pretty printed.")],
    }
  }
  out[root] = {
    get: operation(k, 'list', 'list', '', `list objects of kind ${k.kind}`, list, {
      parameters: listParameters,
    }),
    post: operation(k, 'create', 'post', '', `create a ${k.kind}`, name, {
      parameters: writeParameters,
      body: name,
      created: true,
      accepted: true,
    }),
    delete: operation(
      k,
      'deletecollection',
      'deletecollection',
      '',
      `delete collection of ${k.kind}`,
      status,
      { parameters: listParameters },
    ),
    parameters: pathParameters(k, false),
  }
  out[`${root}/{name}`] = {
    get: operation(k, 'read', 'get', '', `read the specified ${k.kind}`, name, {
      parameters: [
        query(
          'resourceVersion',
          'string',
          'resourceVersion sets a constraint on what resource versions a request may be served from.',
        ),
      ],
    }),
    put: operation(k, 'replace', 'put', '', `replace the specified ${k.kind}`, name, {
      parameters: writeParameters,
      body: name,
      created: true,
    }),
    delete: operation(k, 'delete', 'delete', '', `delete a ${k.kind}`, status, {
      parameters: deleteParameters,
      accepted: true,
    }),
    patch: operation(k, 'patch', 'patch', '', `partially update the specified ${k.kind}`, name, {
      parameters: writeParameters,
      body: name,
      patch: true,
    }),
    parameters: pathParameters(k, true),
  }
  for (const [sub, enabled, response] of [
    ['status', k.status, name],
    ['scale', k.scale, scale],
  ] as const) {
    if (!enabled) continue
    out[`${root}/{name}/${sub}`] = {
      get: operation(k, 'read', 'get', sub, `read ${sub} of the specified ${k.kind}`, response),
      put: operation(
        k,
        'replace',
        'put',
        sub,
        `replace ${sub} of the specified ${k.kind}`,
        response,
        { parameters: writeParameters, body: response, created: true },
      ),
      patch: operation(
        k,
        'patch',
        'patch',
        sub,
        `partially update ${sub} of the specified ${k.kind}`,
        response,
        { parameters: writeParameters, body: response, patch: true },
      ),
      parameters: pathParameters(k, true),
    }
  }
  return out
}

// apimachinery `pkg/apis/meta/v1/types.go` and api `autoscaling/v1/types.go`, fields with short
// descriptions: the closure the CRD routes reference.
const time = {
  description:
    'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.',
  type: 'string',
  format: 'date-time',
}
const metaSchemas: Record<string, JsonObject> = {
  [`${meta}ObjectMeta`]: {
    description:
      'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    type: 'object',
    properties: {
      annotations: { type: 'object', additionalProperties: { type: 'string', default: '' } },
      creationTimestamp: allOf(
        `${meta}Time`,
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      ),
      deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
      deletionTimestamp: {
        allOf: [ref(`${meta}Time`)],
        description:
          'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.',
      },
      finalizers: {
        type: 'array',
        items: { type: 'string', default: '' },
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-patch-strategy': 'merge',
      },
      generateName: { type: 'string' },
      generation: { type: 'integer', format: 'int64' },
      labels: { type: 'object', additionalProperties: { type: 'string', default: '' } },
      managedFields: {
        type: 'array',
        items: { allOf: [ref(`${meta}ManagedFieldsEntry`)], default: {} },
        'x-kubernetes-list-type': 'atomic',
      },
      name: { type: 'string' },
      namespace: { type: 'string' },
      ownerReferences: {
        type: 'array',
        items: { allOf: [ref(`${meta}OwnerReference`)], default: {} },
        'x-kubernetes-list-map-keys': ['uid'],
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
      },
      resourceVersion: { type: 'string' },
      selfLink: { type: 'string' },
      uid: { type: 'string' },
    },
  },
  [`${meta}ListMeta`]: {
    description:
      'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
    type: 'object',
    properties: {
      continue: { type: 'string' },
      remainingItemCount: { type: 'integer', format: 'int64' },
      resourceVersion: { type: 'string' },
      selfLink: { type: 'string' },
    },
  },
  [`${meta}ManagedFieldsEntry`]: {
    description:
      'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      fieldsType: { type: 'string' },
      fieldsV1: { allOf: [ref(`${meta}FieldsV1`)] },
      manager: { type: 'string' },
      operation: { type: 'string' },
      subresource: { type: 'string' },
      time: { allOf: [ref(`${meta}Time`)] },
    },
  },
  [`${meta}FieldsV1`]: {
    description: 'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.',
    type: 'object',
  },
  [`${meta}Time`]: time,
  [`${meta}OwnerReference`]: {
    description: 'OwnerReference contains enough information to let you identify an owning object.',
    type: 'object',
    required: ['apiVersion', 'kind', 'name', 'uid'],
    properties: {
      apiVersion: { type: 'string', default: '' },
      blockOwnerDeletion: { type: 'boolean' },
      controller: { type: 'boolean' },
      kind: { type: 'string', default: '' },
      name: { type: 'string', default: '' },
      uid: { type: 'string', default: '' },
    },
    'x-kubernetes-map-type': 'atomic',
  },
  [`${meta}Status`]: {
    description: "Status is a return value for calls that don't return other objects.",
    type: 'object',
    properties: {
      apiVersion: apiVersionProperty,
      code: { type: 'integer', format: 'int32' },
      details: { allOf: [ref(`${meta}StatusDetails`)], 'x-kubernetes-list-type': 'atomic' },
      kind: kindProperty,
      message: { type: 'string' },
      metadata: allOf(`${meta}ListMeta`, 'Standard list metadata.'),
      reason: { type: 'string' },
      status: { type: 'string' },
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
  },
  [`${meta}StatusDetails`]: {
    description:
      'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response.',
    type: 'object',
    properties: {
      causes: {
        type: 'array',
        items: { allOf: [ref(`${meta}StatusCause`)], default: {} },
        'x-kubernetes-list-type': 'atomic',
      },
      group: { type: 'string' },
      kind: { type: 'string' },
      name: { type: 'string' },
      retryAfterSeconds: { type: 'integer', format: 'int32' },
      uid: { type: 'string' },
    },
  },
  [`${meta}StatusCause`]: {
    description:
      'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.',
    type: 'object',
    properties: {
      field: { type: 'string' },
      message: { type: 'string' },
      reason: { type: 'string' },
    },
  },
  [`${meta}Patch`]: {
    description:
      'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
  'io.k8s.api.autoscaling.v1.Scale': {
    description: 'Scale represents a scaling request for a resource.',
    type: 'object',
    properties: {
      apiVersion: apiVersionProperty,
      kind: kindProperty,
      metadata: allOf(`${meta}ObjectMeta`, metadataDescription),
      spec: allOf('io.k8s.api.autoscaling.v1.ScaleSpec', 'spec defines the behavior of the scale.'),
      status: {
        allOf: [ref('io.k8s.api.autoscaling.v1.ScaleStatus')],
        description: 'status is the current status of the scale.',
      },
    },
    'x-kubernetes-group-version-kind': [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }],
  },
  'io.k8s.api.autoscaling.v1.ScaleSpec': {
    description: 'ScaleSpec describes the attributes of a scale subresource.',
    type: 'object',
    properties: { replicas: { type: 'integer', format: 'int32' } },
  },
  'io.k8s.api.autoscaling.v1.ScaleStatus': {
    description: 'ScaleStatus represents the current status of a scale subresource.',
    type: 'object',
    required: ['replicas'],
    properties: {
      replicas: { type: 'integer', format: 'int32', default: 0 },
      selector: { type: 'string' },
    },
  },
}

/**
 * A lookup of shared schemas in a profile's documents: the first document defining `name` wins.
 *
 * @example
 * exampleCrdDocument(sharedSchemaOf(profile.v3?.values() ?? []))
 */
export function sharedSchemaOf(
  documents: Iterable<unknown>,
): (name: string) => JsonObject | undefined {
  const list = [...documents]
  return (name) => {
    for (const document of list) {
      const components = isJsonObject(document) ? document['components'] : undefined
      const schemas = isJsonObject(components) ? components['schemas'] : undefined
      const schema =
        isJsonObject(schemas) && Object.hasOwn(schemas, name) ? schemas[name] : undefined
      if (isJsonObject(schema)) return schema
    }
    return undefined
  }
}

/**
 * The OpenAPI v3 document of the project-authored `example.dev/v1` CRD group, as
 * apiextensions-apiserver would publish it at `/openapi/v3/apis/example.dev/v1`. A real server
 * embeds its own definitions of the shared types (ObjectMeta, Status, autoscaling Scale) there —
 * the builder takes them from the server's OpenAPI definitions — so `shared` may supply them
 * (with everything they reference); the document's built-in copies stand in otherwise: a namespaced
 * `Widget` (status and scale subresources; `x-kubernetes-int-or-string`,
 * `x-kubernetes-preserve-unknown-fields`, `x-kubernetes-embedded-resource` fields) and a
 * cluster-scoped `Gadget`. Returns a fresh object each call.
 *
 * @example
 * const doc = exampleCrdDocument()
 * doc.components.schemas['dev.example.v1.Widget'] // the Widget schema
 */
export function exampleCrdDocument(shared?: (name: string) => JsonObject | undefined): {
  openapi: string
  info: JsonObject
  paths: JsonObject
  components: { schemas: Record<string, JsonObject> }
} {
  const schemas: Record<string, JsonObject> = { ...metaSchemas }
  if (shared !== undefined) {
    const pending = Object.keys(metaSchemas)
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      const served = shared(name)
      if (served === undefined) continue
      schemas[name] = served
      const refs = new Set<string>()
      refNamesOf(served, refs)
      for (const ref of refs)
        if (!(ref in schemas) || schemas[ref] === metaSchemas[ref]) pending.push(ref)
    }
  }
  for (const k of [widget, gadget]) {
    schemas[schemaName(k.kind)] = objectSchema(k)
    schemas[`${schemaName(k.kind)}List`] = listSchema(k)
  }
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1)))
  const allPaths: JsonObject = { ...paths(gadget), ...paths(widget) }
  const document = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
    paths: Object.fromEntries(Object.entries(allPaths).sort(([a], [b]) => (a < b ? -1 : 1))),
    components: { schemas: sorted },
  }
  return JSON.parse(JSON.stringify(document)) as typeof document
}
