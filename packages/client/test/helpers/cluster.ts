// One emulated apiserver (the recorded Kubernetes profile plus the example.dev Widget CRD the
// tests generate bindings for) and a client of it, for a test file.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'

import { createClient, type Client, type ClientOptions, type Warning } from '../../src/index.js'

export const crdFile = fileURLToPath(
  new URL('../../../openapi/test/fixtures/crds/widgets.yaml', import.meta.url),
)

export interface TestCluster {
  server: ApiServer
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
  const server = await startApiServer({
    profile: 'recorded',
    ...(options.crds === false ? {} : { crds: [crdFile] }),
  })
  const kubeconfig = await server.kubeconfig(path.join(dir, 'kubeconfig'))
  const warnings: Warning[] = []
  const client = await createClient({
    kubeconfig,
    onWarning: (w) => warnings.push(w),
    ...options.client,
  })
  return {
    server,
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
