import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// A lockfile's `--crds` set and a cluster that serves the same CRDs (README "One lockfile,
// several sources"). The user's flow: `generate --crds` offline, then `fetch` from a cluster
// where those CRDs are installed, into the same lockfile: the group-versions the lockfile records
// as the set's stay the set's (the CRD files win), as they do on a v3 cluster (a real
// kube-apiserver 1.37 included) — a v2 cluster (the emulator's kubernetes-1.13 profile, whose
// one /openapi/v2 document serves every path) refused them. The reverse (`fetch`, then
// `generate --crds` of CRDs the cluster serves) is a new source colliding with the cluster:
// refused, `--crds-override` resolves it. A recorded set that comes to claim a group-version it
// did not own (a CRD file added to it) is refused naming the two commands that resolve it, as
// this run's `--crds-override` does not reach a set the run did not name.
const FIXTURES = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
const THINGS = fileURLToPath(
  new URL('../../testkit/test/fixtures/crds/things.yaml', import.meta.url),
)
const CONFLICT = '[K8S_CODEGEN_OPENAPI_CRD_CONFLICT]'

let dir: string
let server: ApiServer
let kubeconfig: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-crd-set-cluster-'))
  server = await startApiServer({ profile: 'kubernetes-1.13', crds: [FIXTURES, THINGS] })
  kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig'))
}, 60_000)

afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

type Step = string[] | 'add things.yaml to crds'

interface Row {
  given: string
  /** Run in order in a fresh project holding `crds/`; the last must give `want`. */
  steps: Step[]
  want: { code: number; stderr: string }
}

const fetch = (): string[] => ['fetch', '--kubeconfig', kubeconfig]
const generateCrds: Step = ['generate', '--crds', 'crds']
// Evaluated in the test, once the server's kubeconfig is written.
const rows = (added: Step[] = [generateCrds, fetch(), 'add things.yaml to crds']): Row[] => [
  {
    given: 'generate --crds, then fetch: the set keeps its group-versions',
    steps: [generateCrds, fetch()],
    want: { code: 0, stderr: '' },
  },
  {
    given: 'generate --crds, fetch, then generate and fetch again',
    steps: [generateCrds, fetch(), ['generate'], fetch()],
    want: { code: 0, stderr: '' },
  },
  {
    given: 'fetch, then generate --crds: refused, naming --crds-override',
    steps: [fetch(), generateCrds],
    want: {
      code: 1,
      stderr: `k8s-codegen generate: error: the base /openapi/v2 document already serves /apis/example.dev/v1/gadgets; pass --crds-override to replace it with the CRD ${CONFLICT}\n`,
    },
  },
  {
    given: 'fetch, then generate --crds --crds-override, then fetch again',
    steps: [fetch(), [...generateCrds, '--crds-override'], fetch()],
    want: { code: 0, stderr: '' },
  },
  {
    given: 'a recorded set that comes to claim a group-version the cluster serves',
    steps: [...added, ['generate']],
    want: {
      code: 1,
      stderr:
        'k8s-codegen generate: error: the base /openapi/v2 document already serves /apis/test.dev/v1/knobs; ' +
        'the lockfile records this --crds set (crds), so --crds-override on this run does not apply to it: ' +
        'in <dir>, run `k8s-codegen generate --crds crds --crds-override` to use the CRD files, or ' +
        `\`k8s-codegen generate --no-crds\` to use what the cluster serves ${CONFLICT}\n`,
    },
  },
  {
    given: 'the first remedy: the CRD files win, and fetch again works',
    steps: [...added, ['generate'], [...generateCrds, '--crds-override'], fetch()],
    want: { code: 0, stderr: '' },
  },
  {
    given: 'the second remedy: the cluster wins, and fetch again works',
    steps: [...added, ['generate'], ['generate', '--no-crds'], fetch()],
    want: { code: 0, stderr: '' },
  },
]

describe('a lockfile CRD set meets a cluster serving the same CRDs', () => {
  it('in both orders', { timeout: 300_000 }, async () => {
    for (const [i, row] of rows().entries()) {
      const project = join(dir, `project-${i}`)
      await cp(FIXTURES, join(project, 'crds'), { recursive: true })
      let last = { code: -1, stdout: '', stderr: '' }
      for (const step of row.steps) {
        if (step === 'add things.yaml to crds') {
          await cp(THINGS, join(project, 'crds', 'things.yaml'))
          continue
        }
        last = await runMain(step, {
          cwd: project,
          env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') },
        })
      }
      expect({ given: row.given, code: last.code, stderr: last.stderr }).toEqual({
        given: row.given,
        code: row.want.code,
        stderr: row.want.stderr.replace('<dir>', project),
      })
    }
  })

  it(
    'after generate --crds and fetch, the lockfile locks the set’s documents',
    { timeout: 120_000 },
    async () => {
      const project = join(dir, 'project-owned')
      await cp(FIXTURES, join(project, 'crds'), { recursive: true })
      const env = { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') }
      expect((await runMain(['generate', '--crds', 'crds'], { cwd: project, env })).code).toBe(0)
      const offline = JSON.parse(
        await readFile(join(project, 'k8s-codegen.lock.json'), 'utf8'),
      ) as {
        groupVersions: Record<string, unknown>
      }
      expect((await runMain(fetch(), { cwd: project, env })).code).toBe(0)
      const fetched = JSON.parse(
        await readFile(join(project, 'k8s-codegen.lock.json'), 'utf8'),
      ) as {
        source: string
        groupVersions: Record<string, { hash?: string }>
        crds?: { groupVersions: string[] }[]
      }
      expect({
        source: fetched.source,
        owned: fetched.crds?.[0]?.groupVersions,
        cluster: Object.keys(fetched.groupVersions).includes('api/v1'),
      }).toEqual({
        source: 'v2',
        owned: ['apis/example.dev/v1', 'apis/example.dev/v1beta1'],
        cluster: true,
      })
      expect(Object.keys(offline.groupVersions).sort()).toEqual(fetched.crds?.[0]?.groupVersions)
    },
  )
})
