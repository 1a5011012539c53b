// The Prometheus Operator's own example resources, as typed literals checked against the types
// `generate --crds` makes from its CRDs (see ../README.md). Each literal cites its source file in
// prometheus-operator/prometheus-operator at 6adcebc5076c; every `@ts-expect-error` is a mistake the
// generated types must catch.
import type { PodMonitor, PrometheusRule, ServiceMonitor } from '../k8s/monitoring.coreos.com/v1.js'

// example/user-guides/getting-started/example-app-pod-monitor.yaml, document 0
export const exampleApp: PodMonitor = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: {
    name: 'example-app',
    labels: {
      team: 'frontend',
    },
  },
  spec: {
    selector: {
      matchLabels: {
        app: 'example-app',
      },
    },
    podMetricsEndpoints: [
      {
        port: 'web',
      },
    ],
  },
}

// example/user-guides/getting-started/example-app-service-monitor.yaml, document 0
export const exampleApp2: ServiceMonitor = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: {
    name: 'example-app',
    labels: {
      team: 'frontend',
    },
  },
  spec: {
    selector: {
      matchLabels: {
        app: 'example-app',
      },
    },
    endpoints: [
      {
        port: 'web',
      },
    ],
  },
}

// example/user-guides/alerting/prometheus-example-rules.yaml, document 0
export const prometheusExampleRules: PrometheusRule = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: {
    creationTimestamp: null,
    labels: {
      prometheus: 'example',
      role: 'alert-rules',
    },
    name: 'prometheus-example-rules',
  },
  spec: {
    groups: [
      {
        name: './example.rules',
        rules: [
          {
            alert: 'ExampleAlert',
            expr: 'vector(1)',
          },
        ],
      },
    ],
  },
}

// Mistakes the generated types must catch.
export const wrongScheme: PodMonitor = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  // @ts-expect-error scheme is http | https (in either case)
  spec: { selector: {}, podMetricsEndpoints: [{ port: 'web', scheme: 'ftp' }] },
}

export const noSelector: ServiceMonitor = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  // @ts-expect-error a ServiceMonitor requires its selector
  spec: { endpoints: [{ port: 'web' }] },
}

export const groupWithoutName: PrometheusRule = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  // @ts-expect-error a rule group requires its name
  spec: { groups: [{ rules: [{ alert: 'A', expr: 'vector(1)' }] }] },
}

// A rule's expr is x-kubernetes-int-or-string.
export const numericExpr: PrometheusRule = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  spec: { groups: [{ name: 'g', rules: [{ record: 'one', expr: 1 }] }] },
}
