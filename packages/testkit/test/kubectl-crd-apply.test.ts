import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kubectlMinor, runKubectl, type KubectlResult, succeeding } from './_kubectl.js'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'

// The workflow of a project with CRDs: `kubectl apply -f crds/` against a running emulator,
// `kubectl wait --for condition=established`, then its custom resources through kubectl, which
// finds them through discovery (crd-controller.ts). kubectl is the judge.
const minor = kubectlMinor()
if (minor === undefined) console.warn('skipping kubectl CRD apply tests: kubectl is not on PATH')
if (recordedProfileDir() === undefined)
  console.warn('skipping kubectl CRD apply tests: ../shared/fixtures/kubernetes is absent')

const work = mkdtempSync(join(tmpdir(), 'testkit-kubectl-crd-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gizmos.later.example.dev
spec:
  group: later.example.dev
  scope: Namespaced
  names: { plural: gizmos, singular: gizmo, kind: Gizmo, shortNames: [gz] }
  versions:
    - name: v1
      served: true
      storage: true
      additionalPrinterColumns:
        - { name: Size, type: integer, jsonPath: .spec.size }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              description: What a gizmo should be.
              properties:
                size: { type: integer, description: How big the gizmo is. }
`

const cr = `apiVersion: later.example.dev/v1
kind: Gizmo
metadata: { name: first, namespace: default }
spec: { size: 3 }
`

describe.skipIf(minor === undefined || recordedProfileDir() === undefined)(
  'kubectl apply of a CRD against a running emulator',
  () => {
    let server: ApiServer
    let kubeconfig = ''
    const kubectl = (args: string[]): Promise<KubectlResult> => runKubectl(kubeconfig, work, args)
    const ok = succeeding(kubectl)

    beforeAll(async () => {
      server = await startApiServer()
      kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
      writeFileSync(join(work, 'crd.yaml'), crd)
      writeFileSync(join(work, 'cr.yaml'), cr)
      // Discovery cached before the CRD exists, as a shell that ran kubectl before would have it.
      await ok(['api-resources'])
    })
    afterAll(() => server.close())

    it('apply, wait Established, apply a custom resource, get, explain, delete', async () => {
      expect(await ok(['apply', '-f', join(work, 'crd.yaml')])).toBe(
        'customresourcedefinition.apiextensions.k8s.io/gizmos.later.example.dev created\n',
      )
      expect(
        await ok([
          'wait',
          '--for',
          'condition=established',
          '--timeout=20s',
          'crd/gizmos.later.example.dev',
        ]),
      ).toBe(
        'customresourcedefinition.apiextensions.k8s.io/gizmos.later.example.dev condition met\n',
      )
      expect(await ok(['apply', '-f', join(work, 'cr.yaml')])).toBe(
        'gizmo.later.example.dev/first created\n',
      )
      // The CRD's printer columns (no Age: it names columns of its own).
      expect((await ok(['get', 'gizmos'])).split('\n').map((line) => line.split(/\s+/))).toEqual([
        ['NAME', 'SIZE'],
        ['first', '3'],
        [''],
      ])
      expect((await ok(['get', 'gz', '-o', 'name'])).trim()).toBe('gizmo.later.example.dev/first')
      expect(await ok(['explain', 'gizmo.spec.size'])).toContain('How big the gizmo is.')
      expect(await ok(['delete', '-f', join(work, 'crd.yaml')])).toBe(
        'customresourcedefinition.apiextensions.k8s.io "gizmos.later.example.dev" deleted\n',
      )
      const after = await kubectl(['get', 'gizmos'])
      expect(after.code).not.toBe(0)
      // kubectl's discovery cache still names the resource, whose list is then 404.
      expect(after.stderr).toMatch(
        /the server could not find the requested resource|the server doesn't have a resource type "gizmos"/,
      )
    })
  },
)
