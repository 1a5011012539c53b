import { spawn } from 'node:child_process'
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { binPath } from './_cli.js'
import { cliIn, copyWithoutCache, outcome } from './_crd-cli.js'

// A `generate --crds` killed (SIGKILL) while it stores what it converted — each CRD file's facts,
// each group-version's entry — leaves nothing a later run trusts wrongly: the run after the kills
// gives exactly what a cold run gives from the same project state in a fresh cache.
const CORPUS = fileURLToPath(new URL('corpus/crds', import.meta.url))
const EDITED = 'crds/keda/keda.sh_triggerauthentications.yaml'
let root: string
const project = (): string => join(root, 'project')

const count = async (dir: string): Promise<number> =>
  (await readdir(join(project(), 'cache', dir)).catch(() => [])).filter((n) => n.endsWith('.json'))
    .length

// Runs the built CLI and kills it once `dir` of its cache holds an entry (or it ends first).
async function killedOnceIn(dir: string): Promise<NodeJS.Signals | null> {
  const child = spawn(
    process.execPath,
    [binPath, 'generate', '--crds', 'crds', '--out', 'k8s', '--json'],
    {
      cwd: project(),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        K8S_CODEGEN_CACHE_DIR: join(project(), 'cache'),
      },
      stdio: 'ignore',
    },
  )
  const closed = new Promise((resolve) => child.on('close', resolve))
  try {
    const before = await count(dir)
    while (child.exitCode === null && (await count(dir)) === before)
      await new Promise((r) => setTimeout(r, 10))
    child.kill('SIGKILL')
    await closed
    return child.signalCode
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
}

async function edit(description: string): Promise<void> {
  const path = join(project(), EDITED)
  const text = await readFile(path, 'utf8')
  await writeFile(path, text.replace(/description: (\S)/, `description: ${description} $1`))
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-crd-killed-'))
  await cp(CORPUS, join(project(), 'crds'), { recursive: true })
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('generate --crds killed while storing conversions', { timeout: 300_000 }, () => {
  it('leaves nothing the next run trusts wrongly', async () => {
    // Killed while storing the facts of the files, then (after an edit) while storing the
    // group-versions' entries.
    expect(await killedOnceIn('crd-files')).toBe('SIGKILL')
    await edit('Edited once.')
    expect(await killedOnceIn('crd-group-versions')).toBe('SIGKILL')
    await edit('Edited twice.')
    const cold = await copyWithoutCache(project(), join(root, 'cold'))
    const warm = await outcome(
      project(),
      await cliIn(project(), ['generate', '--crds', 'crds', '--out', 'k8s', '--json']),
    )
    const fresh = await outcome(
      cold,
      await cliIn(cold, ['generate', '--crds', 'crds', '--out', 'k8s', '--json']),
    )
    expect(warm.code).toBe(0)
    expect(warm).toEqual(fresh)
  })
})
