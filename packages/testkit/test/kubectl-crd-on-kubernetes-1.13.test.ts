import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kubectlMinor, runKubectl, type KubectlResult, succeeding } from './_kubectl.js'
import { startApiServer, type ApiServer } from '../src/index.js'

// A CRD written the 1.13 way (apiextensions.k8s.io/v1beta1: `version`, a spec-wide `validation`
// schema without types, `JSONPath` columns) created through the API of the kubernetes-1.13
// profile — the profile an empty project gets — then served, applied again, and deleted, with
// kubectl as the judge; nothing here needs ../shared. `--validate=false`: the CRD leaves `scope`
// out to see the server default it, and kubectl's own validation, from the profile's
// /openapi/v2, refuses that first (1.13's v1beta1 CustomResourceDefinitionSpec lists `scope` as
// required: `missing required field "scope"`), as it would against a real 1.13 server.
const minor = kubectlMinor()
if (minor === undefined) console.warn('skipping kubectl 1.13 CRD tests: kubectl is not on PATH')

const work = mkdtempSync(join(tmpdir(), 'testkit-kubectl-crd-113-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const crd = `apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  name: gizmos.old.example.dev
spec:
  group: old.example.dev
  version: v1
  names: { plural: gizmos, kind: Gizmo, shortNames: [gz] }
  additionalPrinterColumns:
    - { name: Size, type: integer, JSONPath: .spec.size }
  validation:
    openAPIV3Schema:
      properties:
        spec:
          properties:
            size: { type: integer, maximum: 5 }
`

const cr = (size: number): string => `apiVersion: old.example.dev/v1
kind: Gizmo
metadata: { name: first, namespace: default }
spec: { size: ${size} }
`

describe.skipIf(minor === undefined)(
  'a v1beta1 CRD through kubectl on the kubernetes-1.13 profile',
  () => {
    let server: ApiServer
    let kubeconfig = ''
    const kubectl = (args: string[]): Promise<KubectlResult> => runKubectl(kubeconfig, work, args)
    const ok = succeeding(kubectl)

    beforeAll(async () => {
      server = await startApiServer({ profile: 'kubernetes-1.13' })
      kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
      writeFileSync(join(work, 'crd.yaml'), crd)
      writeFileSync(join(work, 'cr.yaml'), cr(3))
      writeFileSync(join(work, 'too-big.yaml'), cr(9))
    })
    afterAll(() => server.close())

    it('apply, wait Established, read it back defaulted, serve its custom resources, apply again, delete', async () => {
      const apply = ['apply', '--validate=false', '-f']
      expect(await ok([...apply, join(work, 'crd.yaml')])).toBe(
        'customresourcedefinition.apiextensions.k8s.io/gizmos.old.example.dev created\n',
      )
      expect(
        await ok([
          'wait',
          '--for',
          'condition=established',
          '--timeout=20s',
          'crd/gizmos.old.example.dev',
        ]),
      ).toBe('customresourcedefinition.apiextensions.k8s.io/gizmos.old.example.dev condition met\n')
      // v1beta1's defaults as 1.13 set them.
      const spec = JSON.parse(
        await ok(['get', 'crd', 'gizmos.old.example.dev', '-o', 'jsonpath={.spec}']),
      ) as Record<string, unknown>
      expect(spec).toMatchObject({
        scope: 'Namespaced',
        names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo', listKind: 'GizmoList' },
        versions: [{ name: 'v1', served: true, storage: true }],
        conversion: { strategy: 'None' },
      })
      expect(await ok([...apply, join(work, 'cr.yaml')])).toBe(
        'gizmo.old.example.dev/first created\n',
      )
      // The CRD's spec-wide schema validates, and its spec-wide printer column is the Table's.
      const tooBig = await kubectl([...apply, join(work, 'too-big.yaml')])
      expect(tooBig.code).not.toBe(0)
      expect(tooBig.stderr).toContain('spec.size in body should be less than or equal to 5')
      expect((await ok(['get', 'gizmos'])).split('\n').map((line) => line.split(/\s+/))).toEqual([
        ['NAME', 'SIZE'],
        ['first', '3'],
        [''],
      ])
      expect((await ok(['get', 'gz', '-o', 'name'])).trim()).toBe('gizmo.old.example.dev/first')
      expect(await ok([...apply, join(work, 'crd.yaml')])).toBe(
        'customresourcedefinition.apiextensions.k8s.io/gizmos.old.example.dev unchanged\n',
      )
      expect(await ok(['delete', '-f', join(work, 'crd.yaml')])).toBe(
        'customresourcedefinition.apiextensions.k8s.io "gizmos.old.example.dev" deleted\n',
      )
      expect((await ok(['get', 'crd', '-o', 'name'])).trim()).toBe('')
    })
  },
)
