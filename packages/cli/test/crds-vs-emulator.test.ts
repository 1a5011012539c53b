import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { recordedProfileDir, startApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { CORPUS_CRDS, cliIn, generatedFiles } from './_crd-cli.js'

// `generate --crds` (the product's conversion, no cluster) must write exactly what `fetch`
// writes against the emulator serving the same CRDs (the emulator's own conversion) on the same
// baseline: the fetched cluster without the CRDs. Every file is compared byte for byte except
// the one header line naming the lockfile's hash (the two lockfiles hash different bytes: the
// server's serialization and discovery lists versus ours) and the manifest that records it.
//
// What only a CRD says (`crdFacts`: deprecation warnings, printer columns) `generate --crds`
// reads from the files and `fetch` from the cluster's CustomResourceDefinition objects, which
// the emulator stores as a 1.36 server does: there the output is equal with the facts. A 1.13
// server has no apiextensions.k8s.io/v1 to read them from, so there the documents and discovery
// lists are compared by generating once more from the --crds lockfile without its crdFacts, and
// the facts account for exactly the files that still differ.
const CRDS = CORPUS_CRDS
// The modules whose CRDs have a deprecated version or printer columns: every CRD group-version
// but monitoring.coreos.com/v1 (the Prometheus Operator CRDs of the corpus declare no columns).
const FILES_WITH_FACTS = [
  'acme.cert-manager.io/v1.ts',
  'apiextensions.crossplane.io/v1.ts',
  'apiextensions.crossplane.io/v1alpha1.ts',
  'apiextensions.crossplane.io/v1beta1.ts',
  'cert-manager.io/v1.ts',
  'cluster.x-k8s.io/v1beta1.ts',
  'cluster.x-k8s.io/v1beta2.ts',
  'eventing.keda.sh/v1alpha1.ts',
  'example.dev/v1.ts',
  'example.dev/v1beta1.ts',
  'forklift.konveyor.io/v1beta1.ts',
  'gateway.networking.k8s.io/v1.ts',
  'gateway.networking.k8s.io/v1beta1.ts',
  'groupsnapshot.storage.k8s.io/v1.ts',
  'groupsnapshot.storage.k8s.io/v1beta1.ts',
  'groupsnapshot.storage.k8s.io/v1beta2.ts',
  'ipam.cluster.x-k8s.io/v1alpha1.ts',
  'ipam.cluster.x-k8s.io/v1beta1.ts',
  'ipam.cluster.x-k8s.io/v1beta2.ts',
  'keda.sh/v1alpha1.ts',
  'pkg.crossplane.io/v1.ts',
  'pkg.crossplane.io/v1beta1.ts',
  'snapshot.storage.k8s.io/v1.ts',
  'source.toolkit.fluxcd.io/v1.ts',
]
let dir: string

const cli = (args: string[]): ReturnType<typeof cliIn> => cliIn(dir, args)
const files = generatedFiles

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crds-vs-emulator-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const profiles = [
  ...(recordedProfileDir() === undefined
    ? []
    : [{ profile: 'recorded', openapi: 'v3', crdObjects: true }]),
  { profile: 'kubernetes-1.13', openapi: 'v2 only, as a pre-1.24 server', crdObjects: false },
]

describe.each(profiles)(
  'generate --crds equals fetch from the emulator ($profile, $openapi)',
  ({ profile, crdObjects }) => {
    it('writes byte-identical TypeScript', { timeout: 300_000 }, async () => {
      const base = await startApiServer({ profile })
      try {
        const kubeconfig = await base.kubeconfig(join(dir, `${profile}-base.kubeconfig`))
        const run = await cli([
          'fetch',
          '--kubeconfig',
          kubeconfig,
          '--out',
          `${profile}/base/k8s`,
          '--lockfile',
          `${profile}/base/k8s-codegen.lock.json`,
          '--no-generate',
        ])
        expect(run.code, run.stderr).toBe(0)
      } finally {
        await base.close()
      }
      const withCrds = await startApiServer({ profile, crds: CRDS })
      try {
        const kubeconfig = await withCrds.kubeconfig(join(dir, `${profile}-crds.kubeconfig`))
        const run = await cli([
          'fetch',
          '--kubeconfig',
          kubeconfig,
          '--out',
          `${profile}/fetched/k8s`,
          '--lockfile',
          `${profile}/fetched/k8s-codegen.lock.json`,
        ])
        expect(run.code, run.stderr).toBe(0)
      } finally {
        await withCrds.close()
      }
      const started = performance.now()
      const generated = await cli([
        'generate',
        '--crds',
        ...CRDS,
        '--base',
        `${profile}/base/k8s-codegen.lock.json`,
        '--out',
        `${profile}/generated/k8s`,
        '--lockfile',
        `${profile}/generated/k8s-codegen.lock.json`,
      ])
      const seconds = (performance.now() - started) / 1000
      expect(generated.code, generated.stderr).toBe(0)
      expect(generated.stdout).toContain('read 51 CRDs from 51 files')
      const fetched = await files(join(dir, profile, 'fetched/k8s'))
      const full = await files(join(dir, profile, 'generated/k8s'))
      expect([...full.keys()].sort()).toEqual([...fetched.keys()].sort())
      expect(fetched.has('forklift.konveyor.io/v1beta1.ts')).toBe(true)
      expect(fetched.has('example.dev/v1beta1.ts')).toBe(true)
      if (crdObjects) {
        for (const [path, text] of fetched) expect(full.get(path), path).toBe(text)
        console.log(
          `${profile}: generate --crds (51 CRDs) on the fetched base in ${seconds.toFixed(2)} s; ${fetched.size} files identical`,
        )
        return
      }
      const lockfile = JSON.parse(
        await readFile(join(dir, profile, 'generated/k8s-codegen.lock.json'), 'utf8'),
      ) as { groupVersions: Record<string, { crdFacts?: unknown }> }
      const withFacts = Object.keys(lockfile.groupVersions).filter(
        (key) => lockfile.groupVersions[key]?.crdFacts !== undefined,
      )
      for (const key of withFacts) delete lockfile.groupVersions[key]?.crdFacts
      await writeFile(
        join(dir, profile, 'without-facts.lock.json'),
        `${JSON.stringify(lockfile, null, 2)}\n`,
      )
      const plain = await cli([
        'generate',
        '--lockfile',
        `${profile}/without-facts.lock.json`,
        '--out',
        `${profile}/plain/k8s`,
      ])
      expect(plain.code, plain.stderr).toBe(0)
      const converted = await files(join(dir, profile, 'plain/k8s'))
      expect([...converted.keys()].sort()).toEqual([...fetched.keys()].sort())
      for (const [path, text] of fetched) expect(converted.get(path), path).toBe(text)
      // With its facts, `generate --crds` differs from `fetch` exactly in the modules of the
      // group-versions whose CRDs deprecate the version or declare printer columns.
      const differing = [...fetched.keys()].filter((path) => full.get(path) !== fetched.get(path))
      expect(differing.sort()).toEqual(FILES_WITH_FACTS)
      expect(withFacts).toContain('apis/monitoring.coreos.com/v1')
      console.log(
        `${profile}: generate --crds (51 CRDs) on the fetched base in ${seconds.toFixed(2)} s; ${fetched.size} files identical without the CRD facts`,
      )
    })
  },
)
