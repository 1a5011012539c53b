// kubectl as the oracle for `--request-timeout` under a server's Retry-After: client-go bounds a
// whole request with it, its retries and their waits included (rest/request.go `request`:
// `context.WithTimeout(ctx, r.timeout)`, `r.timeout` being `rest.Config.Timeout`; with_retry.go
// `Before` sleeps the Retry-After with that context and then fails). A Retry-After longer than
// the timeout is one attempt and a deadline error; a shorter one is retried within it. Both
// clients list namespaces from one emulated kube-apiserver answering 429 + Retry-After.
import { execFile, spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ClusterError } from '../src/index.js'
import { useEmulatorConnections } from './helpers/emulator-connections.js'

const kubectl = process.env['K8S_CODEGEN_KUBECTL']?.split(path.delimiter)[0] ?? 'kubectl'
const found =
  spawnSync(kubectl, ['version', '--client', '-o', 'json'], { timeout: 20_000 }).status === 0
if (!found) console.warn('--request-timeout oracle skipped: no working kubectl on PATH')

const emulator = useEmulatorConnections('k8s-codegen-request-timeout-')
const LIST = '/api/v1/namespaces'

// What a client's run came to: 'listed', or 'deadline' when it failed on the deadline (kubectl's
// "context deadline exceeded", our K8S_CODEGEN_CLUSTER_TIMEOUT); else what it printed or threw.
type Outcome = string

async function kubectlOutcome(kubeconfig: string, dir: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      kubectl,
      ['--kubeconfig', kubeconfig, '--request-timeout=2s', 'get', 'namespaces', '-o', 'name'],
      { env: { PATH: process.env['PATH'] ?? '', HOME: dir }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout.includes('namespace/default') ? 'listed' : stdout)
        else resolve(stderr.includes('context deadline exceeded') ? 'deadline' : stderr)
      },
    )
  })
}

describe.skipIf(!found)('--request-timeout bounds a request and its retries, as kubectl', () => {
  it.each([
    {
      given: { client: 'kubectl', retryAfter: 5, times: 100 },
      want: { outcome: 'deadline', statuses: [429] },
    },
    {
      given: { client: 'k8s-codegen', retryAfter: 5, times: 100 },
      want: { outcome: 'deadline', statuses: [429] },
    },
    {
      given: { client: 'kubectl', retryAfter: 1, times: 1 },
      want: { outcome: 'listed', statuses: [429, 200] },
    },
    {
      given: { client: 'k8s-codegen', retryAfter: 1, times: 1 },
      want: { outcome: 'listed', statuses: [429, 200] },
    },
  ])(
    '$given.client, 2 s timeout, Retry-After $given.retryAfter s ($given.times times)',
    { timeout: 60_000 },
    async ({ given, want }) => {
      const s = await emulator.server()
      const dir = emulator.dir
      s.injectFault({
        path: LIST,
        kind: 'status',
        status: 429,
        retryAfter: given.retryAfter,
        times: given.times,
      })
      const kubeconfig = await s.kubeconfig(path.join(dir, `${given.client}-${given.retryAfter}`))
      let outcome: Outcome
      if (given.client === 'kubectl') outcome = await kubectlOutcome(kubeconfig, dir)
      else {
        const c = await emulator.connect({ kubeconfig, requestTimeout: '2s' })
        try {
          const response = await c.send(LIST, { method: 'GET', retries: 10 })
          outcome = response.status === 200 ? 'listed' : String(response.status)
        } catch (error) {
          outcome =
            error instanceof ClusterError && error.code === 'K8S_CODEGEN_CLUSTER_TIMEOUT'
              ? 'deadline'
              : String(error)
        }
      }
      const statuses = s.requests.filter((r) => r.path === LIST).map((r) => r.status)
      expect({ outcome, statuses }).toEqual(want)
    },
  )
})
