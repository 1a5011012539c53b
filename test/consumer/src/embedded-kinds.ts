// A kind used as a field of another object is written without apiVersion and kind: the Kubernetes
// website's StatefulSet example (kubernetes/website content/en/examples/application/web/web.yaml,
// shown on the StatefulSet concept page), whose `volumeClaimTemplates` items are
// PersistentVolumeClaims with only metadata and spec.
import type * as appsV1 from '@generated/apps/v1.js'
import type * as coreV1 from '@generated/core/v1.js'

export const nginxService: coreV1.Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'nginx', labels: { app: 'nginx' } },
  spec: { ports: [{ port: 80, name: 'web' }], clusterIP: 'None', selector: { app: 'nginx' } },
}

export const web: appsV1.StatefulSet = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    serviceName: 'nginx',
    replicas: 3,
    minReadySeconds: 10,
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        terminationGracePeriodSeconds: 10,
        containers: [
          {
            name: 'nginx',
            image: 'registry.k8s.io/nginx-slim:0.24',
            ports: [{ containerPort: 80, name: 'web' }],
            volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }],
          },
        ],
      },
    },
    volumeClaimTemplates: [
      {
        metadata: { name: 'www' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'my-storage-class',
          resources: { requests: { storage: '1Gi' } },
        },
      },
    ],
  },
}

// Written out, an embedded kind may still say what it is; when it does, it says it exactly.
export const explicitTemplate: NonNullable<appsV1.StatefulSetSpec['volumeClaimTemplates']> = [
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' } },
]
