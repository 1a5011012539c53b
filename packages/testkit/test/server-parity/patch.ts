// Every patch type: JSON patch (RFC 6902), JSON merge patch (RFC 7386), strategic merge patch on
// built-ins (and its refusal on custom resources), with their failures.
import type { ParityRow } from './_scenario.js'
import {
  configMap,
  configMaps,
  deployment,
  deployments,
  resourceVersionOf,
  widget,
  widgets,
} from './_objects.js'

const merge = 'application/merge-patch+json'
const json = 'application/json-patch+json'
const strategic = 'application/strategic-merge-patch+json'

export const patches: ParityRow[] = [
  {
    given: {
      name: 'a merge patch sets, replaces and removes keys',
      setup: [{ method: 'POST', path: configMaps, body: configMap('c', { a: '1', b: '2' }) }],
      steps: [
        {
          method: 'PATCH',
          path: `${configMaps}/c`,
          contentType: merge,
          body: { data: { a: 'one', b: null, c: '3' }, metadata: { labels: { l: 'v' } } },
        },
      ],
    },
  },
  {
    given: {
      name: 'a merge patch with a stale resourceVersion is a Conflict',
      setup: [{ method: 'POST', path: configMaps, body: configMap('c') }],
      steps: [
        (answers) => ({
          method: 'PATCH',
          path: `${configMaps}/c`,
          contentType: merge,
          body: { metadata: { resourceVersion: resourceVersionOf(answers, 0) }, data: { a: '2' } },
        }),
        (answers) => ({
          method: 'PATCH',
          path: `${configMaps}/c`,
          contentType: merge,
          body: { metadata: { resourceVersion: resourceVersionOf(answers, 0) }, data: { a: '3' } },
        }),
      ],
    },
  },
  {
    given: {
      name: 'a JSON patch: add, replace, remove, test, and its failures',
      setup: [{ method: 'POST', path: configMaps, body: configMap('c', { a: '1', b: '2' }) }],
      steps: [
        {
          method: 'PATCH',
          path: `${configMaps}/c`,
          contentType: json,
          body: [
            { op: 'test', path: '/data/a', value: '1' },
            { op: 'add', path: '/data/c', value: '3' },
            { op: 'replace', path: '/data/a', value: 'one' },
            { op: 'remove', path: '/data/b' },
          ],
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c`,
          contentType: json,
          body: [{ op: 'test', path: '/data/a', value: 'nope' }],
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c`,
          contentType: json,
          body: [{ op: 'remove', path: '/data/missing' }],
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c`,
          contentType: json,
          body: [{ op: 'replace', path: '/nothing/here', value: 1 }],
        },
        {
          method: 'PATCH',
          path: `${configMaps}/c`,
          contentType: json,
          body: { op: 'add', path: '/data/x', value: 'not an array' },
        },
      ],
    },
    want: {
      simplifications: ['error texts'],
      differences: ['#4.body.message'],
    },
  },
  {
    given: {
      name: 'a patch of a missing object is NotFound; an unknown patch type is refused',
      steps: [
        {
          method: 'PATCH',
          path: `${configMaps}/missing`,
          contentType: merge,
          body: { data: { a: '1' } },
        },
        { method: 'PATCH', path: `${configMaps}/missing`, contentType: 'text/plain', body: 'x' },
      ],
    },
  },
  {
    given: {
      name: 'a strategic merge patch merges containers by name and ports by containerPort',
      setup: [{ method: 'POST', path: deployments, body: deployment('d') }],
      steps: [
        {
          method: 'PATCH',
          path: `${deployments}/d`,
          contentType: strategic,
          body: {
            spec: {
              template: {
                spec: {
                  containers: [
                    { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] },
                    { name: 'sidecar', image: 'busybox' },
                  ],
                },
              },
            },
          },
        },
      ],
    },
    want: {
      simplifications: ['no defaulting', 'managed fields', 'strategic merge patch list order'],
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
      name: 'a strategic merge patch with $patch: delete, $patch: replace and $setElementOrder',
      setup: [
        {
          method: 'POST',
          path: deployments,
          body: deployment('d'),
        },
        {
          method: 'PATCH',
          path: `${deployments}/d`,
          contentType: strategic,
          body: {
            spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }] } } },
          },
        },
      ],
      steps: [
        {
          method: 'PATCH',
          path: `${deployments}/d`,
          contentType: strategic,
          body: {
            spec: {
              template: {
                spec: {
                  '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }],
                  containers: [{ name: 'web', $patch: 'delete' }],
                },
              },
            },
          },
        },
        {
          method: 'PATCH',
          path: `${deployments}/d`,
          contentType: strategic,
          body: { metadata: { labels: { $patch: 'replace', only: 'this' } } },
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
        '#1.body.metadata.managedFields[]',
        '#1.body.spec.progressDeadlineSeconds',
        '#1.body.spec.revisionHistoryLimit',
        '#1.body.spec.strategy',
        '#1.body.spec.template',
        '#1.body.status',
      ],
    },
  },
  {
    given: {
      name: 'a strategic merge patch on a custom resource is UnsupportedMediaType',
      setup: [{ method: 'POST', path: widgets, body: widget('w') }],
      steps: [
        {
          method: 'PATCH',
          path: `${widgets}/w`,
          contentType: strategic,
          body: { spec: { size: 4 } },
        },
        {
          method: 'PATCH',
          path: `${widgets}/w`,
          contentType: merge,
          body: { spec: { size: '10Gi', config: { free: { form: true } } } },
        },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#1.body.metadata.managedFields[]'],
    },
  },
]
