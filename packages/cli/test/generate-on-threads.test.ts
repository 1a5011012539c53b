import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runCli } from './_cli.js'
import { CORPUS_CRDS, generatedFiles } from './_crd-cli.js'

// A generation whose modules are printed on several threads (print-pool.ts: the built CLI's
// worker, dist/generation-worker.js) writes what one thread writes: the same files, lockfile,
// messages and exit code, whatever the thread count and however the threads are scheduled. The
// built bin runs each row, `K8S_CODEGEN_THREADS` setting the count.

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-threads-'))
  for (const [i, dir] of CORPUS_CRDS.entries())
    await cp(dir, join(root, 'crds', String(i)), { recursive: true })
  // A CRD file that cannot be read: the error names it (file, document, line, column) alike.
  await mkdir(join(root, 'bad'))
  await writeFile(join(root, 'bad', 'broken.yaml'), 'kind: CustomResourceDefinition\nspec: [\n')
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function generate(
  name: string,
  threads: number,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; out: Map<string, string> }> {
  const dir = join(root, name)
  const run = await runCli(
    ['generate', '--out', join(dir, 'k8s'), '--lockfile', join(dir, 'lock.json'), ...args],
    {
      cwd: root,
      env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache'), K8S_CODEGEN_THREADS: String(threads) },
      timeoutMs: 300_000,
    },
  )
  const text = (t: string): string => t.replaceAll(dir, '<dir>').replace(/\(\d+\.\d+ s\)/g, '(…)')
  return {
    code: run.code,
    stdout: text(run.stdout),
    stderr: text(run.stderr),
    out: await generatedFiles(join(dir, 'k8s')).catch(() => new Map<string, string>()),
  }
}

const rows: { given: string; args: string[]; threads: number[]; want: { code: number } }[] = [
  {
    given: 'the CRD corpus, JSDoc on',
    args: ['--crds', 'crds'],
    threads: [1, 2, 3],
    want: { code: 0 },
  },
  {
    given: 'the CRD corpus as JavaScript and declarations',
    args: ['--crds', 'crds', '--emit', 'js', '--no-docs'],
    threads: [1, 2],
    want: { code: 0 },
  },
  {
    given: 'a CRD file that cannot be parsed beside the corpus',
    args: ['--crds', 'crds', 'bad'],
    threads: [1, 2],
    want: { code: 1 },
  },
]

describe('generate on several threads writes what one thread writes', () => {
  it.each(rows)('$given', { timeout: 900_000 }, async ({ given, args, threads, want }) => {
    const runs = []
    for (const n of threads)
      runs.push(await generate(`${given.replace(/\W+/g, '-')}-${n}`, n, args))
    const [one, ...more] = runs
    expect(one?.code, one?.stderr).toBe(want.code)
    for (const run of more) expect(run).toEqual(one)
  })
})
