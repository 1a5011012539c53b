import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { recordedProfileDir, startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { JOURNAL_NAME, MANIFEST_NAME } from '../src/write-output.js'
import { binPath, runMain } from './_cli.js'

// One emulator (recorded profile when ../shared is present, else the 1.13 profile; plus the
// example CRD group) and one fetch into a temp dir; the tests then generate/check offline.
let dir: string
let server: ApiServer
let cacheDir: string
let lockfile: string

interface Run {
  code: number
  stdout: string
  stderr: string
}

function cli(args: string[], cwd = dir): Promise<Run> {
  return runMain(args, { cwd, cacheDir })
}

const gen = (out: string, ...extra: string[]): Promise<Run> =>
  cli(['generate', '--out', out, '--lockfile', lockfile, ...extra])
const check = (out: string, ...extra: string[]): Promise<Run> =>
  cli(['check', '--out', out, '--lockfile', lockfile, ...extra])

async function snapshot(out: string): Promise<Map<string, { content: string; mtimeMs: number }>> {
  const files = new Map<string, { content: string; mtimeMs: number }>()
  const walk = async (d: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = `${prefix}${entry.name}`
      if (entry.isDirectory()) await walk(join(d, entry.name), `${path}/`)
      else
        files.set(path, {
          content: await readFile(join(d, entry.name), 'utf8'),
          mtimeMs: (await stat(join(d, entry.name))).mtimeMs,
        })
    }
  }
  await walk(out, '')
  return files
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-generate-'))
  cacheDir = join(dir, 'cache')
  lockfile = join(dir, 'k8s-codegen.lock.json')
  server = await startApiServer({ exampleCrds: true })
  const kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig'))
  const fetched = await cli([
    'fetch',
    '--kubeconfig',
    kubeconfig,
    '--lockfile',
    lockfile,
    '--out',
    join(dir, 'fetched'),
    '--no-generate',
  ])
  if (fetched.code !== 0) throw new Error(`fetch failed: ${fetched.stderr}`)
}, 120_000)

afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('k8s-codegen generate', () => {
  it(
    'generates from the lockfile and cache, then a second run rewrites nothing',
    { timeout: 120_000 },
    async () => {
      const out = join(dir, 'out-noop')
      const first = await gen(out)
      expect(first.stderr).toBe('')
      expect(first.code).toBe(0)
      expect(first.stdout).toMatch(
        /^generated \d+ group-versions, \d+ resources, \d+ files into .*out-noop: \d+ written, 0 removed/,
      )
      const files = await snapshot(out)
      expect(files.has('core/v1.ts')).toBe(true)
      // The default profile is the recorded one (v3, with the example CRD group) when ../shared
      // is present, else Kubernetes 1.13 (v2 only: no CRD group, but extensions/v1beta1).
      const groupModule = recordedProfileDir() ? 'example.dev/v1.ts' : 'extensions/v1beta1.ts'
      expect(files.has(groupModule), groupModule).toBe(true)
      expect(files.has(MANIFEST_NAME)).toBe(true)
      const second = await gen(out)
      expect(second.code).toBe(0)
      expect(second.stdout).toMatch(/out-noop is up to date/)
      expect(await snapshot(out)).toEqual(files)
    },
  )

  it(
    'is deterministic: two output directories are byte-identical',
    { timeout: 120_000 },
    async () => {
      await gen(join(dir, 'det-a'))
      await gen(join(dir, 'det-b'))
      const a = [...(await snapshot(join(dir, 'det-a')))].map(([p, f]) => [p, f.content])
      const b = [...(await snapshot(join(dir, 'det-b')))].map(([p, f]) => [p, f.content])
      expect(b).toEqual(a)
    },
  )

  it(
    'honours --include, --no-docs and a k8s-codegen.config.json found from the cwd; flags win over it',
    { timeout: 120_000 },
    async () => {
      await writeFile(
        join(dir, 'k8s-codegen.config.json'),
        JSON.stringify({ out: 'from-config', include: ['core/v1'], docs: false }),
      )
      try {
        const run = await cli(['generate', '--lockfile', lockfile])
        expect(run.code).toBe(0)
        const files = await snapshot(join(dir, 'from-config'))
        expect(
          [...files.keys()].filter((p) => p.endsWith('/v1.ts') && !p.startsWith('meta/')),
        ).toContain('core/v1.ts')
        expect(files.has('apps/v1.ts')).toBe(false)
        expect(files.get('core/v1.ts')?.content).not.toContain('Pod is a collection of containers')
        expect(files.get('core/v1.ts')?.content).toContain('// @ts-nocheck')
        const flagged = await cli([
          'generate',
          '--lockfile',
          lockfile,
          '--out',
          'from-flag',
          '--docs',
          '--no-nocheck',
        ])
        expect(flagged.code).toBe(0)
        const flaggedFiles = await snapshot(join(dir, 'from-flag'))
        expect(flaggedFiles.has('apps/v1.ts')).toBe(false)
        expect(flaggedFiles.get('core/v1.ts')?.content).toContain(
          'Pod is a collection of containers',
        )
        expect(flaggedFiles.get('core/v1.ts')?.content).not.toContain('@ts-nocheck')
      } finally {
        await rm(join(dir, 'k8s-codegen.config.json'))
      }
    },
  )

  it(
    'generate and check read a k8s-codegen.config.ts typed with defineConfig, via --config',
    { timeout: 120_000 },
    async () => {
      // Inside the repository, so `import … from 'k8s-codegen'` resolves to this package.
      const cache = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url))
      await mkdir(cache, { recursive: true })
      const project = await mkdtemp(join(cache, 'ts-config-'))
      try {
        const config = join(project, 'ci.config.ts')
        await writeFile(
          config,
          `import { defineConfig } from 'k8s-codegen'\n\nexport default defineConfig({ out: 'src/k8s', lockfile: ${JSON.stringify(lockfile)}, include: ['apps/v1'] satisfies string[] })\n`,
        )
        const run = await cli(['generate', '--config', 'ci.config.ts'], project)
        expect(run).toMatchObject({ code: 0, stderr: '' })
        const files = await snapshot(join(project, 'src/k8s'))
        expect(files.has('apps/v1.ts')).toBe(true)
        expect(files.has('batch/v1.ts')).toBe(false)
        expect(await cli(['check', '--config', config], project)).toMatchObject({
          code: 0,
          stdout: `${join(project, 'src/k8s')} is up to date\n`,
        })
      } finally {
        await rm(project, { recursive: true, force: true })
      }
    },
  )

  it('rejects a config file with an unknown key with exit 1, naming the file and the key', async () => {
    const config = join(dir, 'bad.config.json')
    await writeFile(config, JSON.stringify({ output: 'x' }))
    for (const command of ['generate', 'check']) {
      const run = await cli([command, '--config', config, '--lockfile', lockfile])
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(`config file ${config}: key 'output' is unknown`)
    }
    const json = await cli(['check', '--config', config, '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { code: 'K8S_CODEGEN_CLI_CONFIG_INVALID' },
    })
  })

  it('skips a group-version over --max-document-bytes with a warning naming it; --strict exits 3, also when up to date', async () => {
    // A copy of the lockfile: the limit is a generation option the lockfile records.
    const own = join(dir, 'limits.lock.json')
    await copyFile(lockfile, own)
    const out = join(dir, 'out-limits')
    const args = ['generate', '--out', out, '--lockfile', own, '--max-document-bytes', '1000']
    const lenient = await cli(args)
    expect(lenient.code).toBe(0)
    expect(lenient.stderr).toMatch(
      /warning: \S+ not generated: the document is \d+ bytes, over the limit of 1000 \(raise it with --max-document-bytes\) \[K8S_CODEGEN_CODEGEN_LIMIT_EXCEEDED\]/,
    )
    for (const attempt of ['generated', 'up to date']) {
      const strict = await cli([...args, '--strict'])
      expect(strict.code, attempt).toBe(3)
      expect(strict.stderr, attempt).toMatch(/group-versions not generated \(--strict\)/)
    }
    const bad = await cli([...args.slice(0, -1), '0'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('--max-document-bytes must be a positive integer, got 0')
  })

  it('--emit js writes JavaScript and declarations, the declarations marked @ts-nocheck', async () => {
    const own = join(dir, 'emit.lock.json')
    await copyFile(lockfile, own)
    const out = join(dir, 'out-js')
    // Each flag explicitly: the lockfile records the --no-nocheck of an earlier row.
    const generateJs = (nocheck: '--nocheck' | '--no-nocheck') =>
      cli(['generate', '--out', out, '--lockfile', own, '--emit', 'js', nocheck])
    const run = await generateJs('--nocheck')
    expect(run.code, run.stderr).toBe(0)
    const files = await snapshot(out)
    const paths = [...files.keys()].filter((p) => !p.startsWith('.'))
    expect(paths).toContain('core/v1.js')
    expect(paths).toContain('core/v1.d.ts')
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([])
    // What a consumer's tsc reads carries the pragma, with or without its skipLibCheck.
    expect(files.get('index.d.ts')?.content).toContain('// @ts-nocheck')
    expect(files.get('core/v1.d.ts')?.content).toContain('// @ts-nocheck')
    expect(files.get('core/v1.js')?.content).not.toContain('@ts-nocheck')
    const checked = await generateJs('--no-nocheck')
    expect(checked.code, checked.stderr).toBe(0)
    const declarations = (await snapshot(out)).get('index.d.ts')?.content
    expect(declarations).toContain('export declare const registry')
    expect(declarations).not.toContain('@ts-nocheck')
  })

  it('fails with exit 1 and a clear error when the lockfile is missing', async () => {
    const run = await cli([
      'generate',
      '--out',
      join(dir, 'x'),
      '--lockfile',
      join(dir, 'nope.lock.json'),
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/k8s-codegen generate: error: .*nope\.lock\.json.*\[K8S_CODEGEN_/)
  })

  it('kill -9 mid-generate leaves the previous output intact', { timeout: 120_000 }, async () => {
    const out = join(dir, 'out-kill')
    await gen(out)
    const before = await snapshot(out)
    // --no-docs changes every file, so the killed run would have rewritten all of them.
    const child = spawn(
      process.execPath,
      [binPath, 'generate', '--out', out, '--lockfile', lockfile, '--no-docs'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          K8S_CODEGEN_CACHE_DIR: cacheDir,
        },
        stdio: 'ignore',
      },
    )
    // Killed once it writes (its journal is in --out), whatever the run's speed: listening for
    // its end before anything else, so a run that ends first is seen, not waited for forever.
    const closed = new Promise((r) => child.on('close', r))
    try {
      let ended = false
      void closed.then(() => (ended = true))
      while (!ended && !existsSync(join(out, JOURNAL_NAME)))
        await new Promise((r) => setTimeout(r, 1))
      child.kill('SIGKILL')
      await closed
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    expect(child.signalCode).toBe('SIGKILL')
    const after = await snapshot(out)
    // Besides, the killed run leaves its journal and the temps it lists, which the next run
    // removes (write-output.ts).
    const left = [...after.keys()].filter((path) => !before.has(path))
    expect(left.filter((path) => path !== JOURNAL_NAME && !path.endsWith('.tmp'))).toEqual([])
    expect(new Map([...after].filter(([path]) => before.has(path)))).toEqual(before)
    expect((await check(out)).code).toBe(0)
  })
})

describe('k8s-codegen check', () => {
  it(
    'exits 0 when up to date and 1 with a summary when stale or hand-edited',
    { timeout: 120_000 },
    async () => {
      const out = join(dir, 'out-check')
      const missing = await check(out)
      expect(missing.code).toBe(1)
      expect(missing.stdout).toMatch(
        /is stale or hand-edited:\n {2}\d+ missing: api\/resource\.ts, /,
      )
      await gen(out)
      expect(await check(out)).toMatchObject({ code: 0, stdout: `${out} is up to date\n` })
      const core = join(out, 'core/v1.ts')
      await writeFile(core, `${await readFile(core, 'utf8')}\nexport type HandEdited = true\n`)
      const stale = await check(out)
      expect(stale.code).toBe(1)
      expect(stale.stdout).toContain('1 changed: core/v1.ts')
      const json = await check(out, '--json')
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: false,
        changed: ['core/v1.ts'],
        missing: [],
        extra: [],
      })
      await gen(out)
      expect((await check(out)).code).toBe(0)
    },
  )
})
