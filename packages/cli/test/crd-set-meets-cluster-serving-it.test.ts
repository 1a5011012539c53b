import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// A lockfile's `--crds` set and a cluster that serves the same CRDs are two sources of one
// group-version (README "One lockfile, several sources"): the run refuses rather than let the
// last source win silently. The user's flow: `generate --crds` offline, then `fetch` from a
// cluster where those CRDs are installed (or the reverse). A pre-1.24 cluster (the emulator's
// kubernetes-1.13 profile, OpenAPI v2) serves the CRDs' paths in its one /openapi/v2 document.
// Each refusal must name a command that resolves it, and that command must work.
const FIXTURES = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
const CONFLICT = '[K8S_CODEGEN_OPENAPI_CRD_CONFLICT]'
const TAKEN = 'the base /openapi/v2 document already serves /apis/example.dev/v1/gadgets'

let dir: string
let server: ApiServer
let kubeconfig: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-crd-set-cluster-'))
  server = await startApiServer({ profile: 'kubernetes-1.13', crds: [FIXTURES] })
  kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig'))
}, 60_000)

afterAll(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

interface Row {
  given: string
  /** Run in order in a fresh project holding `crds/`; the last must give `want`. */
  runs: string[][]
  want: { code: number; stderr: string | RegExp }
}

const fetch = (): string[] => ['fetch', '--kubeconfig', kubeconfig]

const rows = (): Row[] => [
  {
    given: 'generate --crds, then fetch: refused, naming the commands that resolve it',
    runs: [['generate', '--crds', 'crds'], fetch()],
    want: {
      code: 1,
      stderr:
        `k8s-codegen fetch: error: ${TAKEN}; the lockfile records this --crds set (crds), so ` +
        '--crds-override on this run does not apply to it: in <dir>, run ' +
        '`k8s-codegen generate --crds crds --crds-override` to use the CRD files, or ' +
        `\`k8s-codegen generate --no-crds\` to use what the cluster serves ${CONFLICT}\n`,
    },
  },
  {
    given:
      'generate --crds, fetch, then the first remedy: the CRD files win, and fetch again works',
    runs: [
      ['generate', '--crds', 'crds'],
      fetch(),
      ['generate', '--crds', 'crds', '--crds-override'],
      fetch(),
    ],
    want: { code: 0, stderr: '' },
  },
  {
    given:
      'generate --crds, fetch, then the second remedy: the cluster wins, and fetch again works',
    runs: [['generate', '--crds', 'crds'], fetch(), ['generate', '--no-crds'], fetch()],
    want: { code: 0, stderr: '' },
  },
  {
    given: 'fetch, then generate --crds: refused, naming --crds-override',
    runs: [fetch(), ['generate', '--crds', 'crds']],
    want: {
      code: 1,
      stderr: `k8s-codegen generate: error: ${TAKEN}; pass --crds-override to replace it with the CRD ${CONFLICT}\n`,
    },
  },
  {
    given: 'fetch, then generate --crds --crds-override, then fetch again',
    runs: [fetch(), ['generate', '--crds', 'crds', '--crds-override'], fetch()],
    want: { code: 0, stderr: '' },
  },
]

describe('a lockfile CRD set meets a cluster serving the same CRDs', () => {
  it('refuses with a remedy that works, in both orders', { timeout: 300_000 }, async () => {
    for (const [i, row] of rows().entries()) {
      const project = join(dir, `project-${i}`)
      await cp(FIXTURES, join(project, 'crds'), { recursive: true })
      let last = { code: -1, stdout: '', stderr: '' }
      for (const args of row.runs) {
        last = await runMain(args, {
          cwd: project,
          env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') },
        })
      }
      const want =
        typeof row.want.stderr === 'string'
          ? row.want.stderr.replace('<dir>', project)
          : row.want.stderr
      expect({ given: row.given, code: last.code, stderr: last.stderr }).toEqual({
        given: row.given,
        code: row.want.code,
        stderr: want,
      })
    }
  })
})
