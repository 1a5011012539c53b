// Field validation (Strict, Warn, Ignore), schema validation of custom resources with its causes,
// and the Warning headers of deprecated versions.
import type { ParityRow, Request } from './_scenario.js'
import {
  configMap,
  configMaps,
  database,
  databases,
  deployment,
  deployments,
  resourceVersionOf,
  widget,
  widgets,
} from './_objects.js'

const withUnknown = { ...configMap('c'), extra: 1, metadata: { name: 'c', bogus: true } }
/** The Database `name` with these spec fields over its defaults. */
function db(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  const base = database(name)
  return { ...base, spec: { ...(base['spec'] as object), ...spec } }
}

/** A POST of a core/v1 `kind` with this spec, named after its first letter. */
function coreCreate(kind: string, plural: string, spec: Record<string, unknown>): Request {
  return {
    method: 'POST',
    path: `/api/v1/namespaces/{ns}/${plural}`,
    body: { apiVersion: 'v1', kind, metadata: { name: kind[0]?.toLowerCase() }, spec },
  }
}

const duplicated =
  '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"},"data":{"a":"1","a":"2"}}'

export const validations: ParityRow[] = [
  {
    given: {
      name: 'unknown fields: Strict refuses, Warn warns, Ignore drops them silently',
      steps: [
        { method: 'POST', path: `${configMaps}?fieldValidation=Strict`, body: withUnknown },
        { method: 'POST', path: `${configMaps}?fieldValidation=Warn`, body: withUnknown },
        { method: 'DELETE', path: `${configMaps}/c` },
        { method: 'POST', path: `${configMaps}?fieldValidation=Ignore`, body: withUnknown },
        { method: 'DELETE', path: `${configMaps}/c` },
        { method: 'POST', path: configMaps, body: withUnknown },
        { method: 'POST', path: `${configMaps}?fieldValidation=Sometimes`, body: configMap('e') },
      ],
    },
    want: {
      simplifications: ['error texts'],
      differences: [
        '#6.body.code',
        '#6.body.details',
        '#6.body.message',
        '#6.body.reason',
        '#6.status',
      ],
    },
  },
  {
    given: {
      name: 'duplicate fields: Strict refuses, Warn warns',
      steps: [
        { method: 'POST', path: `${configMaps}?fieldValidation=Strict`, body: duplicated },
        { method: 'POST', path: `${configMaps}?fieldValidation=Warn`, body: duplicated },
      ],
    },
    want: {
      simplifications: ['duplicate JSON fields', 'error texts'],
      differences: [
        '#0.body.code',
        '#0.body.data',
        '#0.body.kind',
        '#0.body.message',
        '#0.body.metadata.creationTimestamp',
        '#0.body.metadata.managedFields',
        '#0.body.metadata.name',
        '#0.body.metadata.namespace',
        '#0.body.metadata.resourceVersion',
        '#0.body.metadata.uid',
        '#0.body.reason',
        '#0.body.status',
        '#0.status',
        '#1.body.code',
        '#1.body.data',
        '#1.body.details',
        '#1.body.kind',
        '#1.body.message',
        '#1.body.metadata.creationTimestamp',
        '#1.body.metadata.managedFields',
        '#1.body.metadata.name',
        '#1.body.metadata.namespace',
        '#1.body.metadata.resourceVersion',
        '#1.body.metadata.uid',
        '#1.body.reason',
        '#1.body.status',
        '#1.headers.warning',
        '#1.status',
      ],
    },
  },
  {
    given: {
      name: 'unknown fields of a custom resource are pruned, and named under Strict',
      steps: [
        {
          method: 'POST',
          path: `${widgets}?fieldValidation=Strict`,
          body: widget('w', { size: 1, colour: 'red' }),
        },
        { method: 'POST', path: widgets, body: widget('w', { size: 1, colour: 'red' }) },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#1.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      // One problem per request: kube-apiserver lists several in map order, which varies.
      name: 'a custom resource that breaks its schema is Invalid, with its causes',
      steps: [
        { method: 'POST', path: widgets, body: widget('a', { size: 1, replicas: -1 }) },
        { method: 'POST', path: widgets, body: widget('b', { size: 1, mode: 'medium' }) },
        { method: 'POST', path: widgets, body: widget('c', { size: 1, labels: { a: 1 } }) },
        { method: 'POST', path: widgets, body: widget('d', { replicas: 2 }) },
        { method: 'POST', path: widgets, body: widget('e', { size: 1, replicas: 'three' }) },
      ],
    },
  },
  {
    given: {
      // One problem per request (the server lists several in Go map order).
      name: 'a custom resource breaking a pattern, a maximum, a list-map key, a required field or its scale path is Invalid',
      steps: [
        { method: 'POST', path: databases, body: db('a', { version: 'latest' }) },
        { method: 'POST', path: databases, body: db('b', { storageGiB: 500 }) },
        {
          method: 'POST',
          path: databases,
          body: db('c', { users: [{ name: 'x' }, { name: 'x', role: 'admin' }] }),
        },
        { method: 'POST', path: databases, body: db('d', { users: [{ role: 'reader' }] }) },
        {
          method: 'POST',
          path: databases,
          body: db('e', { users: [{ name: 'y', role: 'root' }] }),
        },
        // minimum 1, then the scale subresource's own check of .spec.instances.
        { method: 'POST', path: databases, body: db('f', { instances: -1 }) },
        { method: 'POST', path: databases, body: db('g', { instances: 'two' }) },
        {
          method: 'POST',
          path: databases,
          body: db('h', {
            version: '16.2',
            storageGiB: 100,
            users: [{ name: 'x' }, { name: 'y' }],
          }),
        },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#7.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      name: 'a custom resource is validated on update, patch, apply and status writes',
      setup: [{ method: 'POST', path: databases, body: db('live', { version: '16.2' }) }],
      steps: [
        { path: `${databases}/live` },
        (answers) => ({
          method: 'PUT',
          path: `${databases}/live`,
          body: {
            ...db('live', { storageGiB: 101 }),
            metadata: { name: 'live', resourceVersion: resourceVersionOf(answers, 0) },
          },
        }),
        {
          method: 'PATCH',
          path: `${databases}/live`,
          contentType: 'application/merge-patch+json',
          body: { spec: { version: 'v16' } },
        },
        {
          method: 'PATCH',
          path: `${databases}/live?fieldManager=parity`,
          contentType: 'application/apply-patch+yaml',
          body: db('live', { users: [{ name: 'x', role: 'owner' }] }),
        },
        {
          method: 'PATCH',
          path: `${databases}/live/status`,
          contentType: 'application/merge-patch+json',
          body: { status: { readyInstances: -2 } },
        },
        // A patch's strict decoding error quotes the whole patched object (timestamps included),
        // so the update carries the unknown field.
        (answers) => ({
          method: 'PUT',
          path: `${databases}/live?fieldValidation=Strict`,
          body: {
            ...db('live', { colour: 'red' }),
            metadata: { name: 'live', resourceVersion: resourceVersionOf(answers, 0) },
          },
        }),
        // Still the object of the setup: nothing above was stored.
        { path: `${databases}/live` },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#0.body.metadata.managedFields[]', '#6.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      // What the OpenAPI schema of a built-in kind says (enums, required) beside what its Go
      // validation says: one problem per request.
      name: 'a built-in kind breaking its OpenAPI enum or required fields',
      steps: [
        {
          method: 'POST',
          path: deployments,
          body: {
            ...deployment('e'),
            spec: { ...(deployment('e')['spec'] as object), strategy: { type: 'Sometimes' } },
          },
        },
        coreCreate('Service', 'services', { ports: [{ name: 'http' }] }),
        coreCreate('Pod', 'pods', { containers: [{ image: 'nginx' }] }),
      ],
    },
    // kube-apiserver answers with its Go validation: the enum is Go's (the recorded apps/v1
    // document has none, so the emulator creates the Deployment), a missing port is the zero
    // value out of range (`Invalid value: 0: must be between 1 and 65535`) where the emulator
    // says what the schema says (`Required value`); a container's name agrees.
    want: {
      simplifications: ['validation is the OpenAPI schema only'],
      differences: [
        '#0.body.apiVersion',
        '#0.body.code',
        '#0.body.details',
        '#0.body.kind',
        '#0.body.message',
        '#0.body.metadata.creationTimestamp',
        '#0.body.metadata.generation',
        '#0.body.metadata.labels',
        '#0.body.metadata.managedFields',
        '#0.body.metadata.name',
        '#0.body.metadata.namespace',
        '#0.body.metadata.resourceVersion',
        '#0.body.metadata.uid',
        '#0.body.reason',
        '#0.body.spec',
        '#0.body.status',
        '#0.status',
        '#1.body.details.causes[]',
        '#1.body.message',
      ],
    },
  },
  {
    given: {
      name: 'a wrong type in a built-in',
      steps: [
        { method: 'POST', path: configMaps, body: { ...configMap('c'), data: { a: 1 } } },
        { method: 'POST', path: configMaps, body: '{"apiVersion":"v1","kind":"ConfigMap",' },
      ],
    },
    want: {
      simplifications: ['error texts'],
      differences: ['#1.body.message'],
    },
  },
  {
    given: {
      name: 'a deprecated custom resource version warns on every request',
      steps: [
        {
          method: 'POST',
          path: '/apis/example.dev/v1beta1/namespaces/{ns}/widgets',
          body: { apiVersion: 'example.dev/v1beta1', kind: 'Widget', metadata: { name: 'old' } },
        },
        { path: '/apis/example.dev/v1beta1/namespaces/{ns}/widgets/old' },
      ],
    },
    want: {
      simplifications: ['no deprecation warnings'],
      differences: ['#0.headers.warning', '#1.headers.warning'],
    },
  },
  {
    given: {
      name: 'Endpoints writes carry the deprecation warning',
      steps: [
        {
          method: 'POST',
          path: '/api/v1/namespaces/{ns}/endpoints',
          body: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' } },
        },
      ],
    },
  },
]
