import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exampleCrdDocument } from '../src/index.js'

/** A core/v1 document with one namespaced resource (pods) and its status subresource. */
export function tinyCoreDocument(): Record<string, unknown> {
  const gvk = { group: '', version: 'v1', kind: 'Pod' }
  const ok = { '200': { description: 'OK' } }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths: {
      '/api/v1/': { get: { operationId: 'getCoreV1APIResources', responses: ok } },
      '/api/v1/namespaces/{namespace}/pods': {
        get: {
          operationId: 'listCoreV1NamespacedPod',
          responses: ok,
          'x-kubernetes-action': 'list',
          'x-kubernetes-group-version-kind': gvk,
        },
        post: {
          operationId: 'createCoreV1NamespacedPod',
          responses: ok,
          'x-kubernetes-action': 'post',
          'x-kubernetes-group-version-kind': gvk,
        },
      },
      '/api/v1/namespaces/{namespace}/pods/{name}': {
        get: {
          operationId: 'readCoreV1NamespacedPod',
          responses: ok,
          'x-kubernetes-action': 'get',
          'x-kubernetes-group-version-kind': gvk,
        },
      },
      '/api/v1/namespaces/{namespace}/pods/{name}/status': {
        get: {
          operationId: 'readCoreV1NamespacedPodStatus',
          responses: ok,
          'x-kubernetes-action': 'get',
          'x-kubernetes-group-version-kind': gvk,
        },
      },
      '/api/v1/watch/namespaces/{namespace}/pods': {
        get: {
          operationId: 'watchCoreV1NamespacedPodList',
          responses: ok,
          'x-kubernetes-action': 'watchlist',
          'x-kubernetes-group-version-kind': gvk,
        },
      },
    },
    components: { schemas: {} },
  }
}

/** A v2 document smaller than gziphandler's 1400-byte minimum. */
export const tinyV2 = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: 'v1.30.2' },
  paths: {},
  definitions: {},
}

/**
 * A throwaway profile directory: v3/api/v1.json (tiny), v3/apis/example.dev/v1.json (the example
 * CRD group) and a tiny v2.json. Works without ../shared. Call `remove()` when done.
 */
export function tinyProfile(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'testkit-profile-'))
  mkdirSync(join(dir, 'v3', 'apis', 'example.dev'), { recursive: true })
  mkdirSync(join(dir, 'v3', 'api'), { recursive: true })
  writeFileSync(join(dir, 'v3', 'api', 'v1.json'), JSON.stringify(tinyCoreDocument(), null, 2))
  writeFileSync(
    join(dir, 'v3', 'apis', 'example.dev', 'v1.json'),
    JSON.stringify(exampleCrdDocument(), null, 2),
  )
  writeFileSync(join(dir, 'v2.json'), JSON.stringify(tinyV2, null, 2))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
