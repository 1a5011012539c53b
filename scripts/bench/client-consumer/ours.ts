// Bench input of `npm run bench:client` (consumer tsc cost): a small program on a Deployment and
// a custom resource with @k8s-codegen/client and the generated bindings. client-node.ts is the
// same program with @kubernetes/client-node; keep the two doing the same things.
import { createClient } from '@k8s-codegen/client'
import { Deployment } from '@generated/apps/v1.js'
import { Widget } from '@generated/example.dev/v1.js'

export async function rollout(namespace: string): Promise<string[]> {
  const k8s = await createClient({ context: 'dev', fieldManager: 'rollout' })
  const seen: string[] = []
  try {
    await k8s.create(Deployment, {
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
    })
    const deployment = await k8s.get(Deployment, { namespace, name: 'api' })
    seen.push(
      `${deployment.metadata?.name ?? ''} at ${deployment.metadata?.creationTimestamp ?? ''}`,
    )
    const scale = await k8s.patchScale(
      Deployment,
      { namespace, name: 'api' },
      { merge: { spec: { replicas: 3 } } },
    )
    seen.push(`replicas ${scale.spec?.replicas ?? 0}`)
    for await (const event of k8s.watch(Deployment, { namespace })) {
      if (event.type === 'BOOKMARK') continue
      seen.push(`${event.type} ${event.object.status?.readyReplicas ?? 0} ready`)
      if ((event.object.status?.readyReplicas ?? 0) >= 3) break
    }
    await k8s.delete(Deployment, { namespace, name: 'api' })

    await k8s.create(Widget, {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace },
      spec: { size: '10Gi', replicas: 1 },
    })
    const widget = await k8s.patch(
      Widget,
      { namespace, name: 'w1' },
      { merge: { spec: { labels: { tier: 'gold' } } } },
    )
    seen.push(`${widget.spec?.size ?? ''} ${widget.spec?.labels?.['tier'] ?? ''}`)
    await k8s.patchScale(Widget, { namespace, name: 'w1' }, { merge: { spec: { replicas: 2 } } })
    for await (const event of k8s.watch(Widget, { namespace })) {
      if (event.type === 'BOOKMARK') continue
      seen.push(`${event.type} ${event.object.spec?.replicas ?? 0}`)
      if (event.type === 'MODIFIED') break
    }
    await k8s.delete(Widget, { namespace, name: 'w1' })
  } finally {
    await k8s.close()
  }
  return seen
}
