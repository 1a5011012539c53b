// What kube-apiserver's apiextensions-apiserver does after a CRD is created, updated or deleted
// through the API, reproduced as controllers watching the emulator's store:
// `pkg/controller/status/naming_controller.go` and `pkg/controller/establish` (the status:
// accepted names, NamesAccepted, Established, crd-status.ts), `pkg/apiserver/
// customresource_handler.go` crdHandler (an Established CRD's resources are served from its
// current spec: new versions, schemas, `served: false`), `customresource_discovery_controller.go`
// and `pkg/controller/openapi`, `openapiv3` (discovery, `/openapi/v3` documents with new hashes
// and `/openapi/v2` follow), and `pkg/controller/finalizer/crd_finalizer.go` (a deleted CRD's
// custom resources are deleted, then its cleanup finalizer removed). The CRDs installed at start
// are served by the start itself (api-server.ts): their stored writes are made before these
// controllers watch, so a start with a thousand CRDs does none of this.
import { isJsonObject, type JsonObject } from './_json.js'
import { scalePathsOf, type ScalePaths } from './custom-scale.js'
import { crdFactsOf, serveCrds, type CrdBuiltins } from './crd-documents.js'
import { crdAsV1 } from './crd-v1beta1.js'
import { crdCreateOptions } from './crd-read.js'
import { withCrdPaths } from './crd-serving.js'
import {
  CRD_CLEANUP_FINALIZER,
  CRD_COLLECTION,
  crdStatusOf,
  establishedStatusOf,
  isEstablished,
  takenNamesOf,
  terminatingStatusOf,
} from './crd-status.js'
import { nowTime } from './managed-fields.js'
import { deepEqual } from './patch.js'
import { markAsDeleting, type Registry } from './registry.js'
import type { ResourceInfo } from './resource-catalog.js'
import type { SpecRegistry } from './spec-registry.js'
import type { StoreEvent } from './store.js'

/**
 * What the CRD controllers read and write.
 *
 * @example
 * const stop = runCrdControllers({ registry, specs, crds, scalePaths, builtins, v2: profile.v2 })
 */
export interface CrdControllerParts {
  registry: Registry
  specs: SpecRegistry
  /** The resource the CRD objects are stored as (apiextensions.k8s.io/v1). */
  crds: ResourceInfo
  /** The registry's CRD scale paths, kept up to date. */
  scalePaths: Map<string, ScalePaths>
  /** The server's builtin schemas and parameters, asked for at the first CRD write. */
  builtins: () => CrdBuiltins
  /** The profile's `/openapi/v2` without CRDs, when it serves one. */
  v2: (() => unknown) | undefined
}

const groupOf = (crd: JsonObject | undefined): string | undefined => {
  const spec = isJsonObject(crd?.['spec']) ? crd['spec'] : undefined
  return typeof spec?.['group'] === 'string' ? spec['group'] : undefined
}

const metadataOf = (crd: JsonObject): JsonObject =>
  isJsonObject(crd['metadata']) ? crd['metadata'] : {}

// Served: Established and readable (the schema validated it; a CRD whose facts do not read is
// left out rather than stopping its group). A terminating CRD stays served until it is gone
// (customresource_handler.go: reads, updates and deletes answer; creates are refused, registry.ts),
// so a client can still remove the finalizers of its custom resources.
function servable(crd: JsonObject): boolean {
  if (!isEstablished(crd)) return false
  try {
    crdFactsOf(crd)
    return true
  } catch {
    return false
  }
}

// crd_finalizer.go deleteInstances waits this long for the custom resources to go (polling every
// 5 s; the emulator watches instead) before it reports InstanceDeletionCheck and starts over.
const INSTANCE_DELETION_TIMEOUT_MS = 60_000

/**
 * Starts the CRD controllers on `parts.registry`'s store; returns the function that stops them.
 * Each CRD write is answered after the request that made it, as the real controllers answer
 * from their informers (a client waits with `kubectl wait --for condition=established`).
 *
 * @example
 * const stop = runCrdControllers(parts)
 * // … POST a CustomResourceDefinition; soon it is Established and its resources answer
 * stop()
 */
export function runCrdControllers(parts: CrdControllerParts): () => void {
  const { registry, specs } = parts
  const store = registry.store
  const names = new Set<string>()
  const groups = new Set<string>()
  let scheduled: NodeJS.Immediate | undefined
  let builtins: CrdBuiltins | undefined

  // A v1beta1-only server (1.13) holds them in that form; the documents are built from v1.
  const stored = (): JsonObject[] => store.list(CRD_COLLECTION).map(crdAsV1)

  // naming_controller, then establishing_controller: a status write each when it changes.
  const name = (crd: JsonObject): void => {
    const group = groupOf(crd)
    const own = metadataOf(crd)['name']
    const others = stored().filter((c) => groupOf(c) === group && metadataOf(c)['name'] !== own)
    const status = crdStatusOf(crd, takenNamesOf(others), nowTime())
    const named = deepEqual(status, crd['status'])
      ? crd
      : registry.update(
          parts.crds,
          '',
          String(own),
          { ...crd, status },
          'status',
          crdCreateOptions(),
        )
    // The establishing controller's write, seen by a watcher as a second MODIFIED.
    const established = establishedStatusOf(named, nowTime())
    if (!deepEqual(established, named['status']))
      registry.update(
        parts.crds,
        '',
        String(own),
        { ...named, status: established },
        'status',
        crdCreateOptions(),
      )
  }

  // The custom resource collections a terminating CRD waits for, by CRD name, with the timer of
  // the wait's deadline.
  const waiting = new Map<string, { collection: string; deadline: NodeJS.Timeout }>()

  // crd_finalizer.go sync: Terminating "InstanceDeletionInProgress"; the custom resources are
  // deleted (every version shares one collection; only an Established CRD has any) — those with
  // finalizers of their own are only marked, and the CRD waits until their clients remove them
  // (another sync on each change of the collection) — then one status write with the outcome and
  // without the finalizer, which deletes a CRD it held last.
  const finalize = (crd: JsonObject): void => {
    const own = String(metadataOf(crd)['name'])
    const update = (object: JsonObject, dryRun = false): JsonObject =>
      registry.update(parts.crds, '', own, object, 'status', { ...crdCreateOptions(), dryRun })
    const established = isEstablished(crd)
    const deleting = update({
      ...crd,
      status: terminatingStatusOf(crd, 'InstanceDeletionInProgress', nowTime()),
    })
    const spec = isJsonObject(crd['spec']) ? crd['spec'] : {}
    const plural = isJsonObject(spec['names']) ? spec['names']['plural'] : undefined
    const collection = `${String(spec['group'])}/${String(plural)}`
    let remaining = 0
    for (const object of established ? store.list(collection) : []) {
      const metadata = metadataOf(object)
      const finalizers = metadata['finalizers']
      if (Array.isArray(finalizers) && finalizers.length > 0) {
        remaining += 1
        // DeleteCollection marks it, as a DELETE does, once.
        if (metadata['deletionTimestamp'] !== undefined) continue
        const marked = structuredClone(object)
        const revision = store.nextRevision()
        markAsDeleting(metadataOf(marked))
        metadataOf(marked)['resourceVersion'] = String(revision)
        store.put(collection, marked, revision)
        continue
      }
      const final = structuredClone(object)
      const revision = store.nextRevision()
      metadataOf(final)['resourceVersion'] = String(revision)
      store.remove(collection, final, revision)
    }
    if (remaining > 0) {
      if (!waiting.has(own)) {
        // PollUntilContextTimeout's error, then a requeue that starts the sync again.
        const deadline = setTimeout(() => {
          waiting.delete(own)
          attempt(() => {
            const live = store.get(CRD_COLLECTION, '', own)
            if (live === undefined) return
            update({
              ...live,
              status: terminatingStatusOf(live, 'InstanceDeletionCheck', nowTime()),
            })
          })
        }, INSTANCE_DELETION_TIMEOUT_MS)
        deadline.unref()
        waiting.set(own, { collection, deadline })
      }
      return
    }
    const wait = waiting.get(own)
    if (wait !== undefined) clearTimeout(wait.deadline)
    waiting.delete(own)
    const outcome = established ? 'InstanceDeletionCompleted' : 'NeverEstablished'
    // The status write as the registry makes it (managed fields), without the finalizer.
    const next = update(
      { ...deleting, status: terminatingStatusOf(deleting, outcome, nowTime()) },
      true,
    )
    const metadata = metadataOf(next)
    const finalizers = (metadata['finalizers'] as unknown[]).filter(
      (f) => f !== CRD_CLEANUP_FINALIZER,
    )
    if (finalizers.length > 0) metadata['finalizers'] = finalizers
    else delete metadata['finalizers']
    const revision = store.nextRevision()
    metadata['resourceVersion'] = String(revision)
    if (finalizers.length > 0) store.put(CRD_COLLECTION, next, revision)
    else {
      // The generic store deletes instead of writing: its DELETED event carries the object as
      // last stored (still InstanceDeletionInProgress, with the finalizer).
      const final = structuredClone(deleting)
      metadataOf(final)['resourceVersion'] = String(revision)
      store.remove(CRD_COLLECTION, final, revision)
    }
  }

  // The group's documents, discovery and scale paths from its servable CRDs as they are now.
  const serve = (group: string): void => {
    const crds = stored().filter((c) => groupOf(c) === group && servable(c))
    builtins ??= parts.builtins()
    specs.serveCrdGroup(group, serveCrds(crds, builtins))
    for (const key of [...parts.scalePaths.keys()])
      if (key.startsWith(`${group}/`)) parts.scalePaths.delete(key)
    for (const [key, paths] of scalePathsOf(crds)) parts.scalePaths.set(key, paths)
  }

  // A controller that fails on one CRD or group leaves it as it is and goes on with the others,
  // as the real ones requeue it; nothing here may throw out of the event loop.
  const attempt = (step: () => void): void => {
    try {
      step()
    } catch {
      return
    }
  }

  const reconcile = (): void => {
    scheduled = undefined
    const pending = [...names]
    names.clear()
    for (const crdName of pending) {
      const crd = store.get(CRD_COLLECTION, '', crdName)
      if (crd === undefined) continue
      const finalizers = metadataOf(crd)['finalizers']
      if (metadataOf(crd)['deletionTimestamp'] === undefined) attempt(() => name(crd))
      else if (Array.isArray(finalizers) && finalizers.includes(CRD_CLEANUP_FINALIZER)) {
        attempt(() => finalize(crd))
      }
    }
    const served = [...groups]
    groups.clear()
    for (const group of served) attempt(() => serve(group))
    const v2 = parts.v2
    if (served.length > 0 && v2 !== undefined) {
      specs.setV2Source(() => {
        const base = v2()
        const all = stored().filter(servable)
        builtins ??= parts.builtins()
        return withCrdPaths(isJsonObject(base) ? base : {}, serveCrds(all, builtins).v2())
      })
    }
  }

  const unsubscribe = store.subscribe((event: StoreEvent) => {
    // A change among the custom resources a terminating CRD waits for: sync it again.
    for (const [crdName, wait] of waiting) {
      if (wait.collection !== event.collection) continue
      names.add(crdName)
      scheduled ??= setImmediate(reconcile)
    }
    if (event.collection !== CRD_COLLECTION) return
    names.add(event.name)
    for (const crd of [event.object, event.previous]) {
      const group = groupOf(crd)
      if (group !== undefined) groups.add(group)
    }
    scheduled ??= setImmediate(reconcile)
  })
  return () => {
    unsubscribe()
    if (scheduled !== undefined) clearImmediate(scheduled)
    for (const wait of waiting.values()) clearTimeout(wait.deadline)
  }
}
