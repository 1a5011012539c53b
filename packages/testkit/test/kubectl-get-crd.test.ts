import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { kubectlMinor, runKubectl } from './_kubectl.js'
import { recordedProfileDir, startApiServer, type StartApiServerOptions } from '../src/index.js'

// kubectl is the oracle: `kubectl get crd` lists the CRDs a server was started with, whatever
// the version of its apiextensions group — v1 on the recorded profile, v1beta1 only on
// kubernetes-1.13, whose CRDs are then held in that form (a 1.13 kube-apiserver had no
// apiextensions.k8s.io/v1: it came in 1.16).
const minor = kubectlMinor()
if (minor === undefined) console.warn('skipping kubectl get crd: kubectl is not on PATH')

const CRDS = [fileURLToPath(new URL('fixtures/crds', import.meta.url))]
const work = mkdtempSync(join(tmpdir(), 'testkit-kubectl-get-crd-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

interface Row {
  given: NonNullable<StartApiServerOptions['profile']>
  want: { names: string; kind: string; apiVersion: string }
}

const rows: Row[] = [
  {
    given: 'kubernetes-1.13',
    want: {
      names:
        'customresourcedefinition.apiextensions.k8s.io/knobs.test.dev\ncustomresourcedefinition.apiextensions.k8s.io/things.test.dev\n',
      kind: 'Thing',
      apiVersion: 'apiextensions.k8s.io/v1beta1',
    },
  },
  ...(recordedProfileDir() === undefined
    ? []
    : [
        {
          given: 'recorded',
          want: {
            names:
              'customresourcedefinition.apiextensions.k8s.io/knobs.test.dev\ncustomresourcedefinition.apiextensions.k8s.io/things.test.dev\n',
            kind: 'Thing',
            apiVersion: 'apiextensions.k8s.io/v1',
          },
        } satisfies Row,
      ]),
]

describe.skipIf(minor === undefined)('kubectl get crd against the emulator', () => {
  it.each(rows)('lists the CRDs of profile $given', async ({ given, want }) => {
    const server = await startApiServer({ profile: given, crds: CRDS })
    try {
      const kubeconfig = await server.kubeconfig(join(work, `kubeconfig-${String(given)}`))
      const dir = join(work, String(given))
      const names = await runKubectl(kubeconfig, dir, ['get', 'crd', '-o', 'name'])
      const table = await runKubectl(kubeconfig, dir, ['get', 'crd'])
      const one = await runKubectl(kubeconfig, dir, [
        'get',
        'crd',
        'things.test.dev',
        '-o',
        'jsonpath={.apiVersion} {.spec.names.kind}',
      ])
      expect({
        names: names.stdout,
        table: table.stdout.split('\n').map((line) => line.split(/\s+/)[0]),
        one: one.stdout,
        stderr: names.stderr + table.stderr + one.stderr,
      }).toEqual({
        names: want.names,
        table: ['NAME', 'knobs.test.dev', 'things.test.dev', ''],
        one: `${want.apiVersion} ${want.kind}`,
        stderr: '',
      })
    } finally {
      await server.close()
    }
  })
})
