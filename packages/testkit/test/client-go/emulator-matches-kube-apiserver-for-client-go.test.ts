// client-go against the emulator, judged by the real kube-apiserver: the Go program of
// test/fixtures/client-go-scenarios (client-go v0.37.2, the real server's release) runs each
// scenario against both servers, started with the parity suite's CRDs, and prints a transcript of
// what client-go observed, one fact a line. The transcripts must be equal, except for the steps a
// row names with the simplification of the README table that explains them.
//
// kube-apiserver's transcripts are kept in recorded/<scenario>.txt (vitest file snapshots,
// rewritten with `-u`), so with Go but without the real server the emulator is still compared
// with what kube-apiserver answered. Without Go nothing can run, and the file says so.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startApiServer,
  startRealApiServer,
  type ApiServer,
  type RealApiServer,
} from '../../src/index.js'
import { buildGoFixture } from '../_go-build.js'
import { kubeApiserver, parityCrdFiles } from '../server-parity/_servers.js'
import { simplificationRows } from '../server-parity/_simplifications.js'

interface Row {
  given: { scenario: string }
  /** The steps whose lines differ, and the README simplifications that explain them. */
  want?: { differences: string[]; simplifications: string[] }
}

// The built-in Deployment's validation and the strategic merge patch's list order are documented
// simplifications; so is the JSON answer to a client asking for protobuf.
const builtInDeployment = {
  differences: ['create deployment with replicas -1', 'strategic merge patch 3 of web'],
  simplifications: ['validation is the OpenAPI schema only', 'strategic merge patch list order'],
}
const rows: Row[] = [
  {
    // The recorded profile is Kubernetes 1.36's: its /version says so.
    given: { scenario: 'discovery' },
    want: { differences: ['ServerVersion'], simplifications: ['discovery and built-in documents'] },
  },
  { given: { scenario: 'typed-json' }, want: builtInDeployment },
  {
    given: { scenario: 'typed-protobuf' },
    want: {
      differences: [...builtInDeployment.differences, 'exchange'].sort(),
      simplifications: [...builtInDeployment.simplifications, 'protobuf request bodies only'],
    },
  },
  {
    given: { scenario: 'dynamic' },
    want: {
      differences: ['UpdateStatus w-1', 'create w-1', 'list with a malformed continue'],
      simplifications: ['managed fields approximate', 'error texts'],
    },
  },
  { given: { scenario: 'apply' } },
  {
    // kube-apiserver answers the metadata client in protobuf, whose list items have no TypeMeta.
    given: { scenario: 'metadata' },
    want: {
      differences: ['metadata list limit 2'],
      simplifications: ['protobuf request bodies only'],
    },
  },
  { given: { scenario: 'controller' } },
  { given: { scenario: 'informers-watch-list' } },
  { given: { scenario: 'informers-list-watch' } },
]

const program = buildGoFixture('client-go-scenarios')
if (typeof program !== 'string') console.warn(`skipping the client-go scenarios: ${program.skip}`)
const real = kubeApiserver()
if (typeof program === 'string' && real.skip !== undefined)
  console.warn(
    `client-go scenarios: ${real.skip}; comparing the emulator with recorded transcripts`,
  )

/** A scenario's transcript: the program's output, or the line saying how it failed. */
function transcript(binary: string, scenario: string, kubeconfig: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, [scenario, kubeconfig], { timeout: 120_000 }, (error, out, err) => {
      if (error !== null) reject(new Error(`${scenario} failed: ${err}\n${out}`, { cause: error }))
      else resolve(out)
    })
  })
}

/** The lines one transcript has more often than the other, `-` kube-apiserver's, `+` ours. */
function differingLines(emulated: string, reference: string): string[] {
  const count = (text: string): Map<string, number> => {
    const lines = new Map<string, number>()
    for (const line of text.split('\n').filter(Boolean)) lines.set(line, (lines.get(line) ?? 0) + 1)
    return lines
  }
  const [ours, theirs] = [count(emulated), count(reference)]
  const out: string[] = []
  for (const [sign, a, b] of [
    ['-', theirs, ours],
    ['+', ours, theirs],
  ] as const)
    for (const [line, n] of a) if ((b.get(line) ?? 0) < n) out.push(`${sign} ${line}`)
  return out
}

/** The steps (a line's text before its first `:`) of the differing lines. */
function stepsOf(lines: string[]): string[] {
  return [...new Set(lines.map((line) => line.slice(2).split(':')[0] ?? line))].sort()
}

describe.skipIf(typeof program !== 'string')('client-go against the emulator', () => {
  let emulated: ApiServer
  let live: RealApiServer | undefined
  const kubeconfigs: { emulator?: string; live?: string } = {}
  beforeAll(async () => {
    ;[emulated, live] = await Promise.all([
      startApiServer({ profile: 'recorded', crds: parityCrdFiles }),
      real.skip === undefined ? startRealApiServer({ crds: parityCrdFiles }) : undefined,
    ])
    kubeconfigs.emulator = await emulated.kubeconfig()
    if (live !== undefined) kubeconfigs.live = await live.kubeconfig()
  }, 180_000)
  afterAll(async () => {
    await Promise.all([emulated?.close(), live?.close()])
  })

  it.each(rows)('$given.scenario', { timeout: 240_000 }, async ({ given, want }) => {
    const binary = program as string
    const recorded = new URL(`./recorded/${given.scenario}.txt`, import.meta.url)
    const [ours, theirs] = await Promise.all([
      transcript(binary, given.scenario, kubeconfigs.emulator as string),
      kubeconfigs.live === undefined
        ? undefined
        : transcript(binary, given.scenario, kubeconfigs.live),
    ])
    let reference: string
    if (theirs !== undefined) {
      await expect(theirs).toMatchFileSnapshot(recorded.pathname)
      reference = theirs
    } else if (existsSync(recorded)) {
      reference = readFileSync(recorded, 'utf8')
    } else {
      expect.fail(
        `no kube-apiserver (${real.skip}) and no recorded transcript ${recorded.pathname}`,
      )
    }
    const differing = differingLines(ours, reference)
    expect(stepsOf(differing), differing.join('\n')).toEqual(want?.differences ?? [])
    for (const simplification of want?.simplifications ?? [])
      expect(simplificationRows.some((row) => row.startsWith(`| ${simplification}`))).toBe(true)
  })
})
