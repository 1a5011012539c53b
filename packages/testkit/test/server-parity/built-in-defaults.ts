// Built-in kinds as kube-apiserver defaults them, judged on manifests we did not write: every
// document of the Kubernetes website's examples in ../fixtures/website-examples (PROVENANCE.md
// there) created with `?dryRun=All`, so the answer is the object as decoded, defaulted, admitted
// and validated, and nothing is stored. A manifest's own `metadata.namespace` (`default`,
// `kube-system`, `qos-example`) is dropped: the scenario's namespace takes its place.
import { readdirSync, readFileSync } from 'node:fs'
import { parseAllDocuments } from 'yaml'
import type { ParityRow } from './_scenario.js'

const examples = new URL('../fixtures/website-examples/', import.meta.url)

// The collection of each kind the corpus holds: its resource and whether it is namespaced
// (kube-apiserver discovery).
const resources: Record<string, { resource: string; namespaced: boolean }> = {
  ConfigMap: { resource: 'configmaps', namespaced: true },
  LimitRange: { resource: 'limitranges', namespaced: true },
  PersistentVolume: { resource: 'persistentvolumes', namespaced: false },
  PersistentVolumeClaim: { resource: 'persistentvolumeclaims', namespaced: true },
  Pod: { resource: 'pods', namespaced: true },
  ReplicationController: { resource: 'replicationcontrollers', namespaced: true },
  ResourceQuota: { resource: 'resourcequotas', namespaced: true },
  Secret: { resource: 'secrets', namespaced: true },
  Service: { resource: 'services', namespaced: true },
  DaemonSet: { resource: 'daemonsets', namespaced: true },
  Deployment: { resource: 'deployments', namespaced: true },
  ReplicaSet: { resource: 'replicasets', namespaced: true },
  StatefulSet: { resource: 'statefulsets', namespaced: true },
  HorizontalPodAutoscaler: { resource: 'horizontalpodautoscalers', namespaced: true },
  Job: { resource: 'jobs', namespaced: true },
  CronJob: { resource: 'cronjobs', namespaced: true },
  Ingress: { resource: 'ingresses', namespaced: true },
  IngressClass: { resource: 'ingressclasses', namespaced: false },
  NetworkPolicy: { resource: 'networkpolicies', namespaced: true },
  PodDisruptionBudget: { resource: 'poddisruptionbudgets', namespaced: true },
  ClusterRole: { resource: 'clusterroles', namespaced: false },
  Role: { resource: 'roles', namespaced: true },
  RoleBinding: { resource: 'rolebindings', namespaced: true },
  StorageClass: { resource: 'storageclasses', namespaced: false },
}

/** One document of the corpus: where it comes from and the object it holds. */
export interface WebsiteExample {
  /** `<path under content/en/examples>#<document index>`. */
  source: string
  object: Record<string, unknown>
  /** The collection to create it in (`{ns}` for the scenario's namespace). */
  path: string
}

/** Every document of the corpus, in file order. */
export function websiteExamples(): WebsiteExample[] {
  const files = readdirSync(examples, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.yaml'))
    .sort()
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(new URL(file, examples), 'utf8'))
      .map((document) => document.toJS() as unknown)
      .filter((object): object is Record<string, unknown> => isRecord(object))
      .map((object, index) => ({
        source: `${file}#${index}`,
        object: withoutNamespace(object),
        path: collectionOf(object, file),
      })),
  )
}

function collectionOf(object: Record<string, unknown>, file: string): string {
  const apiVersion = String(object['apiVersion'])
  const kind = String(object['kind'])
  const known = resources[kind]
  if (known === undefined) throw new Error(`${file}: no collection known for ${apiVersion} ${kind}`)
  const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`
  return known.namespaced
    ? `${prefix}/namespaces/{ns}/${known.resource}`
    : `${prefix}/${known.resource}`
}

function withoutNamespace(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = isRecord(object['metadata']) ? { ...object['metadata'] } : {}
  delete metadata['namespace']
  return { ...object, metadata }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// Where the emulator still answers otherwise, by source (README simplifications row "no
// defaulting of …").
const differing: Record<string, string[]> = {}

// Who owns the defaults: an apply's configuration is not defaulted (the merged object is, owned
// by no one); an update's and a patch's body is (its writer owns them).
const owners = (): ParityRow => {
  const example = websiteExamples().find((e) => e.source === 'controllers/nginx-deployment.yaml#0')
  if (example === undefined)
    throw new Error('controllers/nginx-deployment.yaml is not in the corpus')
  const { object, path } = example
  const named = `${path}/nginx-deployment`
  return {
    given: {
      name: 'a website Deployment applied, replaced, patched and applied again: who owns its defaults',
      steps: [
        {
          method: 'PATCH',
          path: `${named}?fieldManager=applier`,
          contentType: 'application/apply-patch+yaml',
          body: object,
        },
        {
          method: 'PUT',
          path: `${named}?fieldManager=replacer`,
          body: object,
        },
        {
          method: 'PATCH',
          path: `${named}?fieldManager=patcher`,
          contentType: 'application/merge-patch+json',
          body: {
            spec: {
              template: {
                spec: {
                  containers: [
                    { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] },
                  ],
                },
              },
            },
          },
        },
        {
          method: 'PATCH',
          path: `${named}?fieldManager=applier`,
          contentType: 'application/apply-patch+yaml',
          body: object,
        },
      ],
    },
  }
}

export const builtInDefaults: ParityRow[] = [
  owners(),
  ...websiteExamples().map(({ source, object, path }) => {
    const differences = differing[source]
    return {
      given: {
        name: `${String(object['kind'])} ${source} created with dryRun is defaulted`,
        steps: [{ method: 'POST', path: `${path}?dryRun=All`, body: object }],
      },
      ...(differences === undefined
        ? {}
        : { want: { simplifications: ['defaulting of built-in kinds'], differences } }),
    }
  }),
]
