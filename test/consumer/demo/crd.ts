// Checked by `npm run demo` when the emulator served the example.dev CRD group (over OpenAPI v3).
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
