// A run that will refuse to write because a file of yours stands where a generated one goes
// refuses before the work: the index and the modules of the locked group-versions are known from
// the plan (codegen `plannedFiles`), so `fetch` into an `--out` it never wrote downloads nothing
// and `generate --crds` converts nothing. What only the documents decide is still refused when
// generated (output-never-overwrites-user-files.test.ts). Each row downloaded or converted first
// on the CLI that checked only after generating.
import { readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'
import { CORPUS_CRDS } from './_crd-cli.js'
import { emulatorProjects } from './_emulator-projects.js'
import { tree } from './_tree.js'

const projects = emulatorProjects('cli-conflict-before-work-')
const project = projects.project

/** Every file the run left in its cache (lock directories aside). */
async function cached(cacheDir: string): Promise<string[]> {
  const names = await readdir(cacheDir, { recursive: true }).catch(() => [])
  return names.filter((name) => !/\.lock(\/|$)/.test(name))
}

describe('a file of yours where a planned file goes', { timeout: 60_000 }, () => {
  const rows: {
    name: string
    given: { files: Record<string, string>; args: string[] }
    want: RegExp
  }[] = [
    {
      name: 'fetch --out src holding your index.ts: nothing downloaded',
      given: {
        files: { 'src/index.ts': 'export const app = 1\n' },
        args: ['fetch', '--kubeconfig', '<kubeconfig>', '--out', 'src'],
      },
      want: /: index\.ts \(a file without the generated header\)/,
    },
    {
      name: 'fetch --emit js --out . in a package root holding your index.js: nothing downloaded',
      given: {
        files: { 'package.json': '{"name":"app"}\n', 'index.js': 'module.exports = 1\n' },
        args: ['fetch', '--kubeconfig', '<kubeconfig>', '--emit', 'js', '--out', '.'],
      },
      want: /: index\.js \(a file without the generated header\)/,
    },
    {
      name: 'generate --crds --out src holding your index.ts: nothing converted',
      given: {
        files: { 'src/index.ts': 'export const app = 1\n' },
        args: ['generate', '--crds', CORPUS_CRDS[0] ?? '', '--out', 'src'],
      },
      want: /: index\.ts \(a file without the generated header\)/,
    },
  ]
  it.each(rows)('$name', async ({ given, want }) => {
    const dir = await project(given.files)
    const cacheDir = join(dir, '.cache')
    const before = await tree(dir)
    const args = given.args.map((a) => (a === '<kubeconfig>' ? projects.kubeconfig() : a))
    const run = await runMain([...args, '--json'], { cwd: dir, cacheDir })
    expect(run.code, run.stdout + run.stderr).toBe(1)
    const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string } }
    expect(error.code).toBe('K8S_CODEGEN_CLI_OUTPUT_CONFLICT')
    expect(error.message).toMatch(want)
    expect(await cached(cacheDir)).toEqual([])
    expect(await tree(dir)).toEqual(before)
  })

  it('a locked module: a fetched project whose apps/v1.ts you replaced is refused before generating, naming it', async () => {
    const dir = await project({})
    const cacheDir = join(dir, '.cache')
    const fetch = (...args: string[]) =>
      runMain(['fetch', '--kubeconfig', projects.kubeconfig(), '--include', 'apps/v1', ...args], {
        cwd: dir,
        cacheDir,
      })
    expect((await fetch()).code).toBe(0)
    // Not listed by the manifest any more, and without the header: a file of yours.
    await rm(join(dir, 'generated/.k8s-codegen-manifest.json'))
    await writeFile(join(dir, 'generated/apps/v1.ts'), 'export const mine = 1\n')
    const run = await runMain(['generate', '--no-docs', '--json'], { cwd: dir, cacheDir })
    expect(run.code, run.stdout).toBe(1)
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: {
        code: 'K8S_CODEGEN_CLI_OUTPUT_CONFLICT',
        message: expect.stringContaining(
          'apps/v1.ts (a file without the generated header)',
        ) as string,
      },
    })
  })
})
