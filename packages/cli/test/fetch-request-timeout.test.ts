import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// `fetch --request-timeout` bounds each request with its retries, as kubectl's does (client-go
// rest/request.go `request`: one context.WithTimeout over every attempt and Retry-After wait;
// the kubectl oracle is cluster's request-timeout-bounds-retries-kubectl-oracle.test.ts): a
// server asking to retry after longer than the timeout fails the fetch when the timeout ends,
// exit 2, naming the attempts; a shorter Retry-After is waited and the fetch succeeds.
let dir: string
let server: ApiServer
let kubeconfig: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-request-timeout-'))
  await writeFile(join(dir, 'package.json'), '{}')
  server = await startApiServer({ profile: 'kubernetes-1.13' })
  kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig'))
}, 60_000)

afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('fetch --request-timeout under a Retry-After', () => {
  it.each([
    {
      given: { retryAfter: 5, times: 100 },
      want: {
        code: 2,
        stderr:
          /did not complete within 2000 ms \(1 attempt, the last answered 429; the next was due after a 5000 ms wait\) \[K8S_CODEGEN_CLUSTER_TIMEOUT\]/,
        attempts: 1,
      },
    },
    { given: { retryAfter: 1, times: 1 }, want: { code: 0, stderr: /^$/, attempts: 2 } },
  ])(
    'Retry-After $given.retryAfter s with a 2 s timeout',
    { timeout: 60_000 },
    async ({ given, want }) => {
      const before = server.requests.length
      const remove = server.injectFault({
        path: '/openapi/v2',
        kind: 'status',
        status: 429,
        retryAfter: given.retryAfter,
        times: given.times,
      })
      try {
        const run = await runMain(
          ['fetch', '--kubeconfig', kubeconfig, '--request-timeout', '2s', '--no-generate'],
          { cwd: dir, env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') } },
        )
        const attempts = server.requests
          .slice(before)
          .filter((r) => r.path === '/openapi/v2').length
        expect({ code: run.code, attempts }).toEqual({ code: want.code, attempts: want.attempts })
        expect(run.stderr).toMatch(want.stderr)
      } finally {
        remove()
      }
    },
  )
})
