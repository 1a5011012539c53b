// The public surface other packages code against (the cross-package contract).
import { expectTypeOf, test } from 'vitest'
import type { ClusterError } from '../src/index.js'
import {
  loadConnection,
  resolveKubeconfig,
  type ClusterResponse,
  type ClusterStream,
  type Connection,
  type ConnectionDescription,
  type LoadConnectionOptions,
  type RequestOptions,
  type ResolvedConfig,
  type SendOptions,
} from '../src/index.js'
import type { K8sCodegenError } from '@k8s-codegen/proxy-url'

test('loadConnection / Connection match the contract', () => {
  expectTypeOf(loadConnection).parameter(0).toEqualTypeOf<LoadConnectionOptions | undefined>()
  expectTypeOf(loadConnection).returns.resolves.toEqualTypeOf<Connection>()
  expectTypeOf<Connection['server']>().toEqualTypeOf<string>()
  expectTypeOf<Connection['request']>().toEqualTypeOf<
    (path: string, options?: RequestOptions) => Promise<ClusterResponse>
  >()
  expectTypeOf<Connection['describe']>().returns.toEqualTypeOf<ConnectionDescription>()
  expectTypeOf<ClusterResponse['body']>().toEqualTypeOf<Uint8Array>()
  expectTypeOf<RequestOptions>().toHaveProperty('ifNoneMatch').toEqualTypeOf<string | undefined>()
  expectTypeOf(resolveKubeconfig).returns.resolves.toEqualTypeOf<ResolvedConfig>()
})

test('ClusterError is a K8sCodegenError with literal codes', () => {
  expectTypeOf<ClusterError>().toExtend<K8sCodegenError>()
  expectTypeOf<ClusterError['code']>().toExtend<`K8S_CODEGEN_CLUSTER_${string}`>()
})

test('options accept every kubectl override flag', () => {
  expectTypeOf<LoadConnectionOptions>().toExtend<{
    context?: string
    cluster?: string
    user?: string
    server?: string
    token?: string
    certificateAuthority?: string
    insecureSkipTlsVerify?: boolean
    tlsServerName?: string
    namespace?: string
    kubeconfig?: string
  }>()
})

test('send / stream take a method and a body; a stream body is async bytes', () => {
  expectTypeOf<Connection['send']>().toEqualTypeOf<
    (path: string, options: SendOptions) => Promise<ClusterResponse>
  >()
  expectTypeOf<Connection['stream']>().returns.resolves.toEqualTypeOf<ClusterStream>()
  expectTypeOf<ClusterStream['body']>().toEqualTypeOf<AsyncIterable<Uint8Array>>()
  expectTypeOf<SendOptions['method']>().toEqualTypeOf<
    'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  >()
  expectTypeOf<SendOptions>().toExtend<RequestOptions>()
  // @ts-expect-error a method is required
  const missing: SendOptions = { body: '{}' }
  void missing
})
