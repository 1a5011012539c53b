import { recordedProfileDir } from '@k8s-codegen/testkit'
import { describe, expect, it } from 'vitest'

import { generate } from '../src/index.js'
import { recordedInputs } from './_inputs.js'

const dir = recordedProfileDir()
if (dir === undefined) {
  console.warn(
    'recorded.test.ts skipped: ../shared/fixtures/kubernetes is absent (set K8S_CODEGEN_SHARED_DIR)',
  )
}

describe.skipIf(dir === undefined)('generate on the recorded Kubernetes v3 documents', () => {
  it(
    'emits each shared schema once, in the module of its Go package',
    { timeout: 60_000 },
    async () => {
      const { files, warnings, stats } = await generate({
        groupVersions: await recordedInputs(dir ?? ''),
        lockfileHash: 'sha256-recorded',
      })
      expect(warnings).toEqual([])
      expect(stats.groupVersions).toBe(8)
      expect([...files.keys()]).toEqual(
        expect.arrayContaining([
          'core/v1.ts',
          'apps/v1.ts',
          'batch/v1.ts',
          'autoscaling/v2.ts',
          'meta/v1.ts',
          'policy/v1.ts',
          'util/intstr.ts',
          'apiextensions.k8s.io/v1.ts',
          'networking.k8s.io/v1alpha1.ts',
        ]),
      )
      const declarations = [...files.values()].flatMap((c) => [
        ...c.matchAll(/^export (?:interface|type) ObjectMeta\b/gm),
      ])
      expect(declarations).toHaveLength(1)
      expect(files.get('policy/v1.ts')).toMatch(/^export interface Eviction \{/m)
      expect(files.get('apps/v1.ts')).toContain("import type * as $metaV1 from '../meta/v1.js'")
      expect(files.get('apps/v1.ts')).toMatch(
        /^export const Deployment: \$rt\.Resource<\{\n {4}readonly apiVersion: 'apps\/v1';/m,
      )
      expect(files.get('apps/v1.ts')).toContain(
        "= $rt.defineResource<Deployment, DeploymentList>()({ apiVersion: 'apps/v1',",
      )
      expect(files.get('core/v1.ts')).not.toContain('Record<string, never>')
    },
  )
})
