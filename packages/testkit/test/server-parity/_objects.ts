// Objects and paths the parity scenarios share.
import type { Answer } from './_scenario.js'

export const configMaps = '/api/v1/namespaces/{ns}/configmaps'
export const deployments = '/apis/apps/v1/namespaces/{ns}/deployments'
export const widgets = '/apis/example.dev/v1/namespaces/{ns}/widgets'
export const databases = '/apis/parity.example.dev/v1/namespaces/{ns}/databases'

export function configMap(
  name: string,
  data: Record<string, string> = { a: '1' },
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, data }
}

export function deployment(name: string, replicas = 1): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }],
        },
      },
    },
  }
}

export function widget(
  name: string,
  spec: Record<string, unknown> = { size: 3 },
): Record<string, unknown> {
  return { apiVersion: 'example.dev/v1', kind: 'Widget', metadata: { name }, spec }
}

export function database(name: string, instances = 2): Record<string, unknown> {
  return {
    apiVersion: 'parity.example.dev/v1',
    kind: 'Database',
    metadata: { name },
    spec: { instances, engine: 'postgres' },
  }
}

/** `metadata` of the object answer `index` (negative: from the last). */
export function metadataOf(answers: Answer[], index: number): Record<string, string> {
  const body = answers.at(index)?.body as { metadata?: Record<string, string> } | undefined
  return body?.metadata ?? {}
}

/** `metadata.resourceVersion` of answer `index` (negative: from the last). */
export function resourceVersionOf(answers: Answer[], index: number): string {
  return metadataOf(answers, index)['resourceVersion'] ?? ''
}
