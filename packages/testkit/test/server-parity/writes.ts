// Create, get, replace and delete: resourceVersion and generation rules, preconditions, dry run,
// finalizers, and the Status bodies of each failure.
import type { ParityRow } from './_scenario.js'
import {
  configMap,
  configMaps,
  deployment,
  deployments,
  metadataOf,
  resourceVersionOf,
  widget,
  widgets,
} from './_objects.js'

// What the generation rows compare of a Deployment (not its defaults: "no defaulting").
function generationView(body: unknown): unknown {
  const { metadata } = body as { metadata?: { generation?: unknown; annotations?: unknown } }
  return { generation: metadata?.generation, annotations: metadata?.annotations }
}

// ObjectMeta's maps and lists of an answer, to compare without the rest of the object.
function metadataMapsView(body: unknown): unknown {
  const { metadata = {} } = body as { metadata?: Record<string, unknown> }
  const { labels, annotations, finalizers, ownerReferences } = metadata
  return { labels, annotations, finalizers, ownerReferences }
}

export const writes: ParityRow[] = [
  {
    given: {
      name: 'create, get, replace and delete a ConfigMap',
      steps: [
        { method: 'POST', path: configMaps, body: configMap('c') },
        { path: `${configMaps}/c` },
        (answers) => ({
          method: 'PUT',
          path: `${configMaps}/c`,
          body: configMap('c', { a: '2' }, { resourceVersion: resourceVersionOf(answers, -1) }),
        }),
        { method: 'DELETE', path: `${configMaps}/c` },
        { path: `${configMaps}/c` },
      ],
    },
  },
  {
    given: {
      name: 'a second create of the same name is AlreadyExists',
      steps: [
        { method: 'POST', path: configMaps, body: configMap('c') },
        { method: 'POST', path: configMaps, body: configMap('c') },
        { method: 'POST', path: widgets, body: widget('w') },
        { method: 'POST', path: widgets, body: widget('w') },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#2.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      name: 'a replace with a stale resourceVersion is a Conflict',
      steps: [
        { method: 'POST', path: configMaps, body: configMap('c') },
        (answers) => ({
          method: 'PUT',
          path: `${configMaps}/c`,
          body: configMap('c', { a: '2' }, { resourceVersion: resourceVersionOf(answers, 0) }),
        }),
        (answers) => ({
          method: 'PUT',
          path: `${configMaps}/c`,
          body: configMap('c', { a: '3' }, { resourceVersion: resourceVersionOf(answers, 0) }),
        }),
      ],
    },
  },
  {
    given: {
      name: 'a replace without resourceVersion: unconditional for a built-in, Invalid for a custom resource',
      steps: [
        { method: 'POST', path: configMaps, body: configMap('c') },
        { method: 'PUT', path: `${configMaps}/c`, body: configMap('c', { a: '2' }) },
        { method: 'POST', path: widgets, body: widget('w') },
        { method: 'PUT', path: `${widgets}/w`, body: widget('w', { size: 4 }) },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#2.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      name: 'a replace of a missing object is NotFound, a create with a resourceVersion is refused',
      steps: [
        { method: 'PUT', path: `${configMaps}/missing`, body: configMap('missing') },
        {
          method: 'POST',
          path: configMaps,
          body: configMap('c', { a: '1' }, { resourceVersion: '12' }),
        },
      ],
    },
  },
  {
    given: {
      name: 'a name from generateName',
      steps: [
        { method: 'POST', path: configMaps, body: configMap('', {}, { generateName: 'gen-' }) },
      ],
    },
    want: {
      simplifications: ['empty maps', 'managed fields'],
      differences: ['#0.body.data', '#0.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      name: 'names and namespaces that break the rules are Invalid or NotFound',
      steps: [
        { method: 'POST', path: configMaps, body: configMap('Not_A_Name') },
        {
          method: 'POST',
          path: '/api/v1/namespaces/absent/configmaps',
          body: configMap('c'),
        },
        { method: 'POST', path: configMaps, body: { apiVersion: 'v1', kind: 'ConfigMap' } },
        {
          method: 'POST',
          path: configMaps,
          body: configMap('c', { a: '1' }, { namespace: 'other' }),
        },
      ],
    },
  },
  {
    given: {
      name: 'generation: a Deployment counts spec changes, not label changes',
      steps: [
        { method: 'POST', path: deployments, body: deployment('d', 1) },
        (answers) => ({
          method: 'PUT',
          path: `${deployments}/d`,
          body: {
            ...deployment('d', 2),
            metadata: { name: 'd', resourceVersion: resourceVersionOf(answers, -1) },
          },
        }),
        {
          method: 'PATCH',
          path: `${deployments}/d`,
          contentType: 'application/merge-patch+json',
          body: { metadata: { labels: { extra: 'yes' } } },
        },
      ],
    },
  },
  {
    given: {
      name: 'generation: a Deployment counts annotation changes too (they are copied to its ReplicaSets)',
      steps: [
        { method: 'POST', path: deployments, body: deployment('d', 1), view: generationView },
        ...[{ a: '1' }, { a: '1' }, { a: null }].map((annotations) => ({
          method: 'PATCH',
          path: `${deployments}/d`,
          contentType: 'application/merge-patch+json',
          body: { metadata: { annotations } },
          view: generationView,
        })),
      ],
    },
  },
  {
    given: {
      name: 'empty labels, annotations and finalizers are not stored, for a built-in and a custom resource',
      steps: [
        ...[
          {
            path: configMaps,
            name: 'c',
            body: configMap('c', { a: '1' }, { labels: {}, finalizers: [] }),
          },
          {
            path: widgets,
            name: 'w',
            body: { ...widget('w'), metadata: { name: 'w', labels: {}, finalizers: [] } },
          },
        ].flatMap(({ path, name, body }) => [
          { method: 'POST', path, body, view: metadataMapsView },
          {
            method: 'PATCH',
            path: `${path}/${name}`,
            contentType: 'application/merge-patch+json',
            body: { metadata: { annotations: { a: null }, labels: null } },
            view: metadataMapsView,
          },
        ]),
      ],
    },
  },
  {
    given: {
      name: 'a path of a group the server does not serve is Go’s text 404, a served group’s a Status',
      steps: [
        { path: '/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods' },
        { path: '/apis/metrics.k8s.io' },
        { path: '/apis/apps/v9/deployments' },
        { path: '/api/v1/nothings' },
      ],
    },
  },
  {
    given: {
      name: 'generation: a custom resource with a status subresource counts spec changes',
      steps: [
        { method: 'POST', path: widgets, body: widget('w') },
        {
          method: 'PATCH',
          path: `${widgets}/w`,
          contentType: 'application/merge-patch+json',
          body: { spec: { size: 5 } },
        },
        {
          method: 'PATCH',
          path: `${widgets}/w`,
          contentType: 'application/merge-patch+json',
          body: { metadata: { annotations: { note: 'x' } } },
        },
        {
          method: 'PATCH',
          path: `${widgets}/w`,
          contentType: 'application/merge-patch+json',
          body: { status: { replicas: 4 } },
        },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: [
        '#0.body.metadata.managedFields[]',
        '#1.body.metadata.managedFields[]',
        '#2.body.metadata.managedFields[]',
        '#3.body.metadata.managedFields[]',
      ],
    },
  },
  {
    given: {
      name: 'delete preconditions: a wrong uid or resourceVersion is a Conflict, matching ones delete',
      steps: [
        { method: 'POST', path: configMaps, body: configMap('c') },
        {
          method: 'DELETE',
          path: `${configMaps}/c`,
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            preconditions: { uid: '00000000-0000-4000-8000-000000000000' },
          },
        },
        {
          method: 'DELETE',
          path: `${configMaps}/c`,
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            preconditions: { resourceVersion: '1' },
          },
        },
        (answers) => ({
          method: 'DELETE',
          path: `${configMaps}/c`,
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            preconditions: {
              uid: metadataOf(answers, 0)['uid'],
              resourceVersion: resourceVersionOf(answers, 0),
            },
          },
        }),
        { method: 'DELETE', path: `${configMaps}/c` },
      ],
    },
  },
  {
    given: {
      name: 'dry run: create, replace and delete answer as if done and change nothing',
      steps: [
        { method: 'POST', path: `${configMaps}?dryRun=All`, body: configMap('c') },
        { path: `${configMaps}/c` },
        { method: 'POST', path: configMaps, body: configMap('c') },
        { method: 'PUT', path: `${configMaps}/c?dryRun=All`, body: configMap('c', { a: '9' }) },
        { method: 'DELETE', path: `${configMaps}/c?dryRun=All` },
        { path: `${configMaps}/c` },
        { method: 'POST', path: `${configMaps}?dryRun=Bogus`, body: configMap('d') },
      ],
    },
    want: {
      simplifications: ['error texts'],
      differences: ['#6.body.details.causes[]', '#6.body.message'],
    },
  },
  {
    given: {
      name: 'finalizers: delete marks the object, removing the last finalizer removes it',
      steps: [
        {
          method: 'POST',
          path: configMaps,
          body: configMap('c', { a: '1' }, { finalizers: ['example.dev/hold'] }),
        },
        { method: 'DELETE', path: `${configMaps}/c` },
        {
          method: 'PATCH',
          path: `${configMaps}/c`,
          contentType: 'application/merge-patch+json',
          body: { metadata: { finalizers: ['example.dev/hold', 'example.dev/more'] } },
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c`,
          contentType: 'application/merge-patch+json',
          body: { metadata: { finalizers: null } },
        },
        { path: `${configMaps}/c` },
      ],
    },
    want: {
      simplifications: ['error texts'],
      differences: ['#2.body.details.causes[]', '#2.body.message'],
    },
  },
  {
    given: {
      name: 'a custom resource: delete answers the object',
      steps: [
        { method: 'POST', path: widgets, body: widget('w') },
        { method: 'DELETE', path: `${widgets}/w` },
        { method: 'DELETE', path: `${widgets}/w` },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#0.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      name: 'deleteCollection with a label selector deletes what matches',
      setup: [
        {
          method: 'POST',
          path: configMaps,
          body: configMap('a', { a: '1' }, { labels: { tier: 'x' } }),
        },
        {
          method: 'POST',
          path: configMaps,
          body: configMap('b', { b: '2' }, { labels: { tier: 'x' } }),
        },
        {
          method: 'POST',
          path: configMaps,
          body: configMap('c', { c: '3' }, { labels: { tier: 'y' } }),
        },
      ],
      steps: [
        { method: 'DELETE', path: `${configMaps}?labelSelector=tier%3Dx` },
        { path: configMaps },
        { method: 'POST', path: widgets, body: widget('w') },
        { method: 'DELETE', path: widgets },
      ],
    },
    want: {
      simplifications: ['managed fields', 'deleteCollection answers'],
      differences: [
        '#0.body.items[].apiVersion',
        '#0.body.items[].kind',
        '#2.body.metadata.managedFields[]',
        '#3.body.items[].metadata',
      ],
    },
  },
  {
    given: {
      name: 'a verb the resource lacks and an unknown resource',
      steps: [
        { method: 'DELETE', path: '/api/v1/namespaces/{ns}/bindings' },
        { path: '/api/v1/namespaces/{ns}/nothings' },
        { path: '/apis/nothing.example.dev/v1/things' },
      ],
    },
    want: {
      simplifications: ['error texts'],
      differences: ['#0.body.details.kind', '#0.body.message'],
    },
  },
]
