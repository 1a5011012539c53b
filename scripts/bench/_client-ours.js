// The bench's adapter over @k8s-codegen/client (see _client-worker.js for the contract). Typed
// by the ConfigMap descriptor the bench generated with `k8s-codegen fetch --emit js`.
import { pathToFileURL } from 'node:url'

import { createClient } from '@k8s-codegen/client'

/** Opens a client on the kubeconfig; `generated` is the `--emit js` output directory. */
export async function open({ kubeconfig, generated }) {
  const { ConfigMap } = await import(pathToFileURL(`${generated}/core/v1.js`).href)
  const k8s = await createClient({ kubeconfig })
  return {
    list: async (namespace) => {
      const list = await k8s.list(ConfigMap, { namespace })
      return { items: list.items.length, resourceVersion: list.metadata?.resourceVersion }
    },
    get: async (namespace, name) => (await k8s.get(ConfigMap, { namespace, name })).metadata?.name,
    // Calls onEvent(type, object) per event until stop(); onEnd(error) if the watch ends.
    // `relist: false`: no per-object state (a 410 ends the watch instead of a relist).
    watch: (namespace, resourceVersion, onEvent, onEnd, { relist } = {}) => {
      const controller = new AbortController()
      const run = async () => {
        for await (const event of k8s.watch(ConfigMap, {
          namespace,
          resourceVersion,
          ...(relist === false ? { relist } : {}),
          signal: controller.signal,
        })) {
          onEvent(event.type, event.object)
        }
      }
      run().then(
        () => controller.signal.aborted || onEnd(new Error('the watch ended')),
        (error) => onEnd(error),
      )
      return () => controller.abort()
    },
    close: () => k8s.close(),
  }
}
