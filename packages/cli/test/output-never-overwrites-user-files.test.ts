// The output writer replaces and removes only files k8s-codegen wrote: those its manifest in
// `--out` lists, or (the manifest lost) that start with the generated header. A file of yours in
// the way of a generated one fails the run before anything is written; one beside the output is
// kept and never reported. Each row failed on the writer that overwrote whatever it met.
import { lstat, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { GENERATED_LINE } from '@k8s-codegen/codegen'
import { describe, expect, it } from 'vitest'

import { MANIFEST_NAME, diffOutput, writeOutput } from '../src/write-output.js'
import { runMain } from './_cli.js'
import { CORPUS_CRDS } from './_crd-cli.js'
import { emulatorProjects } from './_emulator-projects.js'
import { tree } from './_tree.js'

const projects = emulatorProjects('cli-user-files-in-out-')
/** A directory holding `files`: an `--out`, or a project. */
const outDir = projects.project

const ours = (body: string): string => `${GENERATED_LINE}\n${body}`
const generated = new Map([
  ['index.ts', ours('export * from "./core/v1.js"\n')],
  ['core/v1.ts', ours('export type Pod = { kind: "Pod" }\n')],
])

describe('the writer, file by file', () => {
  it.each([
    {
      given: 'your index.ts where the generated index goes (no manifest: a first run)',
      files: { 'index.ts': 'export const mine = 1\n' },
      want: ['index.ts'],
    },
    {
      given: 'your index.ts and core/v1.ts, both in the way',
      files: { 'index.ts': 'mine\n', 'core/v1.ts': 'mine too\n' },
      want: ['core/v1.ts', 'index.ts'],
    },
  ])(
    '$given → refused with K8S_CODEGEN_CLI_OUTPUT_CONFLICT, nothing touched',
    async ({ files, want }) => {
      const out = await outDir(files)
      const before = await tree(out)
      const error = await writeOutput(out, generated, 'key-1').catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'K8S_CODEGEN_CLI_OUTPUT_CONFLICT' })
      for (const path of want) expect((error as Error).message).toContain(path)
      expect((error as Error).message).toContain('nothing was written')
      expect(await tree(out)).toEqual(before)
      expect(await readdir(out, { recursive: true })).toEqual(
        expect.not.arrayContaining([MANIFEST_NAME]),
      )
    },
  )

  it('a file of yours where a generated directory goes is refused, naming it', async () => {
    const out = await outDir({ core: 'mine\n' })
    const before = await tree(out)
    const error = await writeOutput(out, generated, 'key-1').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'K8S_CODEGEN_CLI_OUTPUT_CONFLICT' })
    expect((error as Error).message).toContain('core (a file where a generated directory goes)')
    expect(await tree(out)).toEqual(before)
  })

  it('check names a file of yours in the way as such, not as hand-edited output', async () => {
    const out = await outDir({ 'index.ts': 'mine\n', 'notes.md': 'mine\n' })
    const diff = await diffOutput(out, generated)
    expect(diff).toEqual({ changed: [], missing: ['core/v1.ts'], extra: [], foreign: ['index.ts'] })
  })

  it('a symlink of yours where a generated file goes is refused, the link kept', async () => {
    const out = await outDir({ 'target.ts': 'mine\n' })
    await symlink('target.ts', join(out, 'index.ts'))
    const error = await writeOutput(out, generated, 'key-1').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'K8S_CODEGEN_CLI_OUTPUT_CONFLICT' })
    expect((await lstat(join(out, 'index.ts'))).isSymbolicLink()).toBe(true)
  })

  it.each([
    { given: 'a file of ours with the manifest deleted', file: ours('export type Old = 1\n') },
    { given: 'a file the manifest lists, edited by hand', file: 'edited\n', listed: true },
    { given: 'a file already holding what is generated', file: generated.get('index.ts') ?? '' },
  ])('$given → replaced', async ({ file, listed }) => {
    const out = await outDir()
    if (listed === true) await writeOutput(out, generated, 'key-0')
    else await writeFile(join(out, 'index.ts'), file)
    if (listed === true) await writeFile(join(out, 'index.ts'), file)
    await writeOutput(out, generated, 'key-1')
    expect(await readFile(join(out, 'index.ts'), 'utf8')).toBe(generated.get('index.ts'))
  })

  it('your notes.md beside the output is kept across runs and not reported by check', async () => {
    const out = await outDir({ 'notes.md': 'mine\n', 'core/notes.md': 'mine too\n' })
    await writeOutput(out, generated, 'key-1')
    await writeOutput(out, new Map([['index.ts', ours('export {}\n')]]), 'key-2')
    expect(await readFile(join(out, 'notes.md'), 'utf8')).toBe('mine\n')
    expect(await readFile(join(out, 'core/notes.md'), 'utf8')).toBe('mine too\n')
    const diff = await diffOutput(out, new Map([['index.ts', ours('export {}\n')]]))
    expect(diff).toEqual({ changed: [], missing: [], extra: [], foreign: [] })
  })
})

describe('the CLI', () => {
  it(
    'generate --crds into a --out holding your index.ts: exit 1, no lockfile, nothing written',
    { timeout: 180_000 },
    async () => {
      const project = await outDir({ 'src/index.ts': 'export const app = 1\n' })
      const before = await tree(project)
      const crds = CORPUS_CRDS[0] ?? ''
      const run = await runMain(['generate', '--crds', crds, '--out', 'src', '--json'], {
        cwd: project,
        cacheDir: projects.cacheDir(),
      })
      expect(run.code, run.stderr).toBe(1)
      expect(JSON.parse(run.stdout)).toMatchObject({
        error: { code: 'K8S_CODEGEN_CLI_OUTPUT_CONFLICT' },
      })
      expect(await tree(project)).toEqual(before)
    },
  )

  const fetch = (cwd: string, ...args: string[]) =>
    runMain(['fetch', '--kubeconfig', projects.kubeconfig(), '--include', 'core/v1', ...args], {
      cwd,
      cacheDir: projects.cacheDir(),
    })

  it(
    'fetch --emit js into a package root holding your package.json and index.js: exit 1, nothing written; without your index.js it generates there and keeps package.json',
    { timeout: 180_000 },
    async () => {
      const project = await outDir({
        'package.json': '{ "name": "mine", "type": "module" }\n',
        'index.js': 'export const mine = 1\n',
        'README.md': '# mine\n',
      })
      const before = await tree(project)
      const run = await fetch(project, '--emit', 'js', '--out', '.', '--json')
      expect(run.code, run.stderr).toBe(1)
      const report = JSON.parse(run.stdout) as { error: { code: string; message: string } }
      expect(report.error.code).toBe('K8S_CODEGEN_CLI_OUTPUT_CONFLICT')
      expect(report.error.message).toContain('index.js')
      expect(report.error.message).not.toContain('package.json')
      expect(await tree(project)).toEqual(before)

      // The index moved away (the bindings package's entry point is now the generated one): the
      // package root is generated into, and your package.json and README.md are kept.
      await rm(join(project, 'index.js'))
      const own = await fetch(project, '--emit', 'js', '--out', '.')
      expect(own.code, own.stderr).toBe(0)
      expect(await readFile(join(project, 'package.json'), 'utf8')).toBe(
        '{ "name": "mine", "type": "module" }\n',
      )
      expect(await readFile(join(project, 'README.md'), 'utf8')).toBe('# mine\n')
      const index = await readFile(join(project, 'index.js'), 'utf8')
      expect(index.startsWith(`${GENERATED_LINE}\n`)).toBe(true)
      // `--out .` is recorded as '.' (it was '', a lockfile every later run refused).
      const again = await fetch(project)
      expect(again.code, again.stderr).toBe(0)
    },
  )

  it(
    'generate into a --out holding your index.ts: exit 1 naming it, then kept; check does not report notes.md',
    { timeout: 180_000 },
    async () => {
      const project = await outDir({
        'src/index.ts': 'export const app = 1\n',
        'src/notes.md': 'mine\n',
      })
      const first = await fetch(project, '--no-generate')
      expect(first.code, first.stderr).toBe(0)
      const before = await tree(project)
      const run = await runMain(['generate', '--out', 'src'], {
        cwd: project,
        cacheDir: projects.cacheDir(),
      })
      expect(run.code, run.stderr).toBe(1)
      // As the CLI README shows it.
      expect(run.stderr).toBe(
        `k8s-codegen generate: error: --out ${join(project, 'src')} holds an entry k8s-codegen did not write where generated files go: index.ts (a file without the generated header). k8s-codegen replaces only files it wrote (listed in .k8s-codegen-manifest.json, or starting with its generated header) and nothing was written. Move them out of --out, or give the output a directory of its own (--out). [K8S_CODEGEN_CLI_OUTPUT_CONFLICT]\n`,
      )
      expect(await tree(project)).toEqual(before)
      const blocked = await runMain(['check', '--out', 'src'], {
        cwd: project,
        cacheDir: projects.cacheDir(),
      })
      expect(blocked.code, blocked.stderr).toBe(1)
      expect(blocked.stdout).toContain('1 in the way: index.ts')
      expect(blocked.stdout).not.toContain('notes.md')
      const json = await runMain(['check', '--out', 'src', '--json'], {
        cwd: project,
        cacheDir: projects.cacheDir(),
      })
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, foreign: ['index.ts'] })

      await rm(join(project, 'src', 'index.ts'))
      const again = await runMain(['generate', '--out', 'src'], {
        cwd: project,
        cacheDir: projects.cacheDir(),
      })
      expect(again.code, again.stderr).toBe(0)
      const checked = await runMain(['check', '--out', 'src'], {
        cwd: project,
        cacheDir: projects.cacheDir(),
      })
      expect(checked.code, checked.stdout).toBe(0)
      expect(checked.stdout).not.toContain('notes.md')
      expect(await readFile(join(project, 'src', 'notes.md'), 'utf8')).toBe('mine\n')
    },
  )
})
