import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// One lockfile, several sources: the cluster (`fetch`) and each `--crds` set. Each sequence here
// is one a user ran and lost work with: a source added must never remove another's
// group-versions, a recorded option changes only when given, and `generate`/`check` with no
// flags work on what the lockfile recorded.
const FIXTURES = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
let root: string
let server: ApiServer
let kubeconfig: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-sources-'))
  server = await startApiServer()
  kubeconfig = await server.kubeconfig(join(root, 'kubeconfig'))
})

afterAll(async () => {
  await server.close()
  await rm(root, { recursive: true, force: true })
})

interface Project {
  dir: string
  run(...args: string[]): ReturnType<typeof runMain>
  fetch(...args: string[]): ReturnType<typeof runMain>
  lock(): Promise<{
    groupVersions: Record<string, unknown>
    options?: { include: string[]; exclude: string[] }
    out?: string
    crds?: { paths: string[]; files: Record<string, string>; groupVersions: string[] }[]
  }>
  files(out?: string): Promise<string[]>
}

async function project(name: string): Promise<Project> {
  const dir = join(root, name)
  await cp(FIXTURES, join(dir, 'crds'), { recursive: true })
  const run = (...args: string[]) =>
    runMain(args, { cwd: dir, env: { K8S_CODEGEN_CACHE_DIR: join(root, 'cache') } })
  return {
    dir,
    run,
    fetch: (...args) => run('fetch', '--kubeconfig', kubeconfig, ...args),
    lock: async () =>
      JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')) as Awaited<
        ReturnType<Project['lock']>
      >,
    files: async (out = 'generated') =>
      (await readdir(join(dir, out), { recursive: true })).filter((f) => f.endsWith('.ts')).sort(),
  }
}

const WIDGETS = 'example.dev/v1.ts'

describe('one lockfile, the cluster and --crds sets as sources', () => {
  it(
    'fetch --include apps/v1, then generate --crds X --base lockfile: X is generated beside apps/v1',
    { timeout: 120_000 },
    async () => {
      const p = await project('include-then-crds')
      expect((await p.fetch('--include', 'apps/v1')).code).toBe(0)
      const run = await p.run('generate', '--crds', 'crds', '--base', 'k8s-codegen.lock.json')
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(await p.files()).toEqual(expect.arrayContaining(['apps/v1.ts', WIDGETS]))
      expect((await p.lock()).options?.include).toEqual(['apps/v1'])
    },
  )

  it(
    'fetch --include apps/v1 --crds X generates X (the cluster filter narrows only the cluster)',
    { timeout: 120_000 },
    async () => {
      const p = await project('include-and-crds')
      const run = await p.fetch('--include', 'apps/v1', '--crds', 'crds')
      expect(run.stderr).not.toContain('error')
      expect(run.code).toBe(0)
      expect(await p.files()).toEqual(expect.arrayContaining(['apps/v1.ts', WIDGETS]))
      expect(Object.keys((await p.lock()).groupVersions)).toEqual([
        'apis/apps/v1',
        'apis/example.dev/v1',
        'apis/example.dev/v1beta1',
      ])
    },
  )

  it(
    'generate --crds X without --base in a fetched project keeps every fetched group-version',
    { timeout: 120_000 },
    async () => {
      const p = await project('crds-joins')
      expect((await p.fetch('--out', 'src/k8s')).code).toBe(0)
      const fetched = await p.files('src/k8s')
      const run = await p.run('generate', '--crds', 'crds')
      expect(run.code).toBe(0)
      expect(await p.files('src/k8s')).toEqual(
        [...fetched, WIDGETS, 'example.dev/v1beta1.ts'].sort(),
      )
      // The next generate, with a flag of its own, removes nothing either.
      const again = await p.run('generate', '--out', 'src/k8s', '--json')
      expect(JSON.parse(again.stdout)).toMatchObject({ removed: [], exitCode: 0 })
      expect((await p.lock()).crds).toEqual([
        expect.objectContaining({
          paths: ['crds'],
          groupVersions: ['apis/example.dev/v1', 'apis/example.dev/v1beta1'],
        }),
      ])
    },
  )

  it(
    'a peek (fetch --no-generate --include apps/v1) records nothing: the next generate removes nothing',
    { timeout: 120_000 },
    async () => {
      const p = await project('peek')
      expect((await p.fetch()).code).toBe(0)
      const before = await p.lock()
      const peek = await p.fetch('--no-generate', '--include', 'apps/v1')
      expect(peek.code).toBe(0)
      const after = await p.lock()
      expect(after.options).toEqual(before.options)
      expect(Object.keys(after.groupVersions)).toEqual(Object.keys(before.groupVersions))
      const run = await p.run('generate', '--json')
      expect(JSON.parse(run.stdout)).toMatchObject({ removed: [], upToDate: true })
    },
  )

  it(
    'records --out: generate and check with no flags use it, and nothing lands in ./generated',
    { timeout: 120_000 },
    async () => {
      const p = await project('out-recorded')
      expect((await p.fetch('--out', 'src/k8s')).code).toBe(0)
      expect((await p.lock()).out).toBe('src/k8s')
      const check = await p.run('check')
      expect(check.stdout).toContain('src/k8s is up to date')
      expect(check.code).toBe(0)
      const generate = await p.run('generate')
      expect(generate.stdout).toContain('src/k8s is up to date')
      await expect(stat(join(p.dir, 'generated'))).rejects.toThrow('ENOENT')
    },
  )

  it(
    'check with no flags re-reads the CRD files the lockfile names and fails when one changed',
    { timeout: 120_000 },
    async () => {
      const p = await project('check-crds')
      expect((await p.run('generate', '--crds', 'crds')).code).toBe(0)
      expect((await p.run('check')).code).toBe(0)
      const file = join(p.dir, 'crds/widgets.yaml')
      await writeFile(file, (await readFile(file, 'utf8')).replace('Widget', 'Widgett'))
      const stale = await p.run('check')
      expect(stale.code).toBe(1)
      expect(stale.stdout).toContain(
        'the CRD files changed since they were locked: crds/widgets.yaml',
      )
      // generate with no flags re-reads them too, and check passes again.
      expect((await p.run('generate')).code).toBe(0)
      expect((await p.run('check')).code).toBe(0)
    },
  )

  it.each([
    {
      given: ['--no-include'],
      want: { include: [] as string[], files: ['apps/v1.ts', 'core/v1.ts'] },
    },
    {
      given: ['--include='],
      want: { include: [] as string[], files: ['apps/v1.ts', 'core/v1.ts'] },
    },
    { given: ['--include', 'core/v1'], want: { include: ['core/v1'], files: ['core/v1.ts'] } },
  ])(
    'generate $given clears or replaces the recorded include',
    { timeout: 120_000 },
    async ({ given, want }) => {
      const p = await project(`include-${given.join('').replace(/\W/g, '')}`)
      expect((await p.fetch('--include', 'apps/v1', '--include', 'core/v1')).code).toBe(0)
      expect((await p.run('generate', '--include', 'apps/v1')).code).toBe(0)
      const run = await p.run('generate', ...given)
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect((await p.lock()).options?.include).toEqual(want.include)
      expect(await p.files()).toEqual(expect.arrayContaining(want.files))
    },
  )

  it(
    '--no-crds removes the recorded CRD sets and their group-versions; the cluster stays',
    { timeout: 120_000 },
    async () => {
      const p = await project('no-crds')
      expect((await p.fetch('--include', 'apps/v1', '--crds', 'crds')).code).toBe(0)
      const run = await p.run('generate', '--no-crds')
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      const lock = await p.lock()
      expect(lock.crds).toBeUndefined()
      expect(Object.keys(lock.groupVersions)).toEqual(['apis/apps/v1'])
      expect(await p.files()).not.toContain(WIDGETS)
    },
  )

  it(
    'a recorded --exclude that would drop a --crds group-version is an error that says so',
    { timeout: 120_000 },
    async () => {
      const p = await project('exclude-crds')
      expect((await p.run('generate', '--crds', 'crds')).code).toBe(0)
      const run = await p.run('generate', '--exclude', 'example.dev/*')
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(
        "--exclude 'example.dev/*' would drop example.dev/v1, which --crds crds names; the CRDs named with --crds are always generated",
      )
      expect(run.stderr).toContain('[K8S_CODEGEN_OPENAPI_CRDS_FILTERED]')
    },
  )

  it.each([
    { given: ['fetch', '--exclude', '*'], want: 'K8S_CODEGEN_OPENAPI_NOTHING_SELECTED' },
    { given: ['fetch', '--out', ''], want: 'K8S_CODEGEN_CLI_USAGE' },
    { given: ['generate', '--out='], want: 'K8S_CODEGEN_CLI_USAGE' },
    { given: ['fetch', '--crds'], want: 'K8S_CODEGEN_CLI_USAGE' },
    { given: ['generate', '--crds='], want: 'K8S_CODEGEN_CLI_USAGE' },
    { given: ['fetch', '--out', '/proc/k8s-codegen'], want: 'K8S_CODEGEN_CLI_NOT_WRITABLE' },
    { given: ['fetch', '--lockfile', '/proc/x/lock.json'], want: 'K8S_CODEGEN_CLI_NOT_WRITABLE' },
  ])('$given fails with $want and writes nothing', { timeout: 60_000 }, async ({ given, want }) => {
    const p = await project(`refused-${given.join('').replace(/\W/g, '')}`)
    const [command = '', ...rest] = given
    const run =
      command === 'fetch'
        ? await p.fetch(...rest, '--json')
        : await p.run(command, ...rest, '--json')
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 1, error: { code: want } })
    await expect(stat(join(p.dir, 'k8s-codegen.lock.json'))).rejects.toThrow('ENOENT')
  })

  it.each([['--no-include'], ['--no-exclude'], ['--include='], ['--exclude=']])(
    'fetch %s means "no filter", never an internal error',
    { timeout: 120_000 },
    async (flag) => {
      const p = await project(`flag-${flag.replace(/\W/g, '')}`)
      const run = await p.fetch(flag, '--no-generate', '--json')
      expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 0, error: null })
    },
  )

  it(
    'reads a version-1 lockfile and writes it as version 2 on the next write',
    { timeout: 120_000 },
    async () => {
      const p = await project('v1')
      expect((await p.fetch('--include', 'apps/v1', '--no-generate')).code).toBe(0)
      const path = join(p.dir, 'k8s-codegen.lock.json')
      const v1 = { ...(await p.lock()), lockfileVersion: 1 }
      await writeFile(path, JSON.stringify(v1))
      const run = await p.run('generate', '--no-docs')
      expect(run.code).toBe(0)
      expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ lockfileVersion: 2 })
    },
  )
})
