// Real-world style manifests and helpers written against the generated output.
import type { LabelSelector } from '@k8s-codegen/client'
import * as appsV1 from '@generated/apps/v1.js'
import type * as autoscalingV2 from '@generated/autoscaling/v2.js'
import * as batchV1 from '@generated/batch/v1.js'
import * as coreV1 from '@generated/core/v1.js'
import * as exampleDevV1 from '@generated/example.dev/v1.js'
import { registry, type KubernetesResource } from '@generated/index.js'

const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'shop' }

export const deployment: appsV1.Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels },
  spec: {
    replicas: 3,
    selector: { matchLabels: labels },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'ghcr.io/example/web:1.2.3',
            ports: [{ name: 'http', containerPort: 8080 }],
            resources: {
              requests: { cpu: '100m', memory: '128Mi' },
              limits: { cpu: 1, memory: '256Mi' },
            },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
            livenessProbe: { tcpSocket: { port: 8080 } },
            env: [
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
          },
        ],
      },
    },
  },
}

export const service: coreV1.Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
}

export const pod: coreV1.Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' } }

export const cronJob: batchV1.CronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'nightly-report', namespace: 'shop' },
  spec: {
    schedule: '0 3 * * *',
    concurrencyPolicy: 'Forbid',
    jobTemplate: {
      spec: {
        backoffLimit: 2,
        template: {
          spec: {
            restartPolicy: 'OnFailure',
            containers: [{ name: 'report', image: 'ghcr.io/example/report:1' }],
          },
        },
      },
    },
  },
}

export const hpa: autoscalingV2.HorizontalPodAutoscaler = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ],
  },
}

export const widget: exampleDevV1.Widget = {
  apiVersion: 'example.dev/v1',
  kind: 'Widget',
  metadata: { name: 'w1', namespace: 'shop' },
  spec: {
    size: '10Gi',
    replicas: 2,
    config: { anything: { nested: [1, 'two', { three: true }] } },
    template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seed' }, data: { a: 'b' } },
  },
}

/** Container images of any workload. */
export function images(resource: KubernetesResource): string[] {
  if (resource.kind === 'Deployment') {
    return resource.spec?.template.spec?.containers.map((c) => c.image ?? '') ?? []
  }
  if (resource.kind === 'CronJob') {
    const containers = resource.spec?.jobTemplate.spec?.template.spec?.containers ?? []
    return containers.map((c) => c.image ?? '')
  }
  if (resource.kind === 'Pod') return resource.spec?.containers.map((c) => c.image ?? '') ?? []
  return []
}

/** The REST paths a controller for these objects would call. */
export const paths = {
  deployments: appsV1.Deployment.path({ namespace: 'shop' }),
  scale: appsV1.Deployment.path({ namespace: 'shop', name: 'web', subresource: 'scale' }),
  jobs: batchV1.Job.path(),
  node: coreV1.Node.path({ name: 'node-1', subresource: 'status' }),
  widgetStatus: exampleDevV1.Widget.path({ namespace: 'shop', name: 'w1', subresource: 'status' }),
  serviceProxy: coreV1.Service.proxyPath({
    namespace: 'shop',
    name: 'web',
    port: 'http',
    path: '/metrics',
  }),
} as const

export const scalePath: '/apis/apps/v1/namespaces/shop/deployments/web/scale' = paths.scale

export function descriptorFor(
  resource: KubernetesResource,
): (typeof registry)[keyof typeof registry] | undefined {
  const key = `${resource.apiVersion ?? ''}/${resource.kind ?? ''}`
  return key in registry ? registry[key as keyof typeof registry] : undefined
}

// A Deployment's selector, as written, is a selector the client takes: the generated
// LabelSelectorRequirement keeps `key` and `operator` required, as kube-apiserver does.
export const deploymentSelector: LabelSelector | undefined = deployment.spec?.selector
