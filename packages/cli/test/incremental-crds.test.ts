import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// Regeneration is incremental as a user's pull request sees it: editing one CRD of the real
// corpus rewrites only the files generated from its group-version (each file's header names
// what it comes from), never the whole output.
const CORPUS = fileURLToPath(new URL('corpus/crds', import.meta.url))
const EDITED = 'crds/keda/keda.sh_triggerauthentications.yaml'
let dir: string

async function generate(): Promise<{ written: string[]; files: number }> {
  const run = await runMain(['generate', '--crds', 'crds', '--out', 'k8s', '--json'], {
    cwd: dir,
    cacheDir: join(dir, 'cache'),
  })
  expect(run.code, run.stdout).toBe(0)
  return JSON.parse(run.stdout) as { written: string[]; files: number }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-incremental-'))
  await cp(CORPUS, join(dir, 'crds'), { recursive: true })
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('generate --crds after one CRD is edited', { timeout: 300_000 }, () => {
  it('rewrites only the files generated from its group-version', async () => {
    const first = await generate()
    expect(first.written.length).toBeGreaterThan(20)
    const path = join(dir, EDITED)
    const text = await readFile(path, 'utf8')
    const edited = text.replace(/description: (\S)/, 'description: Edited. $1')
    expect(edited).not.toBe(text)
    await writeFile(path, edited)

    const second = await generate()
    // The files whose header names keda.sh/v1alpha1, and no other.
    const fromKeda: string[] = []
    const manifest = JSON.parse(
      await readFile(join(dir, 'k8s', '.k8s-codegen-manifest.json'), 'utf8'),
    ) as { files: Record<string, string> }
    for (const file of Object.keys(manifest.files)) {
      const header = (await readFile(join(dir, 'k8s', file), 'utf8')).split('\n')[2] ?? ''
      if (header.includes('apis/keda.sh/v1alpha1 (')) fromKeda.push(file)
    }
    expect(fromKeda).toContain('keda.sh/v1alpha1.ts')
    expect(second.written).toEqual(fromKeda.sort())
    expect(second.files).toBe(first.files)
  })
})
