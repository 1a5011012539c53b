import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Helm 4 built from Go modules by `npm run helm:build` (test/helm), or the binary named by
// K8S_CODEGEN_HELM_BIN.
const repoBinary = fileURLToPath(new URL('../../../test/helm/bin/helm', import.meta.url))

/** The helm binary to run, or undefined when none is built. */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env['K8S_CODEGEN_HELM_BIN']
  if (named !== undefined && named !== '') return existsSync(named) ? named : undefined
  return existsSync(repoBinary) ? repoBinary : undefined
}

/** What one helm run printed and its exit code. */
export interface HelmResult {
  stdout: string
  stderr: string
  code: number
}

/**
 * A helm that talks to one server only: its own kubeconfig, and its cache, config and data
 * homes under `work`, so nothing of the user's helm (repositories, plugins, registry logins)
 * takes part.
 */
export interface Helm {
  run(args: readonly string[]): Promise<HelmResult>
}

/** A {@link Helm} for the server of `kubeconfig`, its state under `work`. */
export async function helmFor(binary: string, kubeconfig: string, work: string): Promise<Helm> {
  const homes = {
    cache: join(work, 'cache'),
    config: join(work, 'config'),
    data: join(work, 'data'),
  }
  await Promise.all(Object.values(homes).map((dir) => mkdir(dir, { recursive: true })))
  // An empty repositories file: `helm install` of a local chart reads it when present.
  await writeFile(join(homes.config, 'repositories.yaml'), 'apiVersion: ""\nrepositories: []\n')
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: work,
    KUBECONFIG: kubeconfig,
    HELM_CACHE_HOME: homes.cache,
    HELM_CONFIG_HOME: homes.config,
    HELM_DATA_HOME: homes.data,
  }
  return {
    run: (args) =>
      new Promise((resolve) => {
        execFile(
          binary,
          [...args],
          { env, encoding: 'utf8', timeout: 120_000 },
          (error, stdout, stderr) =>
            resolve({
              stdout,
              stderr,
              code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
            }),
        )
      }),
  }
}
