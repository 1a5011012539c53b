// kubectl-validate (sigs.k8s.io/kubectl-validate v0.0.4, the SIG CLI tool this package stands in
// for) judges the built-in rows of _built-ins.ts: given the same shipped 1.37 documents
// (`--local-schemas`) and its own hand-written patches (`--schema-patches`, its
// pkg/openapiclient/patches/1.23), it gives the same causes for every row not said to differ.
// Needs Go: the tool is built with `go install` into node_modules/.cache (fast once built);
// skipped, saying so, without Go.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeKubeVersion, loadBuiltInDocument } from '@k8s-codegen/kube-schemas'
import { installKubectlValidate, kubectlValidateMissing } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateObject, type StatusCause } from '../src/index.js'
import { builtInRows } from './_built-ins.js'
import { sortedCauses } from './_widgets.js'

const missing = kubectlValidateMissing()
if (missing !== undefined) console.warn(`kubectl-validate-parity: skipped, ${missing}`)

const cacheDir = fileURLToPath(new URL('../node_modules/.cache/kubectl-validate', import.meta.url))

describe.skipIf(missing !== undefined)(
  'built-in kinds: validateObject agrees with kubectl-validate',
  () => {
    let work: string
    // File name → the Status kubectl-validate printed for its one document.
    let answers: Record<string, { details?: { causes?: StatusCause[] } }[]>

    beforeAll(() => {
      const kubectlValidate = installKubectlValidate(cacheDir)

      work = mkdtempSync(join(tmpdir(), 'kubectl-validate-parity-'))
      const schemas = join(work, 'schemas')
      for (const gv of describeKubeVersion('1.37').groupVersions) {
        const file = gv.includes('/')
          ? join(schemas, 'apis', `${gv}.json`)
          : join(schemas, 'api', `${gv}.json`)
        mkdirSync(join(file, '..'), { recursive: true })
        writeFileSync(file, JSON.stringify(loadBuiltInDocument('1.37', gv)))
      }
      const manifests = join(work, 'manifests')
      mkdirSync(manifests)
      builtInRows.forEach((row, i) =>
        writeFileSync(join(manifests, `row-${i}.json`), JSON.stringify(row.given)),
      )
      // A closed local port as its cluster, and no kubeconfig: it falls back to its own embedded
      // 1.30 schemas for group-versions not given, and never reaches a network.
      const run = spawnSync(
        kubectlValidate.binary,
        [
          manifests,
          '--local-schemas',
          schemas,
          '--schema-patches',
          join(kubectlValidate.moduleDir, 'pkg', 'openapiclient', 'patches', '1.23'),
          '--version',
          '1.30',
          '--kube-server',
          'https://127.0.0.1:1',
          '--output',
          'json',
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, HOME: work, KUBECONFIG: join(work, 'none') },
          timeout: 120_000,
        },
      )
      // It exits 1 when a document is invalid, as most rows are; JSON on stdout is its answer.
      if (!run.stdout.startsWith('{')) throw new Error(`kubectl-validate failed: ${run.stderr}`)
      answers = JSON.parse(run.stdout) as typeof answers
    }, 1_800_000)
    afterAll(() => {
      if (work !== undefined) rmSync(work, { recursive: true, force: true })
    })

    const theirs = (i: number): StatusCause[] | undefined => {
      const [status] =
        Object.entries(answers).find(([path]) => path.endsWith(`row-${i}.json`))?.[1] ?? []
      const causes = status?.details?.causes
      return causes === undefined ? undefined : sortedCauses(causes)
    }
    const ours = (i: number): StatusCause[] | undefined => {
      const row = builtInRows[i]
      const causes = validateObject(
        loadBuiltInDocument('1.37', row?.given.apiVersion ?? '') ?? {},
        row?.given,
      )?.details.causes
      return causes === undefined ? undefined : sortedCauses(causes)
    }
    const rows = builtInRows.map((row, i) => ({ ...row, i }))

    it.each(rows.filter((row) => row.kubectlValidate === undefined))(
      '$given.kind $given.metadata',
      ({ i }) => {
        expect(ours(i)).toEqual(theirs(i))
      },
    )

    it.each(rows.filter((row) => row.kubectlValidate !== undefined))(
      '$given.kind $given.metadata: kubectl-validate answers otherwise ($kubectlValidate)',
      ({ i }) => {
        expect(ours(i)).not.toEqual(theirs(i))
      },
    )
  },
)
