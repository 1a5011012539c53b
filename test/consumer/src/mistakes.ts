// Mistakes the generated types must reject at compile time.
import * as appsV1 from '@generated/apps/v1.js'
import * as coreV1 from '@generated/core/v1.js'
import * as exampleDevV1 from '@generated/example.dev/v1.js'

export function mistakes(): unknown[] {
  return [
    // @ts-expect-error Namespaces are cluster-scoped: no namespace in their path
    coreV1.Namespace.path({ namespace: 'x' }),
    // @ts-expect-error Gadgets are cluster-scoped
    exampleDevV1.Gadget.path({ namespace: 'x', name: 'g' }),
    // @ts-expect-error Deployments have scale and status subresources, not exec
    appsV1.Deployment.path({ namespace: 'x', name: 'd', subresource: 'exec' }),
    // @ts-expect-error the kind of a Deployment is the literal 'Deployment'
    ((d: appsV1.Deployment) => d)({ apiVersion: 'apps/v1', kind: 'StatefulSet' }),
    // @ts-expect-error apiVersion and kind are required in what users write (the server rejects an object without them)
    ((d: appsV1.Deployment) => d)({ metadata: { name: 'web' } }),
    // @ts-expect-error a PersistentVolumeClaim written as a resource needs apiVersion and kind
    ((c: coreV1.PersistentVolumeClaim) => c)({ metadata: { name: 'data' } }),
    ((s: appsV1.StatefulSetSpec) => s)({
      selector: {},
      serviceName: 'x',
      template: {},
      // @ts-expect-error an embedded kind that says its kind says it exactly
      volumeClaimTemplates: [{ kind: 'Pod' }],
    }),
    // @ts-expect-error a container needs a name (required on built-ins, whatever default v3 shows)
    ((c: coreV1.Container) => c)({ image: 'nginx' }),
    // @ts-expect-error a container port needs its number
    ((p: coreV1.ContainerPort) => p)({ name: 'http' }),
    // @ts-expect-error replicas is a number
    ((d: appsV1.Deployment) => d)({ spec: { replicas: '3', selector: {}, template: {} } }),
  ]
}
