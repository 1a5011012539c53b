// The bench's adapter over @kubernetes/client-node 2.x, used as its README shows: KubeConfig
// from the same kubeconfig file, CoreV1Api for list/get, Watch for the watch (see
// _client-worker.js for the contract).
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node'

/** Opens a client on the kubeconfig. */
export async function open({ kubeconfig }) {
  const kc = new KubeConfig()
  kc.loadFromFile(kubeconfig)
  const core = kc.makeApiClient(CoreV1Api)
  const watcher = new Watch(kc)
  return {
    list: async (namespace) => {
      const list = await core.listNamespacedConfigMap({ namespace })
      return { items: list.items.length, resourceVersion: list.metadata?.resourceVersion }
    },
    get: async (namespace, name) =>
      (await core.readNamespacedConfigMap({ namespace, name })).metadata?.name,
    // client-node's Watch keeps no per-object state: the `relist` option changes nothing here.
    watch: (namespace, resourceVersion, onEvent, onEnd) => {
      let stopped = false
      const controller = watcher.watch(
        `/api/v1/namespaces/${namespace}/configmaps`,
        { resourceVersion, allowWatchBookmarks: true },
        (type, object) => onEvent(type, object),
        (error) => stopped || onEnd(error ?? new Error('the watch ended')),
      )
      return () => {
        stopped = true
        void controller.then((c) => c.abort())
      }
    },
    close: async () => undefined,
  }
}
