// Checked by `npm run demo` when the emulator served the example.dev CRD group (over OpenAPI v3).
import type { Client } from '@k8s-codegen/client'
import * as exampleDevV1 from '@generated/example.dev/v1.js'

export const widget: exampleDevV1.Widget = {
  apiVersion: 'example.dev/v1',
  kind: 'Widget',
  metadata: { name: 'w1', namespace: 'demo' },
  spec: { size: 3, config: { free: { form: true } } },
}

export const widgetScale = exampleDevV1.Widget.path({
  namespace: 'demo',
  name: 'w1',
  subresource: 'scale',
})

// The client on the custom resource, as scripts/_demo-client.js runs it.
export async function scaleWidget(k8s: Client, replicas: number): Promise<number | undefined> {
  const target = { namespace: 'demo', name: 'w1' }
  await k8s.patch(exampleDevV1.Widget, target, { merge: { spec: { labels: { tier: 'gold' } } } })
  const scale = await k8s.patchScale(exampleDevV1.Widget, target, { merge: { spec: { replicas } } })
  return scale.spec?.replicas
}
