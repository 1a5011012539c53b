import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// kubectl's flags and what they print: -v/--v=N request logging (client-go
// transport/round_trippers.go levels), --as/--as-group/--as-uid, "did you mean" for a mistyped
// flag, and errors that name flags as typed (no camelCase twins).
let dir: string
let server: ApiServer
let kubeconfig: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-flags-'))
  server = await startApiServer()
  kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig'))
})

afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

function fetch(...args: string[]): ReturnType<typeof runMain> {
  return runMain(
    ['fetch', '--kubeconfig', kubeconfig, '--include', 'apps/v1', '--no-generate', ...args],
    { cwd: dir, env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') } },
  )
}

describe('-v', () => {
  it.each([
    {
      given: [] as string[],
      want: { has: [] as RegExp[], not: [/fetched|reused/, /"Response"/] },
    },
    {
      given: ['-v'],
      want: { has: [/(fetched|reused) +apis\/apps\/v1 \(/], not: [/"Response"/] },
    },
    {
      given: ['-v', '6'],
      want: {
        has: [
          /^I\d{4} [\d:.]+ +\d+ round_trippers\.go\] "Response" verb="GET" url="https:\/\/127\.0\.0\.1:\d+\/openapi\/v3" status="200 OK" milliseconds=\d+$/m,
        ],
        not: [/"Request"/, /"Response Body"/],
      },
    },
    {
      given: ['--v=8'],
      want: {
        has: [
          /"Request" verb="GET" url=".*\/openapi\/v3" headers=<\n\taccept: /,
          /\tauthorization: Bearer <masked>\n/,
          /"Response Body" body="\{/,
        ],
        not: [],
      },
    },
  ])('$given logs as kubectl does at that level', { timeout: 60_000 }, async ({ given, want }) => {
    const run = await fetch(...given)
    expect(run.code).toBe(0)
    for (const re of want.has) expect(run.stderr).toMatch(re)
    for (const re of want.not) expect(run.stderr).not.toMatch(re)
    expect(run.stderr).not.toContain(server.token ?? 'no token')
    // One summary line on stdout, whatever the level.
    expect(run.stdout.split('\n')[0]).toMatch(/^\d+ fetched, \d+ reused, /)
  })

  it('refuses a level that is not 0 to 10', async () => {
    const run = await fetch('-v', 'loud')
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('-v "loud" is not a log level')
  })
})

describe('--as, --as-group, --as-uid', () => {
  // The headers themselves: cluster/test/impersonation-and-certificate-flags.test.ts.
  it('fetches as the user and shows it in `connection`', { timeout: 60_000 }, async () => {
    const run = await fetch('--as', 'jane', '--as-group', 'dev', '--as-group', 'ops')
    expect(run.code).toBe(0)
    const connection = await runMain(
      ['connection', '--kubeconfig', kubeconfig, '--as', 'jane', '--as-group', 'dev', '--json'],
      { cwd: dir },
    )
    expect(JSON.parse(connection.stdout)).toMatchObject({
      impersonate: { user: 'jane', groups: ['dev'] },
    })
  })

  it('refuses --as-group without --as, as kubectl does', async () => {
    const run = await fetch('--as-group', 'dev')
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('without impersonating a user')
  })
})

describe('mistyped flags', () => {
  it.each([
    {
      given: ['fetch', '--includ', 'apps'],
      want: 'Unknown argument: --includ (did you mean --include?)',
    },
    {
      given: ['fetch', '--request-timout', '1s'],
      want: 'Unknown argument: --request-timout (did you mean --request-timeout?)',
    },
    { given: ['check', '--outt', 'x'], want: 'Unknown argument: --outt (did you mean --out?)' },
    { given: ['generate', '--zzz-top'], want: 'Unknown argument: --zzz-top [' },
  ])('$given → $want', async ({ given, want }) => {
    const run = await runMain(given, { cwd: dir })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(want)
    expect(run.stderr).not.toMatch(/requestTimout|zzzTop/)
  })
})

describe('a cache entry changed in place (same size, other bytes)', () => {
  it(
    'is downloaded again by fetch (a warning, exit 0) and fails an offline generate (exit 4)',
    {
      timeout: 60_000,
    },
    async () => {
      expect((await fetch()).code).toBe(0)
      const lock = JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')) as {
        groupVersions: Record<string, { hash: string }>
      }
      const hash = lock.groupVersions['apis/apps/v1']?.hash ?? ''
      const entry = join(dir, 'cache', 'sha512', hash)
      const corrupt = async () => {
        const bytes = await readFile(entry)
        bytes[10] = bytes[10] === 0x20 ? 0x21 : 0x20
        await writeFile(entry, bytes)
      }
      await corrupt()
      const online = await fetch()
      expect(online.code).toBe(0)
      expect(online.stderr).toContain('warning: dropped corrupt cache entry')
      expect(online.stdout).toMatch(/^1 fetched, 0 reused/)
      await corrupt()
      const offline = await runMain(['generate', '--json'], {
        cwd: dir,
        env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') },
      })
      expect(JSON.parse(offline.stdout)).toMatchObject({
        exitCode: 4,
        error: { code: 'K8S_CODEGEN_OPENAPI_SPEC_TAMPERED' },
      })
    },
  )
})
