// kubectl as the oracle for a server's Retry-After: client-go (rest/with_retry.go `IsNextRetry`,
// `Before`) sleeps what a 429 asks for and sends again, up to maxRetries (10), whatever the
// length. Both clients talk to one emulated kube-apiserver answering 429 + Retry-After once;
// our connection's retry budget (spent before the first wait) must not make it give up where
// kubectl waits.
import { execFile, spawnSync } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { useEmulatorConnections } from './helpers/emulator-connections.js'

const run = promisify(execFile)
const kubectl = process.env['K8S_CODEGEN_KUBECTL']?.split(path.delimiter)[0] ?? 'kubectl'
const found =
  spawnSync(kubectl, ['version', '--client', '-o', 'json'], { timeout: 20_000 }).status === 0
if (!found) console.warn('Retry-After oracle skipped: no working kubectl on PATH')

const emulator = useEmulatorConnections('k8s-codegen-retry-after-')

describe.skipIf(!found)('a 429 with Retry-After, as kubectl answers it', () => {
  it.each([
    { given: { client: 'kubectl', retryAfter: 1 }, want: [429, 200] },
    { given: { client: 'k8s-codegen', retryAfter: 1 }, want: [429, 200] },
  ])('$given.client waits $given.retryAfter s and sends again', async ({ given, want }) => {
    const s = await emulator.server()
    const dir = emulator.dir
    const fault = { kind: 'status', status: 429, retryAfter: given.retryAfter, times: 1 } as const
    s.injectFault({ path: '/version', ...fault })
    const kubeconfig = await s.kubeconfig(path.join(dir, `${given.client}.kubeconfig`))
    if (given.client === 'kubectl') {
      await run(kubectl, ['--kubeconfig', kubeconfig, 'get', '--raw', '/version'], {
        env: { PATH: process.env['PATH'] ?? '', HOME: dir },
      })
    } else {
      const c = await emulator.connect({ kubeconfig, retryBudgetMs: 0 })
      expect((await c.request('/version', { retries: 10 })).status).toBe(200)
    }
    // Up to the first success (kubectl may ask for /version once more afterwards).
    const statuses = s.requests.filter((r) => r.path === '/version').map((r) => r.status)
    expect(statuses.slice(0, statuses.indexOf(200) + 1)).toEqual(want)
  })
})
