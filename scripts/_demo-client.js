// The client part of `npm run demo` (scripts/demo.js): @k8s-codegen/client against the
// emulator, typed by descriptors the demo generated as JavaScript (`--emit js`). A Deployment
// and an example.dev Widget are each created, watched, patched/scaled through the scale
// subresource and deleted; every step waits for the watch event it causes, so the transcript
// is in order and a missing or unexpected event fails the demo.
import { pathToFileURL } from 'node:url'

import { createClient } from '@k8s-codegen/client'

const EVENT_TIMEOUT_MS = 10_000

/** The next non-bookmark event of a watch iterator (begun before the write that causes it). */
async function nextEvent(pending, want, name) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no ${want} event for ${name} within ${EVENT_TIMEOUT_MS} ms`)),
      EVENT_TIMEOUT_MS,
    )
  })
  try {
    const result = await Promise.race([pending, timeout])
    if (result.done) throw new Error(`the watch ended before the ${want} event for ${name}`)
    const { type, object } = result.value
    if (type !== want || object.metadata?.name !== name)
      throw new Error(`expected ${want} ${name}, the watch sent ${type} ${object.metadata?.name}`)
    return object
  } finally {
    clearTimeout(timer)
  }
}

// A watch whose next event is asked for before each write, so the write cannot be missed. It is
// closed through its signal: an async iterator's return() would wait for the pending next().
function watcher(k8s, resource, namespace, log) {
  const controller = new AbortController()
  const events = k8s.watch(resource, {
    namespace,
    allowBookmarks: false,
    signal: controller.signal,
  })
  const iterator = events[Symbol.asyncIterator]()
  let pending = iterator.next()
  return {
    async expect(type, name, describe) {
      const object = await nextEvent(pending, type, name)
      pending = iterator.next()
      log(`  event    ${type.padEnd(8)} ${resource.kind} ${name}${describe(object)}`)
      return object
    },
    async close() {
      controller.abort()
      await pending
    },
  }
}

/**
 * Runs the tour; `modules` are the file paths of the generated `core/v1.js`, `apps/v1.js` and
 * `example.dev/v1.js`. Throws on the first step that fails.
 */
export async function clientTour({ kubeconfig, modules, log }) {
  const load = async (file) => import(pathToFileURL(file).href)
  const { Namespace } = await load(modules.core)
  const { Deployment } = await load(modules.apps)
  const { Widget } = await load(modules.crd)
  const namespace = 'demo'
  const k8s = await createClient({
    kubeconfig,
    fieldManager: 'k8s-codegen-demo',
    // Warning headers, where they arrive in the transcript (the client never prints).
    onWarning: (w) => log(`  warning  ${w.text}`),
  })
  try {
    await k8s.create(Namespace, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    })
    log(`  create   Namespace ${namespace}`)

    const deployments = watcher(k8s, Deployment, namespace, log)
    const replicas = (d) =>
      ` (spec.replicas ${d.spec?.replicas}, resourceVersion ${d.metadata?.resourceVersion})`
    try {
      log(`  watch    Deployments in ${namespace}`)
      await k8s.create(Deployment, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }],
            },
          },
        },
      })
      log(`  create   Deployment ${namespace}/web, 2 replicas`)
      await deployments.expect('ADDED', 'web', replicas)
      const scale = await k8s.patchScale(
        Deployment,
        { namespace, name: 'web' },
        { merge: { spec: { replicas: 5 } } },
      )
      log(
        `  scale    Deployment ${namespace}/web → ${scale.spec?.replicas} (PATCH …/deployments/web/scale, ${scale.apiVersion} ${scale.kind})`,
      )
      const scaled = await deployments.expect('MODIFIED', 'web', replicas)
      if (scaled.spec?.replicas !== 5)
        throw new Error(`the scaled Deployment has spec.replicas ${scaled.spec?.replicas}, not 5`)
      await k8s.delete(Deployment, { namespace, name: 'web' })
      log(`  delete   Deployment ${namespace}/web`)
      await deployments.expect('DELETED', 'web', () => '')
    } finally {
      await deployments.close()
    }

    const widgets = watcher(k8s, Widget, namespace, log)
    const widget = (w) =>
      ` (spec.size ${JSON.stringify(w.spec?.size)}, spec.replicas ${w.spec?.replicas}, labels ${JSON.stringify(w.spec?.labels ?? {})})`
    try {
      log(`  watch    Widgets (example.dev/v1, a custom resource) in ${namespace}`)
      await k8s.create(Widget, {
        apiVersion: 'example.dev/v1',
        kind: 'Widget',
        metadata: { name: 'gizmo', namespace },
        spec: { size: '10Gi', replicas: 1 },
      })
      log(`  create   Widget ${namespace}/gizmo`)
      await widgets.expect('ADDED', 'gizmo', widget)
      await k8s.patch(
        Widget,
        { namespace, name: 'gizmo' },
        { merge: { spec: { labels: { tier: 'gold' } } } },
      )
      log(`  patch    Widget ${namespace}/gizmo (merge patch: spec.labels.tier = gold)`)
      await widgets.expect('MODIFIED', 'gizmo', widget)
      const scale = await k8s.patchScale(
        Widget,
        { namespace, name: 'gizmo' },
        { merge: { spec: { replicas: 3 } } },
      )
      log(
        `  scale    Widget ${namespace}/gizmo → ${scale.spec?.replicas} (the CRD's scale subresource, ${scale.apiVersion} ${scale.kind})`,
      )
      const scaled = await widgets.expect('MODIFIED', 'gizmo', widget)
      if (scaled.spec?.replicas !== 3)
        throw new Error(`the scaled Widget has spec.replicas ${scaled.spec?.replicas}, not 3`)
      await k8s.delete(Widget, { namespace, name: 'gizmo' })
      log(`  delete   Widget ${namespace}/gizmo`)
      await widgets.expect('DELETED', 'gizmo', () => '')
    } finally {
      await widgets.close()
    }

    await k8s.delete(Namespace, { name: namespace })
    log(`  delete   Namespace ${namespace}`)
  } finally {
    await k8s.close()
  }
}
