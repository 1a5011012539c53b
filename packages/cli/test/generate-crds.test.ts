import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { recordedProfileDir, startApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// `--crds`: CRD files converted and locked with no cluster (generate, check), and added to what
// a cluster serves (fetch, against the emulator).
const FIXTURES = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
let dir: string

function cli(args: string[], cwd = dir): ReturnType<typeof runMain> {
  return runMain(args, { cwd, env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') } })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-crds-'))
  await cp(FIXTURES, join(dir, 'crds'), { recursive: true })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('k8s-codegen generate --crds', () => {
  it(
    'generates from CRD files alone, says which baseline it used, and is up to date on a second run',
    { timeout: 120_000 },
    async () => {
      // The lockfile defaults to the project root (dir, shared by these tests): keep it beside
      // the output instead.
      const run = await cli([
        'generate',
        '--crds',
        'crds',
        '--out',
        'alone/k8s',
        '--lockfile',
        'alone/k8s-codegen.lock.json',
      ])
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(run.stdout.split('\n')[0]).toBe(
        'read 2 CRDs from 2 files (1 other document skipped) into 2 group-versions; meta/v1 from kubernetes 1.32 (shipped with k8s-codegen)',
      )
      const lock = JSON.parse(await readFile(join(dir, 'alone/k8s-codegen.lock.json'), 'utf8')) as {
        source: string
        groupVersions: Record<string, { status: string; discovery?: object }>
      }
      expect(lock.source).toBe('v3')
      expect(Object.keys(lock.groupVersions)).toEqual([
        'apis/example.dev/v1',
        'apis/example.dev/v1beta1',
      ])
      expect(lock.groupVersions['apis/example.dev/v1']?.discovery).toBeDefined()
      const widget = await readFile(join(dir, 'alone/k8s/example.dev/v1.ts'), 'utf8')
      expect(widget).toContain('export interface Widget {')
      expect(widget).toContain("shortNames: ['wd']")
      const again = await cli([
        'generate',
        '--crds',
        'crds',
        '--out',
        'alone/k8s',
        '--lockfile',
        'alone/k8s-codegen.lock.json',
      ])
      expect(again.code).toBe(0)
      expect(again.stdout).toMatch(/alone\/k8s is up to date/)
    },
  )

  it(
    'check --crds passes on unchanged files and fails (exit 1) when a CRD file changed',
    { timeout: 120_000 },
    async () => {
      await cp(join(dir, 'crds'), join(dir, 'crds-check'), { recursive: true })
      expect((await cli(['generate', '--crds', 'crds-check', '--out', 'chk/k8s'])).code).toBe(0)
      expect((await cli(['check', '--crds', 'crds-check', '--out', 'chk/k8s'])).code).toBe(0)
      const file = join(dir, 'crds-check/widgets.yaml')
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace('shortNames: [wd]', 'shortNames: [wdg]'),
      )
      const stale = await cli(['check', '--crds', 'crds-check', '--out', 'chk/k8s'])
      expect(stale.code).toBe(1)
      expect(stale.stdout + stale.stderr).toContain('the CRD files changed since they were locked')
    },
  )

  it(
    'regenerates and fails check when only what the CRD alone says changed (printer columns, deprecation)',
    { timeout: 120_000 },
    async () => {
      // Neither changes the converted document or discovery list: the locked crdFacts do, so the
      // lockfile hash and the generation key change with them.
      await cp(join(dir, 'crds'), join(dir, 'crds-facts'), { recursive: true })
      const args = ['--crds', 'crds-facts', '--out', 'facts/k8s', '--lockfile', 'facts/lock.json']
      expect((await cli(['generate', ...args])).code).toBe(0)
      const module = join(dir, 'facts/k8s/example.dev/v1.ts')
      expect(await readFile(module, 'utf8')).toContain("jsonPath: '.spec.replicas'")
      const file = join(dir, 'crds-facts/widgets.yaml')
      const text = await readFile(file, 'utf8')
      await writeFile(file, text.replace('jsonPath: .spec.replicas', 'jsonPath: .status.replicas'))
      const stale = await cli(['check', ...args])
      expect(stale.code).toBe(1)
      expect(stale.stdout + stale.stderr).toContain('the CRD files changed since they were locked')
      expect((await cli(['generate', ...args])).code).toBe(0)
      expect(await readFile(module, 'utf8')).toContain("jsonPath: '.status.replicas'")
      await writeFile(
        file,
        text.replace(
          'deprecationWarning: example.dev/v1beta1 Widget is deprecated; use example.dev/v1 Widget',
          'deprecationWarning: v1beta1 goes away in 2.0',
        ),
      )
      expect((await cli(['generate', ...args])).code).toBe(0)
      expect(await readFile(join(dir, 'facts/k8s/example.dev/v1beta1.ts'), 'utf8')).toContain(
        ' * @deprecated v1beta1 goes away in 2.0\n */\nexport interface Widget {',
      )
    },
  )

  it('reads the config key crds relative to the config file', { timeout: 120_000 }, async () => {
    const project = join(dir, 'project')
    await cp(FIXTURES, join(project, 'deploy/crds'), { recursive: true })
    await writeFile(
      join(project, 'k8s-codegen.config.json'),
      JSON.stringify({ out: 'src/k8s', crds: ['deploy/crds'] }),
    )
    const run = await cli(['generate', '--json'], project)
    expect(run.code).toBe(0)
    const summary = JSON.parse(run.stdout) as { crds: { crds: number; groupVersions: string[] } }
    expect(summary.crds).toMatchObject({
      crds: 2,
      groupVersions: ['apis/example.dev/v1', 'apis/example.dev/v1beta1'],
    })
  })

  const refusals: { name: string; files: Record<string, string>; args?: string[]; want: string }[] =
    [
      {
        name: 'a missing path',
        files: {},
        args: ['--crds', 'nowhere'],
        want: 'k8s-codegen generate: error: --crds nowhere: no such file or directory [K8S_CODEGEN_OPENAPI_CRD_MISSING]',
      },
      {
        name: 'an invalid CRD, naming file, document index and rule',
        files: {
          'bad/a.yaml':
            'kind: Secret\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: things.x.io}\nspec: {group: x.io, scope: Namespaced, names: {plural: things, kind: Thing}, versions: [{name: v1, served: true, storage: false, schema: {openAPIV3Schema: {type: object}}}]}\n',
        },
        want: 'k8s-codegen generate: error: bad/a.yaml document 1 (things.x.io) is not a valid CustomResourceDefinition: spec.versions: must have exactly one version marked as storage version, not 0 [K8S_CODEGEN_OPENAPI_CRD_INVALID]',
      },
      {
        name: 'YAML that does not parse',
        files: { 'bad/a.yaml': 'kind: [' },
        want: 'k8s-codegen generate: error: bad/a.yaml document 0: not valid YAML (line 1, column 8): unexpected end of the stream within a flow collection [K8S_CODEGEN_OPENAPI_CRD_INVALID]',
      },
      {
        name: 'a --base that does not exist',
        files: { 'bad/a.yaml': '' },
        args: ['--crds', 'crds', '--base', 'no-such-lock.json'],
        want: 'k8s-codegen generate: error: --base no-such-lock.json: no such file or directory [K8S_CODEGEN_OPENAPI_BASE_INVALID]',
      },
    ]
  it.each(refusals)('refuses $name with exit 1, writing nothing', async ({ files, args, want }) => {
    const case_ = await mkdtemp(join(dir, 'refuse-'))
    await cp(FIXTURES, join(case_, 'crds'), { recursive: true })
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(case_, path, '..'), { recursive: true })
      await writeFile(join(case_, path), text)
    }
    const run = await cli(['generate', '--out', 'k8s', ...(args ?? ['--crds', 'bad'])], case_)
    expect(run.stderr).toBe(`${want}\n`)
    expect(run.code).toBe(1)
    await expect(readFile(join(case_, 'k8s-codegen.lock.json'))).rejects.toMatchObject({
      code: 'ENOENT',
    })
  })
})

describe('a generate --crds that fails after locking', () => {
  it('puts the previous lockfile back (none here), leaving the files as they were', async () => {
    const case_ = await mkdtemp(join(dir, 'fail-'))
    // An --include matching nothing locked: the CRDs convert and lock, then the generation
    // refuses the filter (a run's locks are taken first, so an unwritable --out fails earlier).
    await cp(FIXTURES, join(case_, 'crds'), { recursive: true })
    const run = await cli(
      ['generate', '--crds', 'crds', '--out', 'k8s', '--include', 'nothing.dev/v1'],
      case_,
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /^k8s-codegen generate: error: .*\[K8S_CODEGEN_OPENAPI_FILTER_UNMATCHED\]\n$/s,
    )
    await expect(readFile(join(case_, 'k8s-codegen.lock.json'))).rejects.toMatchObject({
      code: 'ENOENT',
    })
    await expect(readFile(join(case_, 'k8s', 'index.ts'))).rejects.toMatchObject({
      code: 'ENOENT',
    })
  })
})

describe('k8s-codegen fetch --crds', () => {
  const fetchArgs = (kubeconfig: string, out: string): string[] => [
    'fetch',
    '--kubeconfig',
    kubeconfig,
    '--crds',
    'crds',
    '--out',
    `${out}/k8s`,
    '--lockfile',
    `${out}/k8s-codegen.lock.json`,
  ]

  it(
    'adds the CRDs to what a v2-only cluster serves, split from its /openapi/v2 like a pre-1.24 server',
    { timeout: 120_000 },
    async () => {
      const server = await startApiServer({ profile: 'kubernetes-1.13' })
      try {
        const kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig-113'))
        const run = await cli(fetchArgs(kubeconfig, 'v2cluster'))
        expect(run.stderr).not.toContain('error')
        expect(run.code).toBe(0)
        expect(run.stdout).toContain(
          'read 2 CRDs from 2 files (1 other document skipped) into 2 group-versions; meta/v1 from',
        )
        const lock = JSON.parse(
          await readFile(join(dir, 'v2cluster/k8s-codegen.lock.json'), 'utf8'),
        ) as { source: string; groupVersions: Record<string, unknown> }
        expect(lock.source).toBe('v2')
        expect(Object.keys(lock.groupVersions)).toEqual(
          expect.arrayContaining(['api/v1', 'apis/example.dev/v1', 'apis/example.dev/v1beta1']),
        )
        const widget = await readFile(join(dir, 'v2cluster/k8s/example.dev/v1.ts'), 'utf8')
        expect(widget).toContain('export interface Widget {')
      } finally {
        await server.close()
      }
    },
  )

  it.runIf(recordedProfileDir() !== undefined)(
    'refuses a CRD the cluster also serves, then takes it from the file with --crds-override',
    { timeout: 120_000 },
    async () => {
      const server = await startApiServer({ exampleCrds: true })
      try {
        const kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig-recorded'))
        const args = [...fetchArgs(kubeconfig, 'v3cluster'), '--no-generate']
        const refused = await cli(args)
        expect(refused.stderr).toContain(
          'k8s-codegen fetch: error: CRD gadgets.example.dev, widgets.example.dev (apis/example.dev/v1) are also served by the base ' +
            'v3cluster/k8s-codegen.lock.json; pass --crds-override to use the CRD file instead [K8S_CODEGEN_OPENAPI_CRD_CONFLICT]\n',
        )
        expect(refused.code).toBe(1)
        const overridden = await cli([...args, '--crds-override'])
        expect(overridden.stderr).not.toContain('error')
        expect(overridden.code).toBe(0)
        const lock = JSON.parse(
          await readFile(join(dir, 'v3cluster/k8s-codegen.lock.json'), 'utf8'),
        ) as { groupVersions: Record<string, unknown> }
        expect(Object.keys(lock.groupVersions)).toEqual(
          expect.arrayContaining(['api/v1', 'apis/example.dev/v1', 'apis/example.dev/v1beta1']),
        )
      } finally {
        await server.close()
      }
    },
  )
})

describe('k8s-codegen generate --crds --base', () => {
  it(
    'joins the CRDs to the lockfile or the specs dir of an earlier fetch, naming it as the baseline',
    { timeout: 180_000 },
    async () => {
      const server = await startApiServer()
      try {
        const kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig-base'))
        const fetched = await cli([
          'fetch',
          '--kubeconfig',
          kubeconfig,
          '--out',
          'base/k8s',
          '--lockfile',
          'base/k8s-codegen.lock.json',
          '--specs-dir',
          'base/specs',
          '--no-generate',
        ])
        expect(fetched.code).toBe(0)
      } finally {
        await server.close()
      }
      for (const base of ['base/k8s-codegen.lock.json', 'base/specs']) {
        const out = `joined-${base.endsWith('specs') ? 'specs' : 'lock'}/k8s`
        const run = await cli([
          'generate',
          '--crds',
          'crds',
          '--base',
          base,
          '--out',
          out,
          '--lockfile',
          join(out, '../k8s-codegen.lock.json'),
        ])
        expect(run.stderr).toBe('')
        expect(run.code).toBe(0)
        expect(run.stdout.split('\n')[0]).toBe(
          `read 2 CRDs from 2 files (1 other document skipped) into 2 group-versions; meta/v1 from ${base}`,
        )
        const lock = JSON.parse(
          await readFile(join(dir, out, '../k8s-codegen.lock.json'), 'utf8'),
        ) as { groupVersions: Record<string, unknown> }
        expect(Object.keys(lock.groupVersions)).toEqual(
          expect.arrayContaining(['api/v1', 'apis/example.dev/v1', 'apis/example.dev/v1beta1']),
        )
        await expect(readFile(join(dir, out, 'core/v1.ts'), 'utf8')).resolves.toContain(
          'export interface Pod {',
        )
      }
    },
  )
})
