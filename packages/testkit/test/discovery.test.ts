import { describe, expect, it } from 'vitest'
import {
  deriveGroups,
  deriveResourceList,
  storageVersionOf,
  type APIResource,
} from '../src/discovery.js'
import { groupVersionOf } from '../src/group-version.js'
import { exampleCrdDocument } from '../src/index.js'
import { tinyCoreDocument } from './_profiles.js'

const op = (action: string, gvk: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  'x-kubernetes-action': action,
  'x-kubernetes-group-version-kind': gvk,
  ...extra,
})
const apps = { group: 'apps', version: 'v1', kind: 'Deployment' }
const core = (kind: string) => ({ group: '', version: 'v1', kind })

const rows: {
  name: string
  key: string
  given: Record<string, unknown>
  want: Partial<APIResource>[]
}[] = [
  {
    name: 'a namespaced resource: verbs from actions, watch from its watch route',
    key: 'apis/apps/v1',
    given: {
      '/apis/apps/v1/watch/namespaces/{namespace}/deployments': { get: op('watchlist', apps) },
      '/apis/apps/v1/namespaces/{namespace}/deployments': {
        get: op('list', apps, { parameters: [{ name: 'watch', in: 'query' }] }),
        post: op('post', apps),
        delete: op('deletecollection', apps),
      },
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}': {
        get: op('get', apps),
        put: op('put', apps),
        patch: op('patch', apps),
        delete: op('delete', apps),
      },
    },
    want: [
      {
        name: 'deployments',
        singularName: 'deployment',
        namespaced: true,
        kind: 'Deployment',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['deploy'],
        categories: ['all'],
      },
    ],
  },
  {
    // Regression: every list's options carry a `watch` parameter, so it made componentstatuses
    // watchable; a real server lists get, list (no watch route is registered for it).
    name: 'componentstatuses: a watch query parameter without a watch route is not watch',
    key: 'api/v1',
    given: {
      '/api/v1/componentstatuses': {
        get: op('list', core('ComponentStatus'), { parameters: [{ name: 'watch', in: 'query' }] }),
      },
      '/api/v1/componentstatuses/{name}': { get: op('get', core('ComponentStatus')) },
    },
    want: [{ name: 'componentstatuses', verbs: ['get', 'list'], shortNames: ['cs'] }],
  },
  {
    name: 'short names and categories real servers report: ip, vac, api-extensions policies',
    key: 'apis/networking.k8s.io/v1',
    given: {
      '/apis/networking.k8s.io/v1/ipaddresses': {
        get: op('list', { group: 'networking.k8s.io', version: 'v1', kind: 'IPAddress' }),
      },
    },
    want: [{ name: 'ipaddresses', shortNames: ['ip'] }],
  },
  {
    name: 'volumeattributesclasses are vac',
    key: 'apis/storage.k8s.io/v1',
    given: {
      '/apis/storage.k8s.io/v1/volumeattributesclasses': {
        get: op('list', { group: 'storage.k8s.io', version: 'v1', kind: 'VolumeAttributesClass' }),
      },
    },
    want: [{ name: 'volumeattributesclasses', shortNames: ['vac'] }],
  },
  {
    name: 'admission policies and their bindings are in api-extensions',
    key: 'apis/admissionregistration.k8s.io/v1',
    given: Object.fromEntries(
      [
        ['validatingadmissionpolicies', 'ValidatingAdmissionPolicy'],
        ['validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding'],
        ['mutatingadmissionpolicies', 'MutatingAdmissionPolicy'],
        ['mutatingadmissionpolicybindings', 'MutatingAdmissionPolicyBinding'],
      ].map(([plural, kind]) => [
        `/apis/admissionregistration.k8s.io/v1/${plural}`,
        {
          get: op('list', {
            group: 'admissionregistration.k8s.io',
            version: 'v1',
            kind: kind ?? '',
          }),
        },
      ]),
    ),
    want: [
      { name: 'mutatingadmissionpolicies', categories: ['api-extensions'] },
      { name: 'mutatingadmissionpolicybindings', categories: ['api-extensions'] },
      { name: 'validatingadmissionpolicies', categories: ['api-extensions'] },
      { name: 'validatingadmissionpolicybindings', categories: ['api-extensions'] },
    ],
  },
  {
    name: 'a CRD document has no watch routes, yet every CRD is watchable',
    key: 'apis/example.dev/v1',
    given: {
      '/apis/example.dev/v1/gadgets': {
        get: op('list', { group: 'example.dev', version: 'v1', kind: 'Gadget' }),
      },
    },
    want: [{ name: 'gadgets', verbs: ['list', 'watch'] }],
  },
  {
    name: 'a cross-group subresource: deployments/scale → autoscaling/v1 Scale, no singular name',
    key: 'apis/apps/v1',
    given: {
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale': {
        get: op('get', { group: 'autoscaling', version: 'v1', kind: 'Scale' }),
        put: op('put', { group: 'autoscaling', version: 'v1', kind: 'Scale' }),
      },
    },
    want: [
      {
        name: 'deployments/scale',
        singularName: '',
        namespaced: true,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'update'],
      },
    ],
  },
  {
    name: 'connect subresources: one verb per HTTP method, the options kind',
    key: 'api/v1',
    given: {
      '/api/v1/namespaces/{namespace}/pods/{name}/exec': {
        get: op('connect', core('PodExecOptions')),
        post: op('connect', core('PodExecOptions')),
      },
      '/api/v1/nodes/{name}/proxy/{path}': {
        get: op('connect', core('NodeProxyOptions')),
        head: op('connect', core('NodeProxyOptions')),
        options: op('connect', core('NodeProxyOptions')),
        delete: op('connect', core('NodeProxyOptions')),
      },
    },
    want: [
      {
        name: 'nodes/proxy',
        namespaced: false,
        kind: 'NodeProxyOptions',
        verbs: ['delete', 'get'],
      },
      { name: 'pods/exec', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
    ],
  },
  {
    name: 'watch paths and all-namespaces lists merge into the namespaced resource',
    key: 'api/v1',
    given: {
      '/api/v1/pods': { get: op('list', core('Pod')) },
      '/api/v1/watch/namespaces/{namespace}/pods': { get: op('watchlist', core('Pod')) },
      '/api/v1/namespaces/{namespace}/pods/{name}': { get: op('get', core('Pod')) },
    },
    want: [
      {
        name: 'pods',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get', 'list', 'watch'],
        shortNames: ['po'],
        categories: ['all'],
      },
    ],
  },
  {
    name: 'namespaces themselves are cluster-scoped ({name}, not {namespace})',
    key: 'api/v1',
    given: {
      '/api/v1/namespaces': { get: op('list', core('Namespace')) },
      '/api/v1/namespaces/{name}': { get: op('get', core('Namespace')) },
      '/api/v1/namespaces/{name}/finalize': { put: op('put', core('Namespace')) },
    },
    want: [
      { name: 'namespaces', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'] },
      { name: 'namespaces/finalize', namespaced: false, kind: 'Namespace', verbs: ['update'] },
    ],
  },
  {
    name: 'operations without action or kind, and other group-versions, are ignored',
    key: 'apis/apps/v1',
    given: {
      '/apis/apps/v1/': { get: { operationId: 'getAppsV1APIResources' } },
      '/apis/apps/v1beta1/namespaces/{namespace}/deployments': {
        get: op('list', { ...apps, version: 'v1beta1' }),
      },
    },
    want: [],
  },
]

describe('deriveResourceList', () => {
  it.each(rows)('$name', ({ key, given, want }) => {
    const gv = groupVersionOf(key)
    if (gv === undefined) throw new Error(key)
    const info = key === 'apis/example.dev/v1' ? { title: 'Kubernetes CRD Swagger' } : {}
    const list = deriveResourceList(gv, { info, paths: given })
    expect(list.kind).toBe('APIResourceList')
    expect(list.resources).toHaveLength(want.length)
    list.resources.forEach((resource, i) => expect(resource).toMatchObject(want[i] ?? {}))
  })

  it('reports storageVersionHash as apiserver storageversionhash.go computes it', () => {
    const list = deriveResourceList({ key: 'api/v1', group: '', version: 'v1' }, tinyCoreDocument())
    // base64(sha256("/v1/Pod")[:8]), the value real servers report for pods.
    expect(list.resources.find((r) => r.name === 'pods')?.storageVersionHash).toBe('xPOwRZ+Yhw8=')
    expect(list.resources.find((r) => r.name === 'pods/status')).not.toHaveProperty(
      'storageVersionHash',
    )
  })

  it('hashes the storage version, not the served one (autoscaling/v1 HPA reports v2)', () => {
    const hpa = (version: string) => ({
      components: {
        schemas: {
          [`io.k8s.api.autoscaling.${version}.HorizontalPodAutoscaler`]: {
            'x-kubernetes-group-version-kind': [
              { group: 'autoscaling', version, kind: 'HorizontalPodAutoscaler' },
            ],
          },
        },
      },
      paths: {
        [`/apis/autoscaling/${version}/horizontalpodautoscalers`]: {
          get: op('list', { group: 'autoscaling', version, kind: 'HorizontalPodAutoscaler' }),
        },
      },
    })
    const served = ['v1', 'v2'].map((version) => ({
      gv: { key: `apis/autoscaling/${version}`, group: 'autoscaling', version },
      document: hpa(version),
    }))
    expect(storageVersionOf(served, 'autoscaling', 'HorizontalPodAutoscaler')).toBe('v2')
    const v1 = deriveResourceList(
      served[0]?.gv ?? served[1]!.gv,
      hpa('v1'),
      (kind) => storageVersionOf(served, 'autoscaling', kind) ?? 'v1',
    )
    const v2 = deriveResourceList(served[1]!.gv, hpa('v2'))
    expect(v1.resources[0]?.storageVersionHash).toBe(v2.resources[0]?.storageVersionHash)
  })

  it('reports a CRD /scale route as autoscaling/v1 Scale although its GVK extension names the CRD kind', () => {
    const list = deriveResourceList(
      { key: 'apis/example.dev/v1', group: 'example.dev', version: 'v1' },
      exampleCrdDocument(),
    )
    expect(list.resources.map((r) => [r.name, r.group ?? '', r.kind])).toEqual([
      ['gadgets', '', 'Gadget'],
      ['widgets', '', 'Widget'],
      ['widgets/scale', 'autoscaling', 'Scale'],
      ['widgets/status', '', 'Widget'],
    ])
  })
})

describe('deriveGroups', () => {
  it('groups versions by priority, preferring the first, leaving out core', () => {
    const keys = [
      'api/v1',
      'apis/batch/v1beta1',
      'apis/batch/v1',
      'apis/apps/v1',
      'apis/autoscaling/v2',
      'apis/autoscaling/v1',
    ]
    const groups = deriveGroups(
      keys.map((k) => groupVersionOf(k) ?? { key: k, group: '', version: '' }),
    )
    expect(
      groups.map((g) => [g.name, g.versions.map((v) => v.version), g.preferredVersion.version]),
    ).toEqual([
      ['apps', ['v1'], 'v1'],
      ['autoscaling', ['v2', 'v1'], 'v2'],
      ['batch', ['v1', 'v1beta1'], 'v1'],
    ])
  })
})
