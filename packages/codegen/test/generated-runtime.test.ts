// Behaviour of generated descriptors (built by @k8s-codegen/runtime), exercised through the
// golden output, and the one-implementation property: their proxyPath() is buildProxyUrl.
import {
  buildProxyUrl,
  isK8sCodegenError,
  ProxyUrlError,
  type ProxyTarget,
} from '@k8s-codegen/proxy-url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { hostileText, target } from '../../proxy-url/test/_arbitraries.js'

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
      want: '/api/v1/namespaces/ns/services/web/proxy/',
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
      given: () =>
        coreV1.Service.proxyPath({
          namespace: 'prod',
          name: 'web',
          path: '../../../secrets/db-password',
        }),
      want: '/api/v1/namespaces/prod/services/web/proxy/secrets/db-password',
    },
    {
      given: () =>
        coreV1.Pod.proxyPath({ namespace: 'ns', name: 'p', port: 9090, path: 'metrics/' }),
      want: '/api/v1/namespaces/ns/pods/p:9090/proxy/metrics/',
    },
  ])('$want', ({ given, want }) => {
    expect(given()).toBe(want)
  })

  it.each([
    {
      name: 'a port that is neither a number nor a name',
      call: () => coreV1.Service.proxyPath({ namespace: 'ns', name: 'web', port: 'a:b' }),
      code: 'K8S_CODEGEN_PROXY_PORT_INVALID',
    },
    {
      name: 'a named port on a pod (only services resolve names)',
      call: () => coreV1.Pod.proxyPath({ namespace: 'ns', name: 'p', port: 'metrics' as never }),
      code: 'K8S_CODEGEN_PROXY_PORT_INVALID',
    },
    {
      name: 'a service name that is not a DNS-1035 label',
      call: () => coreV1.Service.proxyPath({ namespace: 'ns', name: '1web' }),
      code: 'K8S_CODEGEN_PROXY_NAME_INVALID',
    },
    {
      name: 'a scheme other than http or https (JavaScript callers)',
      call: () =>
        coreV1.Service.proxyPath({ namespace: 'ns', name: 'web', scheme: 'ftp' as never }),
      code: 'K8S_CODEGEN_PROXY_SCHEME_INVALID',
    },
  ])('rejects $name', ({ call, code }) => {
    expect(call).toThrow(expect.objectContaining({ code }) as Error)
  })

  // The generated proxyPath and buildProxyUrl side by side over the proxy-url fuzz corpus.
  const outcome = (call: () => string): { ok: string } | { code: string } => {
    try {
      return { ok: call() }
    } catch (error) {
      if (error instanceof ProxyUrlError) return { code: error.code }
      throw error
    }
  }
  const agree = (t: ProxyTarget): void => {
    if (t.kind === 'node') return // the golden core/v1 serves services and pods
    const { server, kind, ...options } = t
    const descriptor = kind === 'service' ? coreV1.Service : coreV1.Pod
    const want = outcome(() => buildProxyUrl(t))
    const got = outcome(() => descriptor.proxyPath(options as never))
    if ('ok' in want && 'ok' in got) {
      expect(want.ok.endsWith(got.ok)).toBe(true)
      const resolved = new URL(got.ok, 'https://apiserver.example')
      expect(resolved.pathname).toMatch(
        /^\/api\/v1\/namespaces\/[^/]+\/(services|pods)\/[^/]+\/proxy\//,
      )
      expect(resolved.pathname.split('/')).not.toContain('..')
      expect(new URL(want.ok).pathname.endsWith(resolved.pathname)).toBe(true)
      expect(server).toBeTypeOf('string')
    } else {
      expect(got).toStrictEqual(want)
    }
  }
  it('agrees with buildProxyUrl on every target of the corpus', () => {
    fc.assert(fc.property(target, agree), { numRuns: 3_000 })
  }, 120_000)
  it('agrees with buildProxyUrl on hostile path text, and never leaves /proxy/', () => {
    fc.assert(
      fc.property(target, hostileText, (t, text) => agree({ ...t, path: text })),
      { numRuns: 3_000 },
    )
  }, 120_000)
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
