// Runtime behaviour of the emitted `_runtime.ts`, exercised through the golden output.
import { isK8sCodegenError } from '@k8s-codegen/proxy-url'
import { describe, expect, it } from 'vitest'

import * as coreV1 from './golden/generated/core/v1.js'
import * as exampleDevV1 from './golden/generated/example.dev/v1.js'
import { registry } from './golden/generated/index.js'

describe('path()', () => {
  it.each([
    { given: () => coreV1.Pod.path(), want: '/api/v1/pods' },
    { given: () => coreV1.Pod.path({ namespace: 'ns' }), want: '/api/v1/namespaces/ns/pods' },
    {
      given: () => coreV1.Pod.path({ namespace: 'ns', name: 'web-0' }),
      want: '/api/v1/namespaces/ns/pods/web-0',
    },
    {
      given: () => coreV1.Pod.path({ namespace: 'ns', name: 'web-0', subresource: 'eviction' }),
      want: '/api/v1/namespaces/ns/pods/web-0/eviction',
    },
    {
      given: () => coreV1.Namespace.path({ name: 'kube-system' }),
      want: '/api/v1/namespaces/kube-system',
    },
    {
      given: () => exampleDevV1.Widget.path({ namespace: 'a', name: 'w', subresource: 'scale' }),
      want: '/apis/example.dev/v1/namespaces/a/widgets/w/scale',
    },
    {
      given: () => exampleDevV1.Gadget.path({ name: 'g:1' }),
      want: '/apis/example.dev/v1/gadgets/g%3A1',
    },
  ])('$want', ({ given, want }) => {
    expect(given()).toBe(want)
  })

  it.each([
    { given: { namespace: 'Bad_NS' }, want: 'K8S_CODEGEN_PATH_INVALID_NAMESPACE' },
    { given: { namespace: 'ns', name: '..' }, want: 'K8S_CODEGEN_PATH_INVALID_NAME' },
    { given: { namespace: 'ns', name: 'a/b' }, want: 'K8S_CODEGEN_PATH_INVALID_NAME' },
    { given: { namespace: 'ns', name: '50%' }, want: 'K8S_CODEGEN_PATH_INVALID_NAME' },
    {
      given: { namespace: 'ns', name: 'w', subresource: 'exec' },
      want: 'K8S_CODEGEN_PATH_INVALID_SUBRESOURCE',
    },
  ])('rejects $given with $want', ({ given, want }) => {
    const call = (): string => exampleDevV1.Widget.path(given as never)
    expect(call).toThrow(expect.objectContaining({ code: want }) as Error)
  })

  it('rejects a namespace for a cluster-scoped kind at runtime too (JavaScript callers)', () => {
    let caught: unknown
    try {
      exampleDevV1.Gadget.path({ namespace: 'x' } as never)
    } catch (error) {
      caught = error
    }
    expect(isK8sCodegenError(caught)).toBe(true)
    expect(caught).toMatchObject({
      code: 'K8S_CODEGEN_PATH_SCOPE',
      message: 'gadgets is cluster-scoped: a namespace cannot be given',
    })
  })
})

describe('proxyPath()', () => {
  it.each([
    {
      given: () => coreV1.Service.proxyPath({ namespace: 'ns', name: 'web' }),
      want: '/api/v1/namespaces/ns/services/web/proxy',
    },
    {
      given: () =>
        coreV1.Service.proxyPath({
          namespace: 'ns',
          name: 'web',
          scheme: 'https',
          port: 8443,
          path: '/healthz/ready',
        }),
      want: '/api/v1/namespaces/ns/services/https:web:8443/proxy/healthz/ready',
    },
    {
      given: () => coreV1.Pod.proxyPath({ namespace: 'ns', name: 'p', port: 'metrics' }),
      want: '/api/v1/namespaces/ns/pods/p:metrics/proxy',
    },
  ])('$want', ({ given, want }) => {
    expect(given()).toBe(want)
  })

  it('rejects a port that is neither a number nor a name', () => {
    expect(() => coreV1.Service.proxyPath({ namespace: 'ns', name: 'web', port: 'a:b' })).toThrow(
      /port "a:b"/,
    )
  })
})

describe('registry', () => {
  it('maps apiVersion/kind to descriptors', () => {
    expect(Object.keys(registry)).toEqual([
      'example.dev/v1/Gadget',
      'example.dev/v1/Widget',
      'v1/Namespace',
      'v1/Pod',
      'v1/Secret',
      'v1/Service',
    ])
    expect(registry['v1/Pod'].subresources.eviction).toEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      verbs: ['create'],
    })
  })
})
