// The two servers of the parity suite, started the same way: the recorded profile (or the real
// kube-apiserver) with the same CRD files installed.
import { fileURLToPath } from 'node:url'
import { findRealApiServer, startApiServer, startRealApiServer } from '../../src/index.js'
import type { ParityServer } from './_scenario.js'

/** The CRDs every parity scenario may use: example.dev Widget and parity.example.dev Database. */
export const parityCrdFiles = [
  fileURLToPath(new URL('../../../openapi/test/fixtures/crds/widgets.yaml', import.meta.url)),
  fileURLToPath(new URL('./crds/databases.yaml', import.meta.url)),
]

/** A server of the suite: how to start it, or why it cannot start here. */
export interface ServerFactory {
  name: 'emulator' | 'kube-apiserver'
  start(): Promise<ParityServer>
}

export const emulator: ServerFactory = {
  name: 'emulator',
  start: () => startApiServer({ profile: 'recorded', crds: parityCrdFiles }),
}

/**
 * The real kube-apiserver (testkit's `startRealApiServer`), with `skip` saying why it cannot run
 * here: no binary found (no Go to build `npm run apiserver:build`, no envtest assets).
 */
export function kubeApiserver(): ServerFactory & { skip?: string } {
  const start = (): Promise<ParityServer> => startRealApiServer({ crds: parityCrdFiles })
  return findRealApiServer() === undefined
    ? {
        name: 'kube-apiserver',
        start,
        skip: 'no kube-apiserver binary (npm run apiserver:build needs Go; or set KUBEBUILDER_ASSETS or K8S_CODEGEN_APISERVER_BIN)',
      }
    : { name: 'kube-apiserver', start }
}
