import { describe, expect, it } from 'vitest'
import { defaultBuiltIn } from '../src/builtin-defaults.js'

// The rules of kubernetes pkg/apis/*/v*/defaults.go that are not constants, one row each; the
// server-parity table `builtInDefaults` compares whole objects with kube-apiserver.
const container = (fields: Record<string, unknown>): Record<string, unknown> => ({
  name: 'c',
  ...fields,
})
const pod = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec,
})
const podKind = { group: '', version: 'v1', kind: 'Pod' }
const defaulted = (
  kind: { group: string; version: string; kind: string },
  object: Record<string, unknown>,
): Record<string, unknown> => {
  const copy = structuredClone(object)
  defaultBuiltIn(kind, copy)
  return copy
}
// `expect.objectContaining` is typed `any`: rows hold it as what it matches.
const containing = (fields: Record<string, unknown>): unknown =>
  expect.objectContaining(fields) as unknown
const at = (object: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], object)

describe('defaultBuiltIn', () => {
  // SetDefaults_Container: parsers.ParseImageName's tag.
  it.each([
    { given: 'nginx', want: 'Always' },
    { given: 'nginx:latest', want: 'Always' },
    { given: 'nginx:1.25', want: 'IfNotPresent' },
    { given: 'registry.k8s.io:5000/pause', want: 'Always' },
    { given: 'registry.k8s.io:5000/pause:3.9', want: 'IfNotPresent' },
    { given: 'nginx@sha256:' + 'a'.repeat(64), want: 'IfNotPresent' },
    { given: 'nginx:latest@sha256:' + 'a'.repeat(64), want: 'Always' },
  ])('image $given is pulled $want', ({ given, want }) => {
    const object = defaulted(podKind, pod({ containers: [container({ image: given })] }))
    expect(at(object, 'spec', 'containers', 0, 'imagePullPolicy')).toBe(want)
  })

  it.each([
    {
      given: 'a Pod container with limits only',
      kind: podKind,
      object: pod({
        containers: [container({ image: 'a', resources: { limits: { cpu: '0.5' } } })],
      }),
      path: ['spec', 'containers', 0, 'resources'],
      // SetDefaults_Pod copies limits to requests; SetDefaults_ResourceList writes both canonically.
      want: { limits: { cpu: '500m' }, requests: { cpu: '500m' } },
    },
    {
      given: "a Deployment template's container with limits only",
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      object: {
        spec: {
          template: {
            spec: { containers: [container({ image: 'a', resources: { limits: { cpu: '1' } } })] },
          },
        },
      },
      path: ['spec', 'template', 'spec', 'containers', 0, 'resources'],
      // Requests from limits are a Pod's only (SetDefaults_Pod, not SetDefaults_PodSpec).
      want: { limits: { cpu: '1' } },
    },
    {
      given: 'a host-network Pod port without hostPort',
      kind: podKind,
      object: pod({
        hostNetwork: true,
        containers: [container({ image: 'a', ports: [{ containerPort: 8080 }] })],
      }),
      path: ['spec', 'containers', 0, 'ports', 0],
      want: { containerPort: 8080, hostPort: 8080, protocol: 'TCP' },
    },
    {
      given: 'an ephemeral container',
      kind: podKind,
      object: pod({ containers: [], ephemeralContainers: [container({ image: 'busybox:1' })] }),
      path: ['spec', 'ephemeralContainers', 0],
      want: {
        name: 'c',
        image: 'busybox:1',
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        resources: {},
      },
    },
    {
      given: 'a probe with zero thresholds and a lifecycle HTTP handler',
      kind: podKind,
      object: pod({
        containers: [
          container({
            image: 'a:1',
            livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 0, initialDelaySeconds: 0 },
            lifecycle: { preStop: { httpGet: { port: 80 } } },
          }),
        ],
      }),
      path: ['spec', 'containers', 0],
      want: containing({
        livenessProbe: {
          tcpSocket: { port: 80 },
          initialDelaySeconds: 0,
          timeoutSeconds: 1,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
        },
        lifecycle: { preStop: { httpGet: { port: 80, path: '/', scheme: 'HTTP' } } },
      }),
    },
    {
      given: 'a volume without a source, a projected token and an image volume',
      kind: podKind,
      object: pod({
        containers: [],
        volumes: [
          { name: 'a' },
          { name: 'b', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } },
          { name: 'c', image: { reference: 'quay.io/x/y:latest' } },
        ],
      }),
      path: ['spec', 'volumes'],
      want: [
        { name: 'a', emptyDir: {} },
        {
          name: 'b',
          projected: {
            defaultMode: 420,
            sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }],
          },
        },
        { name: 'c', image: { reference: 'quay.io/x/y:latest', pullPolicy: 'Always' } },
      ],
    },
    {
      given: 'a Job with a per-index backoff limit and a pod failure policy',
      kind: { group: 'batch', version: 'v1', kind: 'Job' },
      object: {
        spec: {
          backoffLimitPerIndex: 1,
          podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'X' }] }] },
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: [] } },
        },
      },
      path: [],
      want: containing({
        metadata: { labels: { a: 'b' } },
        spec: containing({
          completions: 1,
          parallelism: 1,
          backoffLimit: 2147483647,
          podReplacementPolicy: 'Failed',
          podFailurePolicy: {
            rules: [{ action: 'Ignore', onPodConditions: [{ type: 'X', status: 'True' }] }],
          },
        }),
      }),
    },
    {
      // SetDefaults_Job is a Job's: a job template's spec gets only what its types get.
      given: "a CronJob: its job template's pod template is defaulted, not its job spec",
      kind: { group: 'batch', version: 'v1', kind: 'CronJob' },
      object: { spec: { jobTemplate: { spec: { template: { spec: { containers: [] } } } } } },
      path: ['spec'],
      want: {
        concurrencyPolicy: 'Allow',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          spec: {
            template: {
              spec: {
                containers: [],
                dnsPolicy: 'ClusterFirst',
                restartPolicy: 'Always',
                schedulerName: 'default-scheduler',
                securityContext: {},
                terminationGracePeriodSeconds: 30,
              },
            },
          },
        },
      },
    },
    {
      given: 'a NetworkPolicy with egress rules and an unnamed protocol',
      kind: { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
      object: { spec: { egress: [{ ports: [{ port: 53 }] }] } },
      path: ['spec'],
      want: {
        egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }],
        policyTypes: ['Ingress', 'Egress'],
      },
    },
    {
      given: "a RoleBinding's subjects",
      kind: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding' },
      object: {
        roleRef: { kind: 'Role', name: 'r' },
        subjects: [
          { kind: 'User', name: 'u' },
          { kind: 'ServiceAccount', name: 's' },
        ],
      },
      path: [],
      want: {
        roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' },
        subjects: [
          { kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' },
          { kind: 'ServiceAccount', name: 's' },
        ],
      },
    },
    {
      given: 'an autoscaling/v2 HPA without metrics, with a scale-down rule',
      kind: { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
      object: {
        spec: { maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
      },
      path: ['spec'],
      want: {
        maxReplicas: 3,
        minReplicas: 1,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [
              { type: 'Pods', value: 4, periodSeconds: 15 },
              { type: 'Percent', value: 100, periodSeconds: 15 },
            ],
          },
          scaleDown: {
            stabilizationWindowSeconds: 60,
            selectPolicy: 'Max',
            policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
          },
        },
      },
    },
    {
      given: 'a LimitRange item with a max only',
      kind: { group: '', version: 'v1', kind: 'LimitRange' },
      object: {
        spec: { limits: [{ type: 'Container', max: { memory: '1Gi' }, min: { cpu: '0.1' } }] },
      },
      path: ['spec', 'limits', 0],
      want: {
        type: 'Container',
        max: { memory: '1Gi' },
        min: { cpu: '100m' },
        default: { memory: '1Gi' },
        defaultRequest: { memory: '1Gi', cpu: '100m' },
      },
    },
    {
      given: 'a kind without defaulters',
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      object: { data: { a: '1' } },
      path: [],
      want: { data: { a: '1' } },
    },
  ])('$given', ({ kind, object, path, want }) => {
    expect(at(defaulted(kind, object), ...path)).toEqual(want)
  })

  it('is a fixed point: defaulting a defaulted object changes nothing', () => {
    const once = defaulted(
      { group: 'apps', version: 'v1', kind: 'StatefulSet' },
      {
        spec: {
          template: {
            spec: { containers: [container({ image: 'a', ports: [{ containerPort: 1 }] })] },
          },
          volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '1Gi' } } } }],
        },
      },
    )
    expect(defaulted({ group: 'apps', version: 'v1', kind: 'StatefulSet' }, once)).toEqual(once)
  })
})
