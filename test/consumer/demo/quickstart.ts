// What `npm run demo` type-checks against the repo's generated/ (fetched from the emulator): the
// README's quick start, limited to APIs every profile serves (core/v1, apps/v1).
import * as appsV1 from '@generated/apps/v1.js'
import * as coreV1 from '@generated/core/v1.js'
import type { KubernetesResource } from '@generated/index.js'

export const deployment: appsV1.Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'demo' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }],
            livenessProbe: { httpGet: { port: 80 } },
          },
        ],
      },
    },
  },
}

export const service: coreV1.Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'demo' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
}

export const urls = {
  deployment: appsV1.Deployment.path({ namespace: 'demo', name: 'web' }),
  scale: appsV1.Deployment.path({ namespace: 'demo', name: 'web', subresource: 'scale' }),
  pods: coreV1.Pod.path({ namespace: 'demo' }),
  namespace: coreV1.Namespace.path({ name: 'demo' }),
  proxy: coreV1.Service.proxyPath({ namespace: 'demo', name: 'web', path: '/healthz' }),
}

export const kinds = (objects: KubernetesResource[]): string[] =>
  objects.map((o) => `${o.apiVersion ?? ''}/${o.kind ?? ''}`)
