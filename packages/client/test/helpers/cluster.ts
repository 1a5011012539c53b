// One apiserver (the recorded Kubernetes profile plus the example.dev Widget CRD the tests
// generate bindings for) and a client of it, for a test file. The server is the emulator, or a
// real kube-apiserver in the vitest project `kube-apiserver` (K8S_CODEGEN_TEST_SERVER, see
// vitest.config.ts): the same end-to-end files run against both.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startApiServer, startRealApiServer, type ApiServer } from '@k8s-codegen/testkit'

import { createClient, type Client, type ClientOptions, type Warning } from '../../src/index.js'

export const crdFile = fileURLToPath(
  new URL('../../../openapi/test/fixtures/crds/widgets.yaml', import.meta.url),
)

/** The server this test run talks to. */
export const serverUnderTest: 'emulator' | 'kube-apiserver' =
  process.env['K8S_CODEGEN_TEST_SERVER'] === 'kube-apiserver' ? 'kube-apiserver' : 'emulator'

export interface TestCluster {
  /** The emulator with its request log and faults; undefined against a real kube-apiserver. */
  emulator: ApiServer | undefined
  client: Client
  kubeconfig: string
  dir: string
  warnings: Warning[]
  close(): Promise<void>
}

export async function startCluster(
  options: { crds?: boolean; client?: ClientOptions } = {},
): Promise<TestCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'k8s-codegen-client-'))
  const crds = options.crds === false ? [] : [crdFile]
  const server =
    serverUnderTest === 'kube-apiserver'
      ? await startRealApiServer({ crds })
      : await startApiServer({ profile: 'recorded', crds })
  const kubeconfig = await server.kubeconfig(path.join(dir, 'kubeconfig'))
  const warnings: Warning[] = []
  const client = await createClient({
    kubeconfig,
    onWarning: (w) => warnings.push(w),
    ...options.client,
  })
  return {
    emulator: serverUnderTest === 'emulator' ? (server as ApiServer) : undefined,
    client,
    kubeconfig,
    dir,
    warnings,
    close: async () => {
      await client.close()
      await server.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The emulator of a cluster, for tests that inject faults (skipped on a real server). */
export function emulatorOf(cluster: TestCluster): ApiServer {
  if (cluster.emulator === undefined)
    throw new Error('this test needs the emulator (faults, request log)')
  return cluster.emulator
}
