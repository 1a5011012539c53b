import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { buildProxyUrl, ProxyUrlError, type ProxyTarget } from '@k8s-codegen/proxy-url'
import { hostileText, target } from '../../proxy-url/test/_arbitraries.js'
import {
  defineProxiedResource,
  defineResource,
  isK8sCodegenError,
  ResourcePathError,
  type ResourcePathErrorCode,
} from '../src/index.js'

const Deployment = defineResource()({
  apiVersion: 'apps/v1',
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  verbs: ['get', 'list'],
  subresources: { scale: { apiVersion: 'autoscaling/v1', kind: 'Scale', verbs: ['get'] } },
})
const Namespace = defineResource()({
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  verbs: ['get'],
  subresources: { status: { apiVersion: 'v1', kind: 'Namespace', verbs: ['get'] } },
})
const proxied = (plural: 'services' | 'pods' | 'nodes', namespaced: boolean) =>
  defineProxiedResource()({
    apiVersion: 'v1',
    group: '',
    version: 'v1',
    kind: plural,
    plural,
    singular: plural.slice(0, -1),
    namespaced,
    verbs: ['get'],
    subresources: { proxy: { apiVersion: 'v1', kind: plural, verbs: ['get'] } },
  })
const descriptors = {
  service: proxied('services', true),
  pod: proxied('pods', true),
  node: proxied('nodes', false),
}

describe('path()', () => {
  const rows: { given: Parameters<typeof Deployment.path>[0]; want: string }[] = [
    { given: undefined, want: '/apis/apps/v1/deployments' },
    { given: { namespace: 'prod' }, want: '/apis/apps/v1/namespaces/prod/deployments' },
    {
      given: { namespace: 'prod', name: 'web' },
      want: '/apis/apps/v1/namespaces/prod/deployments/web',
    },
    {
      given: { namespace: 'prod', name: 'web', subresource: 'scale' },
      want: '/apis/apps/v1/namespaces/prod/deployments/web/scale',
    },
    { given: { name: 'a:b@c' }, want: '/apis/apps/v1/deployments/a%3Ab%40c' },
  ]
  it.each(rows)('$given → $want', ({ given, want }) => {
    expect(Deployment.path(given)).toBe(want)
  })

  const refusals: {
    name: string
    call: () => unknown
    code: ResourcePathErrorCode
    message: RegExp
  }[] = [
    {
      name: 'a namespace that is not a DNS-1123 label',
      call: () => Deployment.path({ namespace: '../kube-system' }),
      code: 'K8S_CODEGEN_PATH_INVALID_NAMESPACE',
      message: /namespace "..\/kube-system" is not a DNS-1123 label/,
    },
    {
      name: 'a name with a slash',
      call: () => Deployment.path({ name: '../secrets/x' }),
      code: 'K8S_CODEGEN_PATH_INVALID_NAME',
      message: /name "..\/secrets\/x" is not a valid path segment/,
    },
    {
      name: 'the name ..',
      call: () => Deployment.path({ name: '..' }),
      code: 'K8S_CODEGEN_PATH_INVALID_NAME',
      message: /may not be '\.\.'/,
    },
    {
      name: 'a namespace on a cluster-scoped resource (from JavaScript)',
      call: () => Namespace.path({ namespace: 'prod' } as never),
      code: 'K8S_CODEGEN_PATH_SCOPE',
      message: /namespaces is cluster-scoped/,
    },
    {
      name: 'an unknown subresource (from JavaScript)',
      call: () => Deployment.path({ name: 'web', subresource: 'exec' } as never),
      code: 'K8S_CODEGEN_PATH_INVALID_SUBRESOURCE',
      message: /subresource "exec" needs a name and must be one of \[scale\]/,
    },
    {
      name: 'an inherited property name as a subresource',
      call: () => Deployment.path({ name: 'web', subresource: 'constructor' } as never),
      code: 'K8S_CODEGEN_PATH_INVALID_SUBRESOURCE',
      message: /"constructor"/,
    },
    {
      name: 'proxyPath() of a resource without the apiserver proxy',
      call: () =>
        defineProxiedResource()({ ...Deployment, subresources: {} }).proxyPath({
          namespace: 'a',
          name: 'b',
        }),
      code: 'K8S_CODEGEN_PATH_NOT_PROXIED',
      message: /apps\/v1 deployments has no apiserver proxy/,
    },
  ]
  it.each(refusals)('refuses $name', ({ call, code, message }) => {
    let error: unknown
    try {
      call()
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ResourcePathError)
    expect(isK8sCodegenError(error) && error.code).toBe(code)
    expect((error as Error).message).toMatch(message)
  })
})

describe('proxyPath() is buildProxyUrl without the server', () => {
  // The same input through both implementations' entry points: the proxy-url fuzz corpus.
  const run = (call: () => string): { ok: string } | { code: string } => {
    try {
      return { ok: call() }
    } catch (error) {
      if (error instanceof ProxyUrlError) return { code: error.code }
      throw error
    }
  }
  const agree = (t: ProxyTarget): void => {
    const { server, kind, ...options } = t
    const want = run(() => buildProxyUrl(t))
    const got = run(() => descriptors[kind].proxyPath(options as never))
    if ('ok' in want && 'ok' in got) {
      const base = new URL(want.ok).href.slice(0, -got.ok.length)
      expect(want.ok).toBe(`${base}${got.ok}`)
      expect(new URL(got.ok, server).pathname).toContain('/proxy/')
    } else {
      expect(got).toStrictEqual(want)
    }
  }
  it('on every target of the corpus', () => {
    fc.assert(fc.property(target, agree), { numRuns: 5_000 })
  }, 120_000)
  it('on hostile path text, which never leaves /proxy/', () => {
    fc.assert(
      fc.property(target, hostileText, (t, text) => agree({ ...t, path: text })),
      { numRuns: 5_000 },
    )
  }, 120_000)
  it('clamps the issue 9 escape and keeps an empty path at /proxy/', () => {
    const service = defineProxiedResource()({
      apiVersion: 'v1',
      group: '',
      version: 'v1',
      kind: 'Service',
      plural: 'services',
      singular: 'service',
      namespaced: true,
      verbs: ['get'],
      subresources: { proxy: { apiVersion: 'v1', kind: 'Service', verbs: ['get'] } },
    })
    expect(
      service.proxyPath({ namespace: 'prod', name: 'web', path: '../../../secrets/db-password' }),
    ).toBe('/api/v1/namespaces/prod/services/web/proxy/secrets/db-password')
    expect(service.proxyPath({ namespace: 'prod', name: 'web' })).toBe(
      '/api/v1/namespaces/prod/services/web/proxy/',
    )
  })
})
