import { describe, expect, it } from 'vitest'

import { deriveResources } from '../src/resources.js'
import type { DiscoveryResource } from '../src/types.js'
import { fixtureGroupVersion } from './_inputs.js'

function derive(discovery?: DiscoveryResource[]): {
  resources: ReturnType<typeof deriveResources>
  warnings: string[]
} {
  const gv = fixtureGroupVersion(
    'mini-core-v1.json',
    'api/v1',
    discovery ? { groupVersion: 'v1', resources: discovery } : undefined,
  )
  const warnings: string[] = []
  const paths = (gv.document as { paths: Record<string, unknown> }).paths
  return { resources: deriveResources(gv, paths, warnings), warnings }
}

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

describe('deriveResources', () => {
  it('derives scope, verbs, list kind and subresources from the paths', () => {
    const { resources } = derive()
    expect(resources.map((r) => [r.plural, r.kind, r.namespaced])).toEqual([
      ['namespaces', 'Namespace', false],
      ['pods', 'Pod', true],
      ['secrets', 'Secret', true],
      ['services', 'Service', true],
    ])
    const pods = resources.find((r) => r.plural === 'pods')
    expect(pods).toMatchObject({
      apiVersion: 'v1',
      singular: 'pod',
      listKind: 'PodList',
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    })
    // Subresources are attributed by path: /status carries the parent kind, /eviction policy/v1
    // Eviction, connect operations their *Options kind with the verbs of their HTTP methods.
    expect(pods?.subresources).toEqual([
      { name: 'eviction', apiVersion: 'policy/v1', kind: 'Eviction', verbs: ['create'] },
      { name: 'proxy', apiVersion: 'v1', kind: 'PodProxyOptions', verbs: ['create', 'get'] },
      { name: 'status', apiVersion: 'v1', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    ])
  })

  it('takes singular, short names and categories from discovery', () => {
    const { resources } = derive([
      {
        name: 'pods',
        singularName: 'pod',
        namespaced: true,
        kind: 'Pod',
        verbs: verbs.filter((v) => v !== 'deletecollection'),
        shortNames: ['po'],
        categories: ['all'],
      },
    ])
    expect(resources.find((r) => r.plural === 'pods')).toMatchObject({
      shortNames: ['po'],
      categories: ['all'],
    })
  })

  it('takes CRD facts by plural, only where their kind is the resource kind', () => {
    const gv = fixtureGroupVersion('mini-core-v1.json', 'api/v1')
    gv.crdFacts = {
      resources: [
        { name: 'pods', kind: 'Pod', deprecationWarning: 'w', printerColumns: [] },
        {
          name: 'services',
          kind: 'Widget',
          deprecationWarning: 'x',
          printerColumns: [{ name: 'A', type: 'string', jsonPath: '.a' }],
        },
        {
          name: 'secrets',
          kind: 'Secret',
          printerColumns: [{ name: 'Type', type: 'string', jsonPath: '.type', priority: 1 }],
        },
      ],
    }
    const paths = (gv.document as { paths: Record<string, unknown> }).paths
    const facts = deriveResources(gv, paths, []).map((r) => [
      r.plural,
      r.deprecationWarning,
      r.printerColumns,
    ])
    expect(facts).toEqual([
      ['namespaces', undefined, undefined],
      ['pods', 'w', undefined],
      ['secrets', undefined, [{ name: 'Type', type: 'string', jsonPath: '.type', priority: 1 }]],
      ['services', undefined, undefined],
    ])
  })

  it('warns, naming the resource, when discovery disagrees with the paths', () => {
    const { warnings } = derive([
      { name: 'pods', namespaced: false, kind: 'Pod', verbs: ['get'] },
      { name: 'pods/status', namespaced: true, kind: 'PodStatusResult', verbs: ['get'] },
      { name: 'configmaps', namespaced: true, kind: 'ConfigMap', verbs: ['get'] },
    ])
    expect(warnings).toEqual([
      'v1 namespaces: served in the OpenAPI paths but missing from discovery',
      'v1 pods: discovery says namespaced=false, the OpenAPI paths say namespaced=true',
      'v1 pods: verbs differ between OpenAPI [create,delete,get,list,patch,update,watch] and discovery [get]',
      'v1 pods/eviction: subresource served in the OpenAPI paths but missing from discovery',
      'v1 pods/proxy: subresource served in the OpenAPI paths but missing from discovery',
      "v1 pods/status: discovery kind 'PodStatusResult' differs from the OpenAPI kind 'Pod'",
      'v1 secrets: served in the OpenAPI paths but missing from discovery',
      'v1 services: served in the OpenAPI paths but missing from discovery',
      "v1: discovery lists resource 'configmaps' but the OpenAPI document has no paths for it",
    ])
  })
})

describe('deriveResources with discovery', () => {
  it('takes watch from discovery without a warning when no /watch/ path is published', () => {
    const gv = fixtureGroupVersion('example-dev-v1.json', 'apis/example.dev/v1', {
      groupVersion: 'example.dev/v1',
      resources: [
        {
          name: 'gadgets',
          singularName: 'gadget',
          namespaced: false,
          kind: 'Gadget',
          verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        },
        {
          name: 'widgets',
          singularName: 'widget',
          namespaced: true,
          kind: 'Widget',
          verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        },
        {
          name: 'widgets/status',
          singularName: '',
          namespaced: true,
          kind: 'Widget',
          verbs: ['get', 'patch', 'update'],
        },
        {
          name: 'widgets/scale',
          singularName: '',
          namespaced: true,
          kind: 'Scale',
          group: 'autoscaling',
          version: 'v1',
          verbs: ['get', 'patch', 'update'],
        },
      ],
    })
    const doc = gv.document as { paths: Record<string, unknown> }
    for (const path of Object.keys(doc.paths)) if (path.includes('/watch/')) delete doc.paths[path]
    const warnings: string[] = []
    const resources = deriveResources(gv, doc.paths, warnings)
    expect(warnings).toEqual([])
    expect(resources.map((r) => r.verbs.includes('watch'))).toEqual([true, true])
  })
})
