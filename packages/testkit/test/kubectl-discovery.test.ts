import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kubectlMinor } from './_kubectl.js'
import type { APIGroup, APIResource, APIResourceList } from '../src/index.js'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'
import { get } from './_client.js'

// kubectl is the oracle for discovery: `kubectl api-resources` (which asks /api and /apis for
// aggregated discovery first from 1.26, and reads every group-version's list otherwise) must
// print what the legacy documents say: client-go `discovery.ServerPreferredResources` — each
// resource of a group at the group's preferred version, or at the first version serving it when
// the preferred one does not (clustertrustbundles only in certificates.k8s.io/v1beta1) — with
// the short names, categories, scope, kind and verbs.
const minor = kubectlMinor()
if (minor === undefined) console.warn('skipping kubectl discovery tests: kubectl is not on PATH')

const CRDS = [
  fileURLToPath(new URL('fixtures/crds', import.meta.url)),
  fileURLToPath(new URL('fixtures/crds-preferred', import.meta.url)),
]
const work = mkdtempSync(join(tmpdir(), 'testkit-kubectl-discovery-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

// `kubectl api-resources -o wide` prints aligned columns, some of them empty: cut each row at
// the header's column starts.
function table(text: string): string[][] {
  const [header = '', ...rows] = text.trimEnd().split('\n')
  const starts = [...header.matchAll(/\S+/g)].map((m) => m.index)
  return rows
    .map((row) => starts.map((s, i) => row.slice(s, starts[i + 1] ?? row.length).trim()))
    .sort((a, b) => (a.join(' ') < b.join(' ') ? -1 : 1))
}

describe.skipIf(minor === undefined || recordedProfileDir() === undefined)(
  'kubectl api-resources against the emulator',
  () => {
    let server: ApiServer
    let kubeconfig = ''
    beforeAll(async () => {
      server = await startApiServer({ crds: CRDS })
      kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
    })
    afterAll(async () => {
      await server.close()
    })

    it('prints what the legacy documents list, from one aggregated request per root', async () => {
      const json = async <T>(path: string): Promise<T> =>
        JSON.parse((await get(server, path)).body.toString('utf8')) as T
      const expected: string[][] = []
      const add = (resources: APIResource[], apiVersion: string): void => {
        for (const r of resources.filter((x) => !x.name.includes('/'))) {
          expected.push([
            r.name,
            (r.shortNames ?? []).join(','),
            apiVersion,
            String(r.namespaced),
            r.kind,
            r.verbs.join(','),
            (r.categories ?? []).join(','),
          ])
        }
      }
      add((await json<APIResourceList>('/api/v1')).resources, 'v1')
      for (const group of (await json<{ groups: APIGroup[] }>('/apis')).groups) {
        const chosen = new Map<string, { resource: APIResource; groupVersion: string }>()
        for (const { groupVersion } of group.versions) {
          const list = await json<APIResourceList>(`/apis/${groupVersion}`)
          for (const resource of list.resources) {
            const preferred = groupVersion === group.preferredVersion.groupVersion
            if (chosen.has(resource.name) && !preferred) continue
            chosen.set(resource.name, { resource, groupVersion })
          }
        }
        for (const { resource, groupVersion } of chosen.values()) add([resource], groupVersion)
      }
      expected.sort((a, b) => (a.join(' ') < b.join(' ') ? -1 : 1))

      server.clearRequests()
      const printed = await new Promise<string>((resolve, reject) => {
        execFile(
          'kubectl',
          [
            '--kubeconfig',
            kubeconfig,
            '--cache-dir',
            join(work, 'cache'),
            'api-resources',
            '-o',
            'wide',
          ],
          { encoding: 'utf8', timeout: 60_000 },
          (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(stderr))),
        )
      })
      expect(table(printed)).toEqual(expected)
      // pref.dev stores v1alpha1 but prefers v1 (the highest version).
      expect(table(printed).find((row) => row[0] === 'gizmos')?.[2]).toBe('pref.dev/v1')
      if ((minor ?? 0) >= 26) {
        // Aggregated discovery answered both roots: no group-version list was read.
        const discovery = server.requests.filter((r) => r.path !== '/version')
        expect(discovery.map((r) => `${r.status} ${r.path}`).sort()).toEqual([
          '200 /api',
          '200 /apis',
        ])
        for (const r of discovery) expect(r.headers['accept']).toContain('as=APIGroupDiscoveryList')
      }
    })
  },
)
