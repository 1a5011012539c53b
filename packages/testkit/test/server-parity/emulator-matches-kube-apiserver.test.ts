// One scenario suite, two servers: every row runs against the emulator and against a real
// kube-apiserver, and their normalised transcripts (_normalise.ts) must be equal except where the
// row names the differences and the simplification of the README table that explains them.
//
// The real server's transcripts are also kept in recorded/<table>/<scenario>.json (vitest file
// snapshots, rewritten with `-u` when the real server answers otherwise), so without Go or a
// built apiserver the emulator is still compared with what kube-apiserver answered.
import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { differingParts, runScenario, type ParityServer } from './_scenario.js'
import { emulator, kubeApiserver } from './_servers.js'
import { simplificationRows } from './_simplifications.js'
import { parityTables } from './_tables.js'

const real = kubeApiserver()
if (real.skip !== undefined)
  console.warn(`server parity: ${real.skip}; comparing the emulator with recorded transcripts`)

let emulated: ParityServer
let live: ParityServer | undefined
beforeAll(async () => {
  ;[emulated, live] = await Promise.all([
    emulator.start(),
    real.skip === undefined ? real.start() : undefined,
  ])
}, 180_000)
// What a run saw, printed at the end (never asserted: a timing is not a test result).
const summary = { scenarios: 0, identical: 0, emulatorMs: 0, kubeApiserverMs: 0 }
afterAll(async () => {
  await Promise.all([emulated?.close(), live?.close()])
  const against =
    live === undefined
      ? 'recorded transcripts'
      : `kube-apiserver ${Math.round(summary.kubeApiserverMs)} ms`
  console.info(
    `server parity: ${summary.scenarios} scenarios, ${summary.identical} identical; emulator ${Math.round(summary.emulatorMs)} ms, ${against}`,
  )
})

describe.each(Object.entries(parityTables))('%s', (table, rows) => {
  it.each(rows)('$given.name', async ({ given, want }) => {
    const namespace = `parity-${++summary.scenarios}`
    const recorded = new URL(`./recorded/${table}/${slug(given.name)}.json`, import.meta.url)
    let started = performance.now()
    const emulatorTranscript = await runScenario(emulated, given, namespace)
    summary.emulatorMs += performance.now() - started
    let reference: unknown
    if (live !== undefined) {
      started = performance.now()
      reference = await runScenario(live, given, namespace)
      summary.kubeApiserverMs += performance.now() - started
      await expect(`${JSON.stringify(reference, null, 2)}\n`).toMatchFileSnapshot(recorded.pathname)
    } else if (existsSync(recorded)) {
      reference = JSON.parse(readFileSync(recorded, 'utf8'))
    } else {
      expect.fail(
        `no kube-apiserver (${real.skip}) and no recorded transcript ${recorded.pathname}`,
      )
    }
    const found = differingParts(emulatorTranscript, reference)
    if (found.length === 0) summary.identical++
    expect(found).toEqual(want?.differences ?? [])
    for (const simplification of want?.simplifications ?? [])
      expect(simplificationRows.some((row) => row.startsWith(`| ${simplification}`))).toBe(true)
  })
})

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}
