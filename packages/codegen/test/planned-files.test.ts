// What the CLI checks `--out` for before it generates: every planned file must be one the
// generation writes, on real documents (the recorded Kubernetes ones, the CRD corpus), in both
// emit modes — a planned file the generator does not write would refuse a run that would succeed.
import { recordedProfileDir } from '@k8s-codegen/testkit'
import { describe, expect, it } from 'vitest'

import { generate, plannedFiles } from '../src/index.js'
import { exampleDevV1, recordedInputs } from './_inputs.js'

describe('plannedFiles', () => {
  it.each([
    { given: { gvs: [], emit: 'ts' as const }, want: ['index.ts'] },
    { given: { gvs: [], emit: 'js' as const }, want: ['index.js', 'index.d.ts'] },
    {
      given: {
        gvs: [
          { group: 'example.dev', version: 'v1' },
          { group: '', version: 'v1' },
          { group: 'apps', version: 'v1' },
        ],
        emit: 'ts' as const,
      },
      want: ['index.ts', 'core/v1.ts', 'apps/v1.ts', 'example.dev/v1.ts'],
    },
    {
      given: { gvs: [{ group: 'apps', version: 'v1' }], emit: 'js' as const },
      want: ['index.js', 'index.d.ts', 'apps/v1.js', 'apps/v1.d.ts'],
    },
    // An undotted group outside Kubernetes (an aggregated API named `meta`) may share a path with
    // an apimachinery module, and a name the path rules change is placed by the generator: neither
    // is planned.
    { given: { gvs: [{ group: 'meta', version: 'v1' }], emit: 'ts' as const }, want: ['index.ts'] },
    {
      given: { gvs: [{ group: 'x.dev', version: 'v1.beta' }], emit: 'ts' as const },
      want: ['index.ts'],
    },
  ])('$given.emit $given.gvs → $want', ({ given, want }) => {
    expect(plannedFiles(given.gvs, given.emit)).toEqual(want)
  })

  const dir = recordedProfileDir()
  if (dir === undefined)
    console.warn(
      'planned-files.test.ts: the generation check skipped: ../shared/fixtures/kubernetes is absent (set K8S_CODEGEN_SHARED_DIR)',
    )
  it.skipIf(dir === undefined)(
    'plans only files the generation writes (recorded Kubernetes documents and a CRD, ts and js)',
    { timeout: 120_000 },
    async () => {
      const groupVersions = [...(await recordedInputs(dir ?? '')), exampleDevV1()]
      for (const emit of ['ts', 'js'] as const) {
        const { files } = await generate({
          groupVersions,
          lockfileHash: 'sha256-planned',
          options: { emit },
        })
        const planned = plannedFiles(groupVersions, emit)
        expect(planned.length).toBe((groupVersions.length + 1) * (emit === 'js' ? 2 : 1))
        expect([...files.keys()]).toEqual(expect.arrayContaining(planned))
      }
    },
  )
})
