// Server-side apply: create by apply, ownership in managedFields, conflicts between managers and
// `force`, fields an applier stops sending, and the refusals.
import type { ParityRow } from './_scenario.js'
import {
  configMap,
  configMaps,
  database,
  databases,
  deployment,
  deployments,
  widget,
  widgets,
} from './_objects.js'

const apply = 'application/apply-patch+yaml'

// A Deployment `d` whose one container `web` has these ports.
function withPorts(ports: Record<string, unknown>[]): Record<string, unknown> {
  const containers = [{ name: 'web', image: 'nginx:1.25', ports }]
  return {
    ...deployment('d'),
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers } },
    },
  }
}

// What of a Deployment answer the port rows compare: the `web` container's ports (without
// `protocol`, which the emulator does not default: "no defaulting") and each manager's field
// set of them.
function portsView(body: unknown): unknown {
  const object = body as {
    metadata?: { managedFields?: { manager: string; fieldsV1: Record<string, unknown> }[] }
    spec?: { template?: { spec?: { containers?: { ports?: Record<string, unknown>[] }[] } } }
  }
  const at = (fields: unknown, path: string[]): unknown =>
    path.reduce<unknown>(
      (node, key) => (node as Record<string, unknown> | undefined)?.[key],
      fields,
    )
  const portsPath = [
    'f:spec',
    'f:template',
    'f:spec',
    'f:containers',
    'k:{"name":"web"}',
    'f:ports',
  ]
  return {
    ports: object.spec?.template?.spec?.containers?.[0]?.ports?.map(
      ({ protocol: _defaulted, ...port }) => port,
    ),
    owners: Object.fromEntries(
      (object.metadata?.managedFields ?? []).map((e) => [e.manager, at(e.fieldsV1, portsPath)]),
    ),
  }
}

// What `kubectl apply` (client-side) stores: the configuration as sorted compact JSON in the
// last-applied annotation (kubectl apply/util.go GetModifiedConfiguration), created by its
// `kubectl-client-side-apply` field manager.
const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration'
function clientSideApplied(data: Record<string, string>): Record<string, unknown> {
  const annotation = `${JSON.stringify({ apiVersion: 'v1', data, kind: 'ConfigMap', metadata: { annotations: {}, name: 'c', namespace: '{ns}' } })}\n`
  return configMap('c', data, { annotations: { [lastApplied]: annotation } })
}

// What of a ConfigMap answer the client-side to server-side rows compare: its data, its
// annotations and who manages it (a Status as it is).
function upgradeView(body: unknown): unknown {
  const object = body as {
    kind?: string
    data?: unknown
    metadata?: { annotations?: unknown; managedFields?: { manager: string; operation: string }[] }
  }
  if (object.kind === 'Status') return body
  return {
    data: object.data,
    annotations: object.metadata?.annotations,
    // Sorted: entry order is the "managed fields" simplification.
    managers: (object.metadata?.managedFields ?? [])
      .map((e) => `${e.manager} ${e.operation}`)
      .sort(),
  }
}

export const applies: ParityRow[] = [
  {
    given: {
      name: 'apply creates, a second manager conflicts, force takes the field over',
      steps: [
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=alice`,
          contentType: apply,
          body: configMap('c', { owner: 'alice', shared: 'x' }),
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=bob`,
          contentType: apply,
          body: configMap('c', { owner: 'bob', shared: 'x' }),
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=bob&force=true`,
          contentType: apply,
          body: configMap('c', { owner: 'bob', shared: 'x' }),
        },
      ],
    },
  },
  {
    given: {
      name: 'a field the applier stops sending goes unless another manager owns it',
      steps: [
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=alice`,
          contentType: apply,
          body: configMap('c', { a: '1', b: '2', c: '3' }),
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=bob`,
          contentType: apply,
          body: configMap('c', { b: '2' }),
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=alice`,
          contentType: apply,
          body: configMap('c', { a: '1' }),
        },
      ],
    },
    want: {
      simplifications: ['managed fields', 'server-side apply'],
      differences: [
        '#1.body.metadata.managedFields[]',
        '#1.body.metadata.resourceVersion',
        '#2.body.data.b',
        '#2.body.metadata.managedFields[]',
        '#2.body.metadata.resourceVersion',
      ],
    },
  },
  {
    given: {
      name: 'an Update manager and an Apply manager: a changed value conflicts, an equal one is shared',
      setup: [
        {
          method: 'POST',
          path: `${configMaps}?fieldManager=kubectl-edit`,
          body: configMap('c', { a: '1' }),
        },
      ],
      steps: [
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=alice`,
          contentType: apply,
          body: configMap('c', { a: '1' }),
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=bob`,
          contentType: apply,
          body: configMap('c', { a: '2' }),
        },
      ],
    },
    want: {
      simplifications: ['managed fields', 'server-side apply'],
      differences: [
        '#0.body.metadata.managedFields[]',
        '#1.body.details.causes[]',
        '#1.body.message',
      ],
    },
  },
  {
    given: {
      name: 'apply merges list-map entries by key (containers by name)',
      setup: [
        { method: 'POST', path: `${deployments}?fieldManager=creator`, body: deployment('d') },
      ],
      steps: [
        {
          method: 'PATCH',
          path: `${deployments}/d?fieldManager=alice`,
          contentType: apply,
          body: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'd' },
            spec: {
              template: {
                spec: { containers: [{ name: 'sidecar', image: 'busybox' }] },
              },
            },
          },
        },
        {
          method: 'PATCH',
          path: `${deployments}/d?fieldManager=bob`,
          contentType: apply,
          body: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'd' },
            spec: {
              template: {
                spec: { containers: [{ name: 'sidecar', image: 'alpine' }] },
              },
            },
          },
        },
      ],
    },
    want: {
      simplifications: ['no defaulting', 'managed fields'],
      differences: [
        '#0.body.metadata.managedFields[]',
        '#0.body.spec.progressDeadlineSeconds',
        '#0.body.spec.revisionHistoryLimit',
        '#0.body.spec.strategy',
        '#0.body.spec.template',
        '#0.body.status',
      ],
    },
  },
  {
    given: {
      name: 'apply on a custom resource, dry run and a missing fieldManager',
      steps: [
        {
          method: 'PATCH',
          path: `${widgets}/w?fieldManager=alice`,
          contentType: apply,
          body: {
            apiVersion: 'example.dev/v1',
            kind: 'Widget',
            metadata: { name: 'w' },
            spec: { size: 2, labels: { a: 'b' } },
          },
        },
        {
          method: 'PATCH',
          path: `${widgets}/w?fieldManager=bob&dryRun=All`,
          contentType: apply,
          body: {
            apiVersion: 'example.dev/v1',
            kind: 'Widget',
            metadata: { name: 'w' },
            spec: { size: 2, labels: { c: 'd' } },
          },
        },
        { path: `${widgets}/w` },
        {
          method: 'PATCH',
          path: `${widgets}/w`,
          contentType: apply,
          body: { apiVersion: 'example.dev/v1', kind: 'Widget', metadata: { name: 'w' } },
        },
      ],
    },
  },
  {
    given: {
      name: 'apply with a body that names another object or kind is refused',
      steps: [
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=alice`,
          contentType: apply,
          body: configMap('other'),
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=alice`,
          contentType: apply,
          body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c' } },
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=alice`,
          contentType: apply,
          body: 'data: [unclosed',
        },
      ],
    },
    want: { simplifications: ['error texts'], differences: ['#1.body.message', '#2.body.message'] },
  },
  {
    given: {
      // apimachinery structuredmerge.go Apply types the configuration without AllowDuplicates:
      // a plain error, so a 500 with no reason, before any validation or admission.
      name: 'apply with two items of one key in a built-in list-map or set is a 500 naming each',
      setup: [
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=alice`,
          contentType: apply,
          body: configMap('c'),
        },
      ],
      steps: [
        {
          method: 'PATCH',
          path: '/api/v1/namespaces/{ns}/pods/p?fieldManager=alice',
          contentType: apply,
          body: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'p', namespace: '{ns}' },
            spec: {
              containers: [
                {
                  name: 'web',
                  image: 'nginx',
                  ports: [{ containerPort: 80 }, { containerPort: 80 }],
                },
                { name: 'web', image: 'busybox' },
              ],
            },
          },
        },
        {
          method: 'PATCH',
          path: '/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices/e?fieldManager=alice',
          contentType: apply,
          body: {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { name: 'e' },
            addressType: 'IPv4',
            endpoints: [{ addresses: ['10.0.0.1', '10.0.0.1'] }],
          },
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=alice`,
          contentType: apply,
          body: configMap('c', { a: '1' }, { finalizers: ['example.dev/f', 'example.dev/f'] }),
        },
        { path: `${configMaps}/c` },
      ],
    },
  },
  {
    given: {
      name: 'apply of a custom resource with two items of one key, or an item without its key, is a 500',
      steps: [
        {
          method: 'PATCH',
          path: `${databases}/d?fieldManager=alice`,
          contentType: apply,
          body: {
            ...database('d'),
            spec: {
              instances: 1,
              users: [
                { name: 'u', role: 'admin' },
                { name: 'u', role: 'reader' },
              ],
            },
          },
        },
        {
          method: 'PATCH',
          path: `${databases}/d?fieldManager=alice`,
          contentType: apply,
          body: { ...database('d'), spec: { instances: 1, users: [{ role: 'admin' }] } },
        },
        {
          method: 'PATCH',
          path: `${databases}/d?fieldManager=alice`,
          contentType: apply,
          body: {
            ...database('d'),
            metadata: { name: 'd', finalizers: ['example.dev/f', 'example.dev/f'] },
          },
        },
        { path: `${databases}/d` },
      ],
    },
  },
  {
    given: {
      // structured-merge-diff typed/helpers.go keyedAssociativeListItemToPathElement: a key
      // field an item omits takes its schema default (a port's protocol, TCP) in the item's key.
      name: 'a list-map item is keyed with the defaults of the key fields it omits (a port without protocol is TCP)',
      steps: [
        {
          method: 'PATCH',
          path: `${deployments}/d?fieldManager=alice`,
          contentType: apply,
          body: withPorts([{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }]),
          view: portsView,
        },
        {
          method: 'PATCH',
          path: `${deployments}/d?fieldManager=alice`,
          contentType: apply,
          body: withPorts([{ containerPort: 80, protocol: 'TCP', name: 'http' }]),
          view: portsView,
        },
        {
          method: 'PATCH',
          path: `${deployments}/d?fieldManager=alice`,
          contentType: apply,
          body: withPorts([{ containerPort: 81, name: 'a' }]),
          view: portsView,
        },
        {
          method: 'PATCH',
          path: `${deployments}/d?fieldManager=bob`,
          contentType: apply,
          body: withPorts([{ containerPort: 81, protocol: 'TCP', name: 'b' }]),
        },
        {
          method: 'PATCH',
          path: `${deployments}/d?fieldManager=bob&force=true`,
          contentType: apply,
          body: withPorts([{ containerPort: 81, protocol: 'TCP', name: 'b' }]),
          view: portsView,
        },
      ],
    },
  },
  {
    given: {
      name: 'apply to the status of a missing object is NotFound, not a create',
      steps: [
        {
          method: 'PATCH',
          path: `${widgets}/w/status?fieldManager=alice`,
          contentType: apply,
          body: { ...widget('w'), status: { conditions: [{ type: 'Ready' }, { type: 'Ready' }] } },
        },
        { path: `${widgets}/w` },
      ],
    },
  },
  {
    given: {
      name: 'kubectl apply --server-side after a client-side apply takes over the fields the last-applied annotation still matches and rewrites it',
      setup: [
        {
          method: 'POST',
          path: `${configMaps}?fieldManager=kubectl-client-side-apply`,
          body: clientSideApplied({ a: '1', b: '2' }),
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=kubectl-edit`,
          contentType: 'application/merge-patch+json',
          body: { data: { b: 'edited' } },
        },
      ],
      steps: [
        // `b` was edited since: its conflict stays; `a` still equals the annotation's value.
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=kubectl`,
          contentType: apply,
          body: configMap('c', { a: '2', b: '3' }),
          view: upgradeView,
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=kubectl`,
          contentType: apply,
          body: configMap('c', { a: '2', b: 'edited' }),
          view: upgradeView,
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=kubectl`,
          contentType: apply,
          body: configMap('c', { a: '3', b: 'edited' }),
          view: upgradeView,
        },
      ],
    },
  },
  {
    given: {
      name: 'only the kubectl field manager upgrades from client-side apply: another applier conflicts',
      setup: [
        {
          method: 'POST',
          path: `${configMaps}?fieldManager=kubectl-client-side-apply`,
          body: clientSideApplied({ a: '1' }),
        },
      ],
      steps: [
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=my-tool`,
          contentType: apply,
          body: configMap('c', { a: '2' }),
          view: upgradeView,
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c?fieldManager=my-tool&force=true`,
          contentType: apply,
          body: configMap('c', { a: '2' }),
          view: upgradeView,
        },
      ],
    },
  },
]
