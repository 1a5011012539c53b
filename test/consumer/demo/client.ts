// What `npm run demo` type-checks of the README's "Using the output" client example, against the
// repo's generated/ (apps/v1: every profile serves it; crd.ts has the custom resource). Keep the
// code below the same as the README's.
import { createClient, isNotFound } from '@k8s-codegen/client'
import { Deployment } from '@generated/apps/v1.js'

const k8s = await createClient({ context: 'prod', fieldManager: 'my-app' }) // kubectl's flags
try {
  const api = await k8s.get(Deployment, { namespace: 'web', name: 'api' }) // a Deployment, as sent
  await k8s.apply(Deployment, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'web' }, // the identity; every other field is optional
    spec: { replicas: (api.spec?.replicas ?? 1) + 1 },
  })
  const target = { namespace: 'web', name: 'api' }
  await k8s.patchScale(Deployment, target, { merge: { spec: { replicas: 5 } } })
  for await (const event of k8s.watch(Deployment, { namespace: 'web' })) {
    if (event.type !== 'BOOKMARK' && event.object.status?.readyReplicas === 5) break // closes it
  }
  await k8s.delete(Deployment, target, { propagationPolicy: 'Foreground' })
} catch (error) {
  if (!isNotFound(error)) throw error // StatusError: reason, code, details.causes, predicates
} finally {
  await k8s.close()
}
