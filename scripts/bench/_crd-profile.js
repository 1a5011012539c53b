// The "1,000 CRDs" benchmark profile: per-group-version OpenAPI v3 documents shaped exactly as
// kube-apiserver publishes CRDs (apiextensions-apiserver `pkg/controller/openapi/builder/
// builder.go`: schema names `<reversed group>.<version>.<Kind>` (util.ToRESTFriendlyName),
// `metadata` an allOf $ref to ObjectMeta, `x-kubernetes-group-version-kind` on the kind and its
// List, list/create/deletecollection on the collection, read/replace/delete/patch on `{name}`,
// read/replace/patch on /status and /scale, every document carrying its own copy of the
// apimachinery schemas it references), written by the project itself: no real CRD is copied.
//
// Sizes follow a real large cluster (1,000 CRDs, 433 group-versions, ~166 MB of v3 JSON, a
// Crossplane-provider-like mix: some group-versions served as v1 and v1beta1, most CRDs with
// deep spec/status schemas full of descriptions, enums, int-or-string and
// preserve-unknown-fields). Everything comes from one seeded PRNG: the same seed gives the same
// bytes.
import { exampleCrdDocument } from '@k8s-codegen/testkit'

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.'
const SCALE = 'io.k8s.api.autoscaling.v1.Scale'
const ref = (name) => ({ $ref: `#/components/schemas/${name}` })

// mulberry32: small, fast and good enough to make sizes and shapes vary reproducibly.
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'the a of to and is in for be that this field specifies when if resource object value name ' +
  'default must should may will not set by controller provider reconcile cluster namespace ' +
  'reference selector label annotation policy configuration endpoint region account identifier ' +
  'secret key certificate token address port protocol instance volume network subnet route ' +
  'record zone bucket role user group permission status condition observed generation last ' +
  'transition time reason message type ready synced external managed deletion orphan update ' +
  'create delete at least one only valid values are see more information documentation minimum ' +
  'maximum length format pattern string integer boolean list map entry item required optional'
).split(' ')
const NAMES = (
  'name region zone account role policy bucket key value tags labels selector endpoint port ' +
  'protocol address subnet network vpc instance volume size capacity storage class mode type ' +
  'enabled disabled retention encryption versioning lifecycle rules filter prefix suffix ' +
  'target source destination weight priority timeout interval threshold replicas image command ' +
  'args env secret config map ref arn id description comment owner project location tier'
).split(' ')
const KIND_WORDS = (
  'Bucket Instance Cluster Database Queue Topic Subscription Role Policy User Group Key Secret ' +
  'Certificate Record Zone Route Table Gateway Endpoint Subnet Network Firewall Rule Volume ' +
  'Snapshot Backup Function Layer Alias Stream Pipeline Job Schedule Registry Repository Domain ' +
  'Listener Target Balancer Distribution Cache Parameter Document Association Attachment'
).split(' ')
const PROVIDERS = (
  'aws gcp azure alibaba digitalocean cloudflare github gitlab vault helm kafka grafana datadog ' +
  'elastic mongodb postgres mysql redis rabbitmq nats temporal argo flux tekton keda istio linkerd'
).split(' ')
const SERVICES = (
  'ec2 s3 iam rds sqs sns lambda route53 kms eks ecr elb cloudfront dynamodb kinesis glue ' +
  'compute storage sql pubsub dns network identity monitoring logging security registry ' +
  'container cache database messaging secrets workflow streaming search analytics'
).split(' ')

function words(rng, min, max) {
  const n = min + Math.floor(rng() * (max - min + 1))
  const out = []
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rng() * WORDS.length)])
  const text = out.join(' ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

const pick = (rng, list) => list[Math.floor(rng() * list.length)]

// A property schema of roughly `budget` bytes of JSON; returns [schema, bytes].
function property(rng, depth, budget) {
  const description = words(rng, 6, 70)
  const r = rng()
  let schema
  if (depth < 9 && budget > 1500 && r < 0.22) {
    schema = objectSchema(rng, depth + 1, Math.min(budget, 1500 + rng() * budget * 0.7))
  } else if (depth < 9 && budget > 1500 && r < 0.3) {
    const [items, bytes] = objectSchema(
      rng,
      depth + 1,
      Math.min(budget, 1200 + rng() * budget * 0.5),
    )
    schema = [{ type: 'array', items, 'x-kubernetes-list-type': 'atomic' }, bytes + 60]
  } else if (r < 0.4) {
    const values = Array.from({ length: 2 + Math.floor(rng() * 6) }, () =>
      pick(rng, NAMES).replace(/^./, (c) => c.toUpperCase()),
    )
    schema = [{ type: 'string', enum: [...new Set(values)] }, 0]
  } else if (r < 0.46) {
    schema = [
      { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      0,
    ]
  } else if (r < 0.51) {
    schema = [{ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, 0]
  } else if (r < 0.58) {
    schema = [{ type: 'object', additionalProperties: { type: 'string' } }, 0]
  } else if (r < 0.75) {
    const s = { type: 'string' }
    if (rng() < 0.15) s.format = pick(rng, ['date-time', 'byte', 'uri'])
    if (rng() < 0.1) s.pattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
    if (rng() < 0.1) {
      const name = pick(rng, NAMES)
      // A default its format refuses is refused by kube-apiserver (defaulting/validation.go),
      // and by the emulator: a word is no uri, date-time or (mostly) byte. The draw stays, so
      // the rest of the corpus is the same.
      if (s.format === undefined) s.default = name
    }
    schema = [s, 0]
  } else if (r < 0.9) {
    const s = { type: 'integer', format: rng() < 0.5 ? 'int32' : 'int64' }
    if (rng() < 0.3) s.minimum = 0
    if (rng() < 0.1) s.default = 1
    schema = [s, 0]
  } else if (r < 0.95) {
    schema = [{ type: 'number' }, 0]
  } else {
    schema = [{ type: 'boolean', ...(rng() < 0.2 ? { default: false } : {}) }, 0]
  }
  const [s, nested] = schema
  s.description = description
  return [s, nested + JSON.stringify({ ...s, properties: undefined, items: undefined }).length]
}

function objectSchema(rng, depth, budget) {
  const properties = {}
  const required = []
  let used = 40
  while (used < budget) {
    let name = pick(rng, NAMES)
    if (rng() < 0.6) name += pick(rng, NAMES).replace(/^./, (c) => c.toUpperCase())
    if (name in properties) continue
    const [schema, bytes] = property(rng, depth, budget - used)
    properties[name] = schema
    used += bytes + name.length + 4
    if (rng() < 0.15) required.push(name)
    if (Object.keys(properties).length > 40) break
  }
  const schema = { type: 'object', properties }
  if (required.length > 0) schema.required = required.sort()
  return [schema, used]
}

// The apimachinery schemas (and autoscaling/v1 Scale) every CRD document carries a copy of.
function sharedSchemas() {
  return Object.fromEntries(
    Object.entries(exampleCrdDocument().components.schemas).filter(
      ([name]) => !name.startsWith('dev.example.'),
    ),
  )
}

function query(name, type, description) {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } }
}
const pretty = query('pretty', 'string', "If 'true', then the output is pretty printed.")
const LIST = [
  ['allowWatchBookmarks', 'boolean'],
  ['continue', 'string'],
  ['fieldSelector', 'string'],
  ['labelSelector', 'string'],
  ['limit', 'integer'],
  ['resourceVersion', 'string'],
  ['resourceVersionMatch', 'string'],
  ['sendInitialEvents', 'boolean'],
  ['timeoutSeconds', 'integer'],
  ['watch', 'boolean'],
].map(([n, t]) => query(n, t, `${n}: see the Kubernetes API conventions for list and watch.`))
const WRITE = [
  ['dryRun', 'string'],
  ['fieldManager', 'string'],
  ['fieldValidation', 'string'],
].map(([n, t]) => query(n, t, `${n}: see the Kubernetes API conventions for writes.`))
const DELETE = [
  ['dryRun', 'string'],
  ['gracePeriodSeconds', 'integer'],
  ['orphanDependents', 'boolean'],
  ['propagationPolicy', 'string'],
].map(([n, t]) => query(n, t, `${n}: see the Kubernetes API conventions for deletes.`))

function operation(crd, verb, action, sub, response, extra = {}) {
  const gvk = { group: crd.group, version: crd.version, kind: crd.kind }
  const op = {
    tags: [crd.tag],
    description: `${verb} ${sub === '' ? '' : `${sub} of `}${crd.kind}`,
    operationId: `${verb}${crd.opId}${crd.namespaced && !extra.allNamespaces ? 'Namespaced' : ''}${crd.kind}${sub === '' ? '' : sub.charAt(0).toUpperCase() + sub.slice(1)}${extra.allNamespaces ? 'ForAllNamespaces' : ''}`,
  }
  if (extra.parameters) op.parameters = extra.parameters
  if (extra.body) {
    op.requestBody = {
      content: extra.patch
        ? {
            'application/apply-patch+yaml': { schema: ref(`${META}Patch`) },
            'application/json-patch+json': { schema: ref(`${META}Patch`) },
            'application/merge-patch+json': { schema: ref(`${META}Patch`) },
          }
        : { '*/*': { schema: ref(extra.body) } },
      required: true,
    }
  }
  const json = {
    'application/json': { schema: ref(response) },
    'application/yaml': { schema: ref(response) },
  }
  op.responses = { 200: { description: 'OK', content: json } }
  if (extra.created) op.responses['201'] = { description: 'Created', content: json }
  op.responses['401'] = { description: 'Unauthorized' }
  op['x-kubernetes-action'] = action
  op['x-kubernetes-group-version-kind'] = gvk
  return op
}

function crdPaths(crd) {
  const name = crd.schemaName
  const base = `/apis/${crd.group}/${crd.version}`
  const root = crd.namespaced
    ? `${base}/namespaces/{namespace}/${crd.plural}`
    : `${base}/${crd.plural}`
  const nameParam = {
    name: 'name',
    in: 'path',
    description: `name of the ${crd.kind}`,
    required: true,
    schema: { type: 'string', uniqueItems: true },
  }
  const nsParam = {
    name: 'namespace',
    in: 'path',
    description: 'object name and auth scope, such as for teams and projects',
    required: true,
    schema: { type: 'string', uniqueItems: true },
  }
  const params = (named) => [
    ...(named ? [nameParam] : []),
    ...(crd.namespaced ? [nsParam] : []),
    pretty,
  ]
  const out = {}
  if (crd.namespaced)
    out[`${base}/${crd.plural}`] = {
      get: operation(crd, 'list', 'list', '', `${name}List`, {
        parameters: LIST,
        allNamespaces: true,
      }),
      parameters: [pretty],
    }
  out[root] = {
    get: operation(crd, 'list', 'list', '', `${name}List`, { parameters: LIST }),
    post: operation(crd, 'create', 'post', '', name, {
      parameters: WRITE,
      body: name,
      created: true,
    }),
    delete: operation(crd, 'deletecollection', 'deletecollection', '', `${META}Status`, {
      parameters: LIST,
    }),
    parameters: params(false),
  }
  out[`${root}/{name}`] = {
    get: operation(crd, 'read', 'get', '', name),
    put: operation(crd, 'replace', 'put', '', name, {
      parameters: WRITE,
      body: name,
      created: true,
    }),
    delete: operation(crd, 'delete', 'delete', '', `${META}Status`, { parameters: DELETE }),
    patch: operation(crd, 'patch', 'patch', '', name, {
      parameters: WRITE,
      body: name,
      patch: true,
    }),
    parameters: params(true),
  }
  for (const [sub, enabled, response] of [
    ['status', crd.status, name],
    ['scale', crd.scale, SCALE],
  ]) {
    if (!enabled) continue
    out[`${root}/{name}/${sub}`] = {
      get: operation(crd, 'read', 'get', sub, response),
      put: operation(crd, 'replace', 'put', sub, response, {
        parameters: WRITE,
        body: response,
        created: true,
      }),
      patch: operation(crd, 'patch', 'patch', sub, response, {
        parameters: WRITE,
        body: response,
        patch: true,
      }),
      parameters: params(true),
    }
  }
  return out
}

function crdSchemas(crd) {
  const gvk = { group: crd.group, version: crd.version, kind: crd.kind }
  const properties = {
    apiVersion: {
      description: 'APIVersion defines the versioned schema of this representation of an object.',
      type: 'string',
    },
    kind: {
      description: 'Kind is a string value representing the REST resource this object represents.',
      type: 'string',
    },
    metadata: {
      allOf: [ref(`${META}ObjectMeta`)],
      default: {},
      description: "Standard object's metadata.",
    },
    spec: crd.spec,
  }
  if (crd.statusSchema) properties.status = crd.statusSchema
  return {
    [crd.schemaName]: {
      description: `${crd.kind} is the Schema for the ${crd.plural} API.`,
      type: 'object',
      ...(crd.required ? { required: ['spec'] } : {}),
      properties,
      'x-kubernetes-group-version-kind': [gvk],
    },
    [`${crd.schemaName}List`]: {
      description: `${crd.kind}List is a list of ${crd.kind}`,
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: properties.apiVersion,
        items: { description: `List of ${crd.plural}.`, type: 'array', items: ref(crd.schemaName) },
        kind: properties.kind,
        metadata: {
          allOf: [ref(`${META}ListMeta`)],
          default: {},
          description: 'Standard list metadata.',
        },
      },
      'x-kubernetes-group-version-kind': [{ ...gvk, kind: `${crd.kind}List` }],
    },
  }
}

/**
 * The synthesized CRD profile: `groupVersions` inputs for `generate()` (documents, discovery),
 * in root-key order. Defaults: 1,000 CRDs over 433 group-versions, ~166 MB of JSON.
 *
 * @example
 * const { groupVersions, crds, bytes } = crdProfile({ crds: 1000 })
 */
// The group-versions of the profile and the CRDs each serves, one group-version at a time.
function* profileGroupVersions({
  crds = 1000,
  groupVersions = 433,
  seed = 0x9e3779b9,
  meanCrdBytes = 163_000,
} = {}) {
  const rng = prng(seed)
  // Group-versions: one group per provider service, a third of them served in two versions.
  const gvs = []
  for (let i = 0; gvs.length < groupVersions; i++) {
    const group = `${SERVICES[i % SERVICES.length]}.${PROVIDERS[Math.floor(i / SERVICES.length) % PROVIDERS.length]}${i >= SERVICES.length * PROVIDERS.length ? i : ''}.example.io`
    gvs.push({ group, version: 'v1beta1', crds: [] })
    if (gvs.length < groupVersions && rng() < 0.45) gvs.push({ group, version: 'v1', crds: [] })
  }
  // CRDs: round-robin, so every group-version gets two or three.
  for (let i = 0; i < crds; i++) gvs[i % gvs.length].crds.push(i)
  for (const gv of gvs) {
    const used = new Set()
    const list = []
    for (const i of gv.crds) {
      let kind = pick(rng, KIND_WORDS)
      if (used.has(kind) || rng() < 0.4) kind = `${kind}${pick(rng, KIND_WORDS)}`
      while (used.has(kind)) kind += 'X'
      used.add(kind)
      // Long-tailed sizes: most CRDs a few tens of kB, some several hundred.
      const target = meanCrdBytes * Math.exp((rng() - 0.5) * 2.2) * 0.82
      const [spec] = objectSchema(rng, 1, target * 0.7)
      const [statusSchema] = objectSchema(rng, 1, target * 0.2)
      const reversed = gv.group.split('.').reverse().join('.')
      const crd = {
        group: gv.group,
        version: gv.version,
        kind,
        plural: `${kind.toLowerCase()}s`,
        namespaced: rng() < 0.7,
        status: true,
        scale: rng() < 0.1,
        required: rng() < 0.5,
        schemaName: `${reversed}.${gv.version}.${kind}`,
        tag: `${gv.group.replace(/[^a-z0-9]/g, '')}_${gv.version}`,
        opId: gv.group
          .split(/[.-]/)
          .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
          .join('')
          .concat(gv.version.charAt(0).toUpperCase() + gv.version.slice(1)),
        spec: { ...spec, description: words(rng, 4, 20) },
        statusSchema: { ...statusSchema, description: words(rng, 4, 20) },
        shortName: `${kind.slice(0, 3).toLowerCase()}${i}`,
        index: i,
      }
      list.push(crd)
    }
    yield { gv, list }
  }
}

export function crdProfile({
  crds = 1000,
  groupVersions = 433,
  seed = 0x9e3779b9,
  meanCrdBytes = 163_000,
} = {}) {
  const shared = sharedSchemas()
  const inputs = []
  let bytes = 0
  for (const { gv, list } of profileGroupVersions({ crds, groupVersions, seed, meanCrdBytes })) {
    const schemas = { ...shared }
    let paths = {}
    for (const crd of list) {
      Object.assign(schemas, crdSchemas(crd))
      paths = { ...paths, ...crdPaths(crd) }
    }
    const sortedSchemas = Object.fromEntries(
      Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1)),
    )
    const sortedPaths = Object.fromEntries(
      Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1)),
    )
    const document = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
      paths: sortedPaths,
      components: { schemas: sortedSchemas },
    }
    const json = JSON.stringify(document)
    bytes += json.length
    const resources = list.flatMap((crd) => [
      {
        name: crd.plural,
        singularName: crd.kind.toLowerCase(),
        namespaced: crd.namespaced,
        kind: crd.kind,
        verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
        shortNames: [crd.shortName],
        categories: ['managed', gv.group.split('.')[1]],
      },
      ...(crd.status
        ? [
            {
              name: `${crd.plural}/status`,
              singularName: '',
              namespaced: crd.namespaced,
              kind: crd.kind,
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
      ...(crd.scale
        ? [
            {
              name: `${crd.plural}/scale`,
              singularName: '',
              namespaced: crd.namespaced,
              group: 'autoscaling',
              version: 'v1',
              kind: 'Scale',
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ])
    inputs.push({
      key: `apis/${gv.group}/${gv.version}`,
      group: gv.group,
      version: gv.version,
      json,
      discovery: { groupVersion: `${gv.group}/${gv.version}`, resources },
      kinds: list.map((crd) => crd.kind),
    })
  }
  inputs.sort((a, b) => (a.key < b.key ? -1 : 1))
  return { groupVersions: inputs, crds, bytes }
}

/**
 * The same CRDs as CustomResourceDefinition manifests, one group at a time (a kind served in
 * v1beta1 and v1 of a group is one CRD with two versions, v1beta1 the storage version), for the
 * end-to-end `generate --crds` and emulator runs.
 *
 * @example
 * for (const manifest of crdManifests({ crds: 200 })) write(manifest)
 */
export function* crdManifests({
  crds = 1000,
  groupVersions = 433,
  seed = 0x9e3779b9,
  meanCrdBytes = 163_000,
} = {}) {
  let group
  let pending = new Map()
  for (const { gv, list } of profileGroupVersions({ crds, groupVersions, seed, meanCrdBytes })) {
    if (gv.group !== group) {
      yield* pending.values()
      pending = new Map()
      group = gv.group
    }
    for (const crd of list) {
      const name = `${crd.plural}.${crd.group}`
      const spec = structuredClone(crd.spec)
      const status = structuredClone(crd.statusSchema)
      if (crd.scale) {
        spec.properties.replicas = { type: 'integer', format: 'int32', minimum: 0 }
        status.properties.replicas = { type: 'integer', format: 'int32' }
      }
      const version = {
        name: crd.version,
        served: true,
        storage: !pending.has(name),
        subresources: {
          status: {},
          ...(crd.scale
            ? {
                scale: {
                  specReplicasPath: '.spec.replicas',
                  statusReplicasPath: '.status.replicas',
                },
              }
            : {}),
        },
        schema: {
          openAPIV3Schema: {
            description: `${crd.kind} is the Schema for the ${crd.plural} API.`,
            type: 'object',
            ...(crd.required ? { required: ['spec'] } : {}),
            properties: {
              apiVersion: { type: 'string', description: 'APIVersion of this representation.' },
              kind: { type: 'string', description: 'Kind of this representation.' },
              metadata: { type: 'object' },
              spec,
              status,
            },
          },
        },
      }
      const existing = pending.get(name)
      if (existing !== undefined) existing.spec.versions.push(version)
      else
        pending.set(name, {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name },
          spec: {
            group: crd.group,
            scope: crd.namespaced ? 'Namespaced' : 'Cluster',
            names: {
              plural: crd.plural,
              singular: crd.kind.toLowerCase(),
              kind: crd.kind,
              listKind: `${crd.kind}List`,
              shortNames: [crd.shortName],
              categories: ['managed'],
            },
            versions: [version],
          },
        })
    }
  }
  yield* pending.values()
}
