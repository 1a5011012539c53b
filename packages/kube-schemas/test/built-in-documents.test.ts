import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  defaultKubeVersion,
  describeKubeVersion,
  KubeSchemasError,
  kubeVersions,
  loadBuiltInDocument,
} from '../src/index.js'

const schemaOf = (kubeVersion: string, groupVersion: string, name: string): unknown =>
  loadBuiltInDocument(kubeVersion, groupVersion)?.components.schemas[name]

describe('shipped versions', () => {
  it('ships the last four minors up to 1.37, oldest first; the newest is the default', () => {
    expect(kubeVersions()).toEqual(['1.34', '1.35', '1.36', '1.37'])
    expect(defaultKubeVersion()).toBe('1.37')
  })

  it.each([
    { given: '1.37', want: '1.37.2' },
    { given: 'v1.37', want: '1.37.2' },
    { given: '1.37.0', want: '1.37.2' },
    { given: '1.34', want: '1.34.4' },
  ])('$given is the $want release', ({ given, want }) => {
    expect(describeKubeVersion(given).release).toBe(want)
    expect(describeKubeVersion(given).source).toMatch(/^k8s\.io\/kubernetes@v1\.\d+\.\d+ /)
  })

  it.each(['1.20', '1.38', 'latest', '', '1'])(
    '%j is a coded error naming the known versions',
    (given) => {
      expect(() => loadBuiltInDocument(given, 'v1')).toThrow(
        expect.objectContaining({
          code: 'K8S_CODEGEN_KUBE_SCHEMAS_UNKNOWN_VERSION',
          message: `no built-in schemas are shipped for Kubernetes version ${JSON.stringify(given)}: known versions are 1.34, 1.35, 1.36, 1.37`,
        }),
      )
      expect(() => describeKubeVersion(given)).toThrow(KubeSchemasError)
    },
  )
})

describe('version parsing', () => {
  it('names a shipped minor with or without a leading v and with any patch', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kubeVersions()),
        fc.boolean(),
        fc.option(fc.nat({ max: 99 }), { nil: undefined }),
        (minor, v, patch) => {
          const given = `${v ? 'v' : ''}${minor}${patch === undefined ? '' : `.${patch}`}`
          expect(describeKubeVersion(given)).toEqual(describeKubeVersion(minor))
        },
      ),
    )
  })

  it('refuses anything else with the coded error', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^v?\d+\.\d+(\.\d+)?$/.test(s)),
        (given) => {
          expect(() => describeKubeVersion(given)).toThrow(
            expect.objectContaining({ code: 'K8S_CODEGEN_KUBE_SCHEMAS_UNKNOWN_VERSION' }),
          )
        },
      ),
    )
  })
})

describe('documents', () => {
  it.each([
    { given: ['1.37', 'v1'], want: true },
    { given: ['1.37', 'apps/v1'], want: true },
    { given: ['1.34', 'batch/v1'], want: true },
    { given: ['1.37', 'example.com/v1'], want: false },
    { given: ['1.37', 'apps'], want: false },
    // Removed in 1.25: a release serves only what its apiserver served.
    { given: ['1.37', 'policy/v1beta1'], want: false },
  ])('$given served: $want', ({ given: [version = '', gv = ''], want }) => {
    expect(loadBuiltInDocument(version, gv) !== undefined).toBe(want)
    expect(describeKubeVersion(version).groupVersions.includes(gv)).toBe(want)
  })

  it('keeps what validation reads and drops descriptions and patch strategies', () => {
    expect(schemaOf('1.37', 'v1', 'io.k8s.api.core.v1.Container')).toMatchObject({
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', default: '' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
          items: { $ref: '#/components/schemas/io.k8s.api.core.v1.ContainerPort' },
        },
      },
    })
    const text = JSON.stringify(loadBuiltInDocument('1.37', 'v1'))
    for (const dropped of ['"description"', 'x-kubernetes-patch-strategy', '"paths"'])
      expect(text).not.toContain(dropped)
  })

  it.each([
    { given: ['v1', 'io.k8s.api.core.v1.Pod'], want: 'Namespaced' },
    { given: ['v1', 'io.k8s.api.core.v1.Namespace'], want: 'Cluster' },
    { given: ['apps/v1', 'io.k8s.api.apps.v1.Deployment'], want: 'Namespaced' },
    { given: ['rbac.authorization.k8s.io/v1', 'io.k8s.api.rbac.v1.ClusterRole'], want: 'Cluster' },
    // Served under no path of its own: no scope.
    { given: ['v1', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status'], want: undefined },
  ])('$given[1] is $want', ({ given: [gv = '', name = ''], want }) => {
    const schema = schemaOf('1.37', gv, name) as Record<string, unknown>
    expect(schema['x-kubectl-validate-scope']).toBe(want)
  })

  it('returns the same parsed document to every caller', () => {
    expect(loadBuiltInDocument('1.36', 'apps/v1')).toBe(loadBuiltInDocument('v1.36', 'apps/v1'))
  })
})
