// Objects as real tools print them, typed as written: `kubectl create deployment web
// --image=nginx --dry-run=client -o json` (kubectl 1.32; `creationTimestamp: null` twice, empty
// objects), YAML with an empty `annotations:` (null), and a list as kube-apiserver sends it
// (built-in list items come without apiVersion and kind).
import type * as appsV1 from '@generated/apps/v1.js'
import type * as coreV1 from '@generated/core/v1.js'

export const dryRunDeployment: appsV1.Deployment = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: {
    name: 'web',
    creationTimestamp: null,
    labels: {
      app: 'web',
    },
  },
  spec: {
    replicas: 1,
    selector: {
      matchLabels: {
        app: 'web',
      },
    },
    template: {
      metadata: {
        creationTimestamp: null,
        labels: {
          app: 'web',
        },
      },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx',
            resources: {},
          },
        ],
      },
    },
    strategy: {},
  },
  status: {},
}

// metadata:
//   name: settings
//   annotations:
export const emptyAnnotations: coreV1.ConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', annotations: null },
  data: { mode: 'fast' },
}

export const podList: coreV1.PodList = {
  apiVersion: 'v1',
  kind: 'PodList',
  metadata: { resourceVersion: '42' },
  items: [{ metadata: { name: 'web-0', namespace: 'shop' }, spec: { containers: [] } }],
}

export function names(list: coreV1.PodList): string[] {
  return list.items.map((pod) => pod.metadata?.name ?? '')
}
