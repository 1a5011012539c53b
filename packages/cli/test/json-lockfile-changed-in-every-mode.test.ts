// `--json`'s top-level `lockfileChanged` says whether the run as a whole left another lockfile, in
// every mode: the download, the `--crds` step and the options a generation records. It described
// only the download, so a `fetch --no-docs` that recorded the option, a `fetch --no-generate
// --crds` and a `generate --crds` whose CRD set changed printed "lockfile … written" and
// `lockfileChanged: false`. `check` never writes it.
import { cp, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'
import { emulatorProjects } from './_emulator-projects.js'

const FIXTURE_CRDS = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))

const projects = emulatorProjects('cli-json-lockfile-changed-')

/** `remove`: a file of the project removed before the step runs. */
type Step = { args: string[]; remove?: string; want?: { lockfileChanged: boolean; code?: number } }

describe('--json lockfileChanged is the run’s', { timeout: 120_000 }, () => {
  const fetch = (...args: string[]) => ['fetch', '--kubeconfig', '<kubeconfig>', ...args]
  const rows: { name: string; given: { crds?: true; steps: Step[] } }[] = [
    {
      name: 'fetch: a first fetch writes it, a warm one does not',
      given: {
        steps: [
          { args: fetch('--include', 'core/v1'), want: { lockfileChanged: true } },
          { args: fetch(), want: { lockfileChanged: false } },
        ],
      },
    },
    {
      name: 'fetch --no-docs after a fetch: the download changes nothing, the recorded option does',
      given: {
        steps: [
          { args: fetch('--include', 'core/v1') },
          { args: fetch('--no-docs'), want: { lockfileChanged: true } },
          { args: fetch(), want: { lockfileChanged: false } },
        ],
      },
    },
    {
      name: 'fetch --no-generate: only the download, then nothing',
      given: {
        steps: [
          { args: fetch('--include', 'core/v1', '--no-generate'), want: { lockfileChanged: true } },
          {
            args: fetch('--include', 'core/v1', '--no-generate'),
            want: { lockfileChanged: false },
          },
        ],
      },
    },
    {
      name: 'fetch --no-generate --crds after a fetch: the CRD step writes it',
      given: {
        crds: true,
        steps: [
          { args: fetch('--include', 'core/v1', '--no-generate') },
          { args: fetch('--no-generate', '--crds', 'crds'), want: { lockfileChanged: true } },
        ],
      },
    },
    {
      name: 'fetch once a recorded CRD set changed: the download changes nothing, the CRD step does',
      given: {
        crds: true,
        steps: [
          { args: fetch('--include', 'core/v1', '--crds', 'crds') },
          { args: fetch(), remove: 'crds/nested/gadgets.json', want: { lockfileChanged: true } },
          { args: fetch(), want: { lockfileChanged: false } },
        ],
      },
    },
    {
      name: 'generate: options recorded, then a no-op',
      given: {
        steps: [
          { args: fetch('--include', 'core/v1') },
          { args: ['generate', '--no-docs'], want: { lockfileChanged: true } },
          { args: ['generate'], want: { lockfileChanged: false } },
        ],
      },
    },
    {
      name: 'generate --crds: the first run, a CRD set that changed, then a no-op',
      given: {
        crds: true,
        steps: [
          { args: ['generate', '--crds', 'crds'], want: { lockfileChanged: true } },
          {
            args: ['generate', '--crds', 'crds'],
            remove: 'crds/nested/gadgets.json',
            want: { lockfileChanged: true },
          },
          { args: ['generate', '--crds', 'crds'], want: { lockfileChanged: false } },
        ],
      },
    },
    {
      name: 'check never writes it',
      given: {
        steps: [
          { args: fetch('--include', 'core/v1') },
          { args: ['check', '--no-docs'], want: { lockfileChanged: false, code: 1 } },
          { args: ['check'], want: { lockfileChanged: false } },
        ],
      },
    },
  ]
  it.each(rows)('$name', async ({ given }) => {
    const dir = await projects.project()
    if (given.crds === true) await cp(FIXTURE_CRDS, join(dir, 'crds'), { recursive: true })
    const cacheDir = join(dir, '.cache')
    const lockfile = join(dir, 'k8s-codegen.lock.json')
    for (const step of given.steps) {
      if (step.remove !== undefined) await rm(join(dir, step.remove))
      const before = await readFile(lockfile, 'utf8').catch(() => undefined)
      const args = step.args.map((a) => (a === '<kubeconfig>' ? projects.kubeconfig() : a))
      const run = await runMain([...args, '--json'], { cwd: dir, cacheDir })
      expect(run.code, `${args.join(' ')}\n${run.stdout}${run.stderr}`).toBe(step.want?.code ?? 0)
      if (step.want === undefined) continue
      const after = await readFile(lockfile, 'utf8').catch(() => undefined)
      const summary = JSON.parse(run.stdout) as { lockfileChanged: unknown }
      // The field says what the file shows.
      expect(after !== before, step.args.join(' ')).toBe(step.want.lockfileChanged)
      expect(summary.lockfileChanged, step.args.join(' ')).toBe(step.want.lockfileChanged)
    }
  })
})
