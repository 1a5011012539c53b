// Bench input of `npm run bench:client` (consumer tsc cost): ours.ts's program written with
// @kubernetes/client-node as its README shows (typed APIs for built-ins, CustomObjectsApi and a
// hand-written interface for the custom resource, which it types as `any`).
import {
  AppsV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type V1Deployment,
  type V1Scale,
} from '@kubernetes/client-node'

interface Widget {
  apiVersion: 'example.dev/v1'
  kind: 'Widget'
  metadata?: { name?: string; namespace?: string; resourceVersion?: string }
  spec?: { size: number | string; replicas?: number; labels?: Record<string, string> }
}

const group = 'example.dev'
const version = 'v1'
const plural = 'widgets'

// Resolves with what the first events showed, once `enough` says so.
function watchUntil<T>(
  kc: KubeConfig,
  path: string,
  describe: (type: string, object: T) => string,
  enough: (type: string, object: T) => boolean,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const seen: string[] = []
    const aborting = new Watch(kc).watch(
      path,
      {},
      (type: string, object: T) => {
        if (type === 'BOOKMARK') return
        seen.push(describe(type, object))
        if (enough(type, object)) {
          void aborting.then((controller) => controller.abort())
          resolve(seen)
        }
      },
      (error: unknown) => (error ? reject(error as Error) : resolve(seen)),
    )
  })
}

export async function rollout(namespace: string): Promise<string[]> {
  const kc = new KubeConfig()
  kc.loadFromDefault()
  kc.setCurrentContext('dev')
  const apps = kc.makeApiClient(AppsV1Api)
  const custom = kc.makeApiClient(CustomObjectsApi)
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
  const seen: string[] = []

  await apps.createNamespacedDeployment({
    namespace,
    fieldManager: 'rollout',
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: { containers: [{ name: 'api', image: 'api:1', ports: [{ containerPort: 8080 }] }] },
        },
      },
    },
  })
  const deployment = await apps.readNamespacedDeployment({ namespace, name: 'api' })
  seen.push(
    `${deployment.metadata?.name ?? ''} at ${deployment.metadata?.creationTimestamp?.toISOString() ?? ''}`,
  )
  const scale: V1Scale = await apps.patchNamespacedDeploymentScale(
    { namespace, name: 'api', fieldManager: 'rollout', body: { spec: { replicas: 3 } } },
    merge,
  )
  seen.push(`replicas ${scale.spec?.replicas ?? 0}`)
  seen.push(
    ...(await watchUntil<V1Deployment>(
      kc,
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      (type, d) => `${type} ${d.status?.readyReplicas ?? 0} ready`,
      (_, d) => (d.status?.readyReplicas ?? 0) >= 3,
    )),
  )
  await apps.deleteNamespacedDeployment({ namespace, name: 'api' })

  const body: Widget = {
    apiVersion: 'example.dev/v1',
    kind: 'Widget',
    metadata: { name: 'w1', namespace },
    spec: { size: '10Gi', replicas: 1 },
  }
  await custom.createNamespacedCustomObject({ group, version, namespace, plural, body })
  const widget = (await custom.patchNamespacedCustomObject(
    {
      group,
      version,
      namespace,
      plural,
      name: 'w1',
      fieldManager: 'rollout',
      body: { spec: { labels: { tier: 'gold' } } },
    },
    merge,
  )) as Widget
  seen.push(`${widget.spec?.size ?? ''} ${widget.spec?.labels?.['tier'] ?? ''}`)
  await custom.patchNamespacedCustomObjectScale(
    { group, version, namespace, plural, name: 'w1', body: { spec: { replicas: 2 } } },
    merge,
  )
  seen.push(
    ...(await watchUntil<Widget>(
      kc,
      `/apis/${group}/${version}/namespaces/${namespace}/${plural}`,
      (type, w) => `${type} ${w.spec?.replicas ?? 0}`,
      (type) => type === 'MODIFIED',
    )),
  )
  await custom.deleteNamespacedCustomObject({ group, version, namespace, plural, name: 'w1' })
  return seen
}
