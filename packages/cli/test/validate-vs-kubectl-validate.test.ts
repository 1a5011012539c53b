import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

import { installKubectlValidate, kubectlValidateMissing } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// kubectl-validate (sigs.k8s.io/kubectl-validate v0.0.4) is the judge of `validate -o json`'s
// shape: on the same files and the same schemas (its embedded Kubernetes 1.30 built-ins as our
// --specs-dir, the corpus CRDs as its --local-crds and our --crds) both print the same bytes.
// Where they differ on purpose (a core kind's group, which kubectl-validate renames `core`; an
// unknown field, which it reports as a 422 where the server sends a warning or, under
// fieldValidation=Strict, a 400; a built-in kind's value of the wrong JSON type, `replicas:
// three`, which it reports as a 422 where the server's Go decoder answers a 400), the real
// kube-apiserver is followed and no row is here.
// Needs Go: kubectl-validate is built with `go install` into node_modules/.cache (or taken from
// $K8S_CODEGEN_KUBECTL_VALIDATE); skipped, saying so, without Go.
const missing = kubectlValidateMissing()
if (missing !== undefined) console.warn(`validate-vs-kubectl-validate skipped: ${missing}`)
const binDir = fileURLToPath(new URL('../node_modules/.cache/kubectl-validate', import.meta.url))

const CERT_MANAGER = fileURLToPath(new URL('corpus/crds/cert-manager', import.meta.url))
const certificate = (name: string, spec: string): string =>
  `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: ${name}, namespace: default}\nspec:\n${spec}`
const deployment = (replicas: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n`

let dir: string
let binary: string
let builtins: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-validate-oracle-'))
  if (missing !== undefined) return
  const kubectlValidate = installKubectlValidate(binDir)
  binary = kubectlValidate.binary
  builtins = join(kubectlValidate.moduleDir, 'pkg', 'openapiclient', 'builtins', '1.30')
}, 1_600_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe.skipIf(missing !== undefined)(
  'validate -o json prints what kubectl-validate prints',
  () => {
    const rows: { name: string; given: Record<string, string> }[] = [
      {
        name: 'valid and invalid custom resources, several documents and files',
        given: {
          'm/a.yaml': `${certificate('web', '  secretName: web-tls\n  dnsNames: [example.com]\n  issuerRef: {name: le, kind: ClusterIssuer}\n')}---\n${certificate('Web_1', '  issuerRef: {name: le}\n  duration: 5\n')}`,
          'm/b.yaml': certificate(
            'b',
            '  secretName: s\n  issuerRef: {name: x}\n  renewBefore: 1h\n',
          ),
        },
      },
      {
        name: 'kinds no schema has: a group-version and a kind unknown',
        given: {
          'm/u.yaml':
            'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: x}\n---\napiVersion: cert-manager.io/v1\nkind: Nope\nmetadata: {name: n}\n',
        },
      },
      {
        name: "a custom resource's namespace is checked when its CRD is namespaced, not when cluster-scoped",
        given: {
          'm/s.yaml': `${certificate('web', '  secretName: web-tls\n  issuerRef: {name: le}\n').replace('namespace: default', 'namespace: Bad_NS')}---\napiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: le, namespace: Not_A_Namespace}\nspec: {selfSigned: {}}\n`,
        },
      },
      {
        name: 'built-in kinds from the same documents',
        given: {
          'm/d.yaml': `${deployment('3')}---\n${deployment('3').replace('  selector: {matchLabels: {app: web}}\n', '')}`,
        },
      },
    ]
    it.each(rows)('$name', async ({ name, given }) => {
      const cwd = join(dir, name.replace(/\W+/g, '-'))
      for (const [path, content] of Object.entries(given)) {
        await mkdir(join(cwd, path, '..'), { recursive: true })
        await writeFile(join(cwd, path), content)
      }
      const theirs = await promisify(execFile)(
        binary,
        ['m', '--local-crds', CERT_MANAGER, '--version', '1.30', '-o', 'json'],
        { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd } },
      ).catch((error: { stdout: string }) => error)
      const ours = await runMain(
        ['validate', 'm', '--crds', CERT_MANAGER, '--specs-dir', builtins, '-o', 'json'],
        { cwd, cacheDir: join(cwd, '.cache') },
      )
      expect(ours.stdout).toBe(theirs.stdout)
    })
  },
)
