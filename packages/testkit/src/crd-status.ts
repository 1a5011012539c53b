// The status kube-apiserver's CRD controllers give a CRD: apiextensions-apiserver
// pkg/controller/status/naming_controller.go calculateNamesAndConditions (acceptedNames, the
// NamesAccepted condition, a name another CRD of the group holds refused) and
// pkg/controller/establish/establishing_controller.go (Established "InitialNamesAccepted"),
// written through the status subresource by the server itself; `storedVersions` the storage
// versions it has stored at, as pkg/registry/customresourcedefinition/strategy.go PrepareForCreate
// and PrepareForUpdate add them. A CRD written through the API gets the two controllers' writes
// (Established "Installing", then True); one installed at start gets both in one.
import { isJsonObject, type JsonObject } from './_json.js'
import type { SchemaNode } from './_schema.js'
import { encodeFieldsV1, entriesOf, fieldSetOf, type ManagedFieldsEntry } from './managed-fields.js'
import { deepEqual } from './patch.js'

/**
 * The store's collection of CustomResourceDefinitions.
 *
 * @example
 * store.list(CRD_COLLECTION)
 */
export const CRD_COLLECTION = 'apiextensions.k8s.io/customresourcedefinitions'

/**
 * The names the CRDs of a group have been given (naming_controller.go getAcceptedNamesForGroup):
 * plurals, singulars and short names; kinds and list kinds.
 *
 * @example
 * const taken = takenNamesOf(crdsOfTheGroupButThisOne)
 */
export interface TakenNames {
  resources: Set<string>
  kinds: Set<string>
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '')

function acceptedOf(crd: JsonObject): JsonObject {
  const status = isJsonObject(crd['status']) ? crd['status'] : {}
  return isJsonObject(status['acceptedNames']) ? status['acceptedNames'] : {}
}

/**
 * {@link TakenNames} of these CRDs (the others of one group).
 *
 * @example
 * takenNamesOf(others).kinds.has('Widget')
 */
export function takenNamesOf(crds: readonly JsonObject[]): TakenNames {
  const taken: TakenNames = { resources: new Set(), kinds: new Set() }
  for (const crd of crds) {
    const accepted = acceptedOf(crd)
    taken.resources.add(textOf(accepted['plural']))
    taken.resources.add(textOf(accepted['singular']))
    if (Array.isArray(accepted['shortNames']))
      for (const name of accepted['shortNames']) taken.resources.add(textOf(name))
    taken.kinds.add(textOf(accepted['kind']))
    taken.kinds.add(textOf(accepted['listKind']))
  }
  return taken
}

interface Condition {
  type: string
  status: string
  reason: string
  message: string
}

function conditionOf(crd: JsonObject, type: string): Condition | undefined {
  const status = isJsonObject(crd['status']) ? crd['status'] : {}
  const conditions = Array.isArray(status['conditions']) ? (status['conditions'] as unknown[]) : []
  const found = conditions.find((c) => isJsonObject(c) && c['type'] === type)
  return isJsonObject(found)
    ? {
        type,
        status: textOf(found['status']),
        reason: textOf(found['reason']),
        message: textOf(found['message']),
      }
    : undefined
}

// calculateNamesAndConditions: each requested name is taken when it is the accepted one or no
// other CRD of the group holds it; a conflict keeps the accepted name and says why.
function namesAndConditions(
  crd: JsonObject,
  taken: TakenNames,
): { names: JsonObject; conditions: Condition[] } {
  const spec = isJsonObject(crd['spec']) ? crd['spec'] : {}
  const requested = isJsonObject(spec['names']) ? spec['names'] : {}
  const accepted = acceptedOf(crd)
  const kind = textOf(requested['kind'])
  // SetDefaults_CustomResourceDefinitionSpec: singular and listKind.
  const want = {
    plural: textOf(requested['plural']),
    singular: textOf(requested['singular']) || kind.toLowerCase(),
    kind,
    listKind: textOf(requested['listKind']) || `${kind}List`,
  }
  const names: JsonObject = {
    plural: textOf(accepted['plural']),
    singular: accepted['singular'],
    shortNames: accepted['shortNames'],
    kind: textOf(accepted['kind']),
    listKind: accepted['listKind'],
  }
  let refused: { reason: string; message: string } | undefined
  const take = (field: keyof typeof want, used: Set<string>, reason: string): void => {
    const name = want[field]
    if (name === accepted[field] || !used.has(name)) names[field] = name
    else refused = { reason, message: `${JSON.stringify(name)} is already in use` }
  }
  take('plural', taken.resources, 'PluralConflict')
  take('singular', taken.resources, 'SingularConflict')
  const shortNames = Array.isArray(requested['shortNames']) ? requested['shortNames'] : undefined
  if (!deepEqual(shortNames, accepted['shortNames'])) {
    const mine = new Set(Array.isArray(accepted['shortNames']) ? accepted['shortNames'] : [])
    const conflicts = (shortNames ?? [])
      .map(textOf)
      .filter((name) => !mine.has(name) && taken.resources.has(name))
    if (conflicts.length === 0) names['shortNames'] = shortNames
    else {
      // utilerrors.NewAggregate: one message, or `[a, b]`.
      const messages = conflicts.map((name) => `${JSON.stringify(name)} is already in use`)
      refused = {
        reason: 'ShortNamesConflict',
        message: messages.length === 1 ? (messages[0] as string) : `[${messages.join(', ')}]`,
      }
    }
  }
  take('kind', taken.kinds, 'KindConflict')
  take('listKind', taken.kinds, 'ListKindConflict')
  if (Array.isArray(requested['categories'])) names['categories'] = requested['categories']
  else delete names['categories']
  // The Established condition stays as it is; the naming controller only sets it to False, to
  // "Installing" once the names are accepted (the establishing controller sets it True).
  const old = conditionOf(crd, 'Established')
  const established: Condition =
    old?.status !== 'True' && refused === undefined
      ? {
          type: 'Established',
          status: 'False',
          reason: 'Installing',
          message: 'the initial names have been accepted',
        }
      : (old ?? {
          type: 'Established',
          status: 'False',
          reason: 'NotAccepted',
          message: 'not all names are accepted',
        })
  return {
    // CustomResourceDefinitionNames' field order; all but plural and kind are omitempty.
    names: Object.fromEntries(
      Object.entries(names).filter(
        ([key, value]) =>
          key === 'plural' || key === 'kind' || (value !== undefined && value !== ''),
      ),
    ),
    conditions: [
      refused === undefined
        ? {
            type: 'NamesAccepted',
            status: 'True',
            reason: 'NoConflicts',
            message: 'no conflicts found',
          }
        : { type: 'NamesAccepted', status: 'False', ...refused },
      established,
    ],
  }
}

// apiextensions SetCRDCondition: a condition keeps its lastTransitionTime while its status
// stays; conditions of other types (Terminating) stay where they are.
function withConditions(old: unknown, conditions: Condition[], at: unknown): JsonObject[] {
  const out = (Array.isArray(old) ? old : []).filter(isJsonObject).map((c) => ({ ...c }))
  for (const condition of conditions) {
    const index = out.findIndex((c) => c['type'] === condition.type)
    const previous = out[index]
    const time =
      previous !== undefined && previous['status'] === condition.status
        ? previous['lastTransitionTime']
        : at
    const next = { ...condition, lastTransitionTime: time }
    const ordered: JsonObject = {
      type: next.type,
      status: next.status,
      lastTransitionTime: next.lastTransitionTime,
      reason: next.reason,
      message: next.message,
    }
    if (index === -1) out.push(ordered)
    else out[index] = ordered
  }
  return out
}

/**
 * The status the naming and establishing controllers give `crd` when the other CRDs of its group
 * hold `taken` (a CRD served from start: none), with the storage version added to
 * `storedVersions`; condition times change to `at` where a status changes.
 *
 * @example
 * const status = crdStatusOf(crd, takenNamesOf(others), nowTime())
 */
export function crdStatusOf(crd: JsonObject, taken: TakenNames, at: string): JsonObject {
  const old = isJsonObject(crd['status']) ? crd['status'] : {}
  const { names, conditions } = namesAndConditions(crd, taken)
  const storage = crdStorageVersionOf(crd)
  const stored = Array.isArray(old['storedVersions'])
    ? [...(old['storedVersions'] as unknown[])]
    : []
  if (storage !== undefined && !stored.includes(storage)) stored.push(storage)
  return {
    conditions: withConditions(old['conditions'], conditions, at),
    acceptedNames: names,
    storedVersions: stored,
  }
}

/**
 * The name of `crd`'s first version marked `storage`: the one PrepareForCreate and
 * PrepareForUpdate (pkg/registry/customresourcedefinition/strategy.go) add to `storedVersions`.
 *
 * @example
 * crdStorageVersionOf({ spec: { versions: [{ name: 'v1', storage: true }] } }) // 'v1'
 */
export function crdStorageVersionOf(crd: JsonObject): string | undefined {
  const spec = isJsonObject(crd['spec']) ? crd['spec'] : {}
  const versions: unknown[] = Array.isArray(spec['versions']) ? spec['versions'] : []
  const storage = versions.find((v) => isJsonObject(v) && v['storage'] === true)
  return isJsonObject(storage) && typeof storage['name'] === 'string' ? storage['name'] : undefined
}

/**
 * The status the establishing controller (pkg/controller/establish/establishing_controller.go
 * sync) writes over `crd`'s: Established once its names are accepted; else `crd`'s own.
 *
 * @example
 * const established = establishedStatusOf(named, nowTime())
 */
export function establishedStatusOf(crd: JsonObject, at: string): JsonObject | undefined {
  const status = isJsonObject(crd['status']) ? crd['status'] : undefined
  if (status === undefined || conditionOf(crd, 'NamesAccepted')?.status !== 'True') return status
  if (conditionOf(crd, 'Established')?.status === 'True') return status
  return {
    ...status,
    conditions: withConditions(
      status['conditions'],
      [
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
        },
      ],
      at,
    ),
  }
}

/**
 * Whether `crd`'s Terminating condition is True (apiextensions-apiserver
 * pkg/apihelpers IsCRDConditionTrue): it is being deleted and its custom resources with it.
 *
 * @example
 * const verbs = isTerminating(crd) ? ['delete', 'get'] : ['create', 'delete', 'get']
 */
export function isTerminating(crd: JsonObject): boolean {
  return conditionOf(crd, 'Terminating')?.status === 'True'
}

/**
 * Whether `crd`'s status says its resources are served: Established and not terminating.
 *
 * @example
 * if (isEstablished(crd)) serve(crd)
 */
export function isEstablished(crd: JsonObject): boolean {
  const status = isJsonObject(crd['status']) ? crd['status'] : {}
  const conditions = Array.isArray(status['conditions']) ? status['conditions'] : []
  return conditions.some(
    (c) => isJsonObject(c) && c['type'] === 'Established' && c['status'] === 'True',
  )
}

/**
 * `crd` (a stored apiextensions.k8s.io/v1 object, installed at start) with the status the
 * naming and establishing controllers write, and their managedFields entry (manager
 * `kube-apiserver`, subresource `status`); the conditions' times are the CRD's creation time.
 *
 * @example
 * store.put(collection, establishedCrd(crd, { document, schema }), revision)
 */
export function establishedCrd(crd: JsonObject, node: SchemaNode): JsonObject {
  const metadata = isJsonObject(crd['metadata']) ? crd['metadata'] : {}
  const at = textOf(metadata['creationTimestamp'])
  const named = crdStatusOf({ ...crd, status: {} }, { resources: new Set(), kinds: new Set() }, at)
  const { storedVersions, ...written } = establishedStatusOf({ ...crd, status: named }, at) ?? named
  const entry: ManagedFieldsEntry = {
    manager: 'kube-apiserver',
    operation: 'Update',
    apiVersion: 'apiextensions.k8s.io/v1',
    time: at,
    fieldsType: 'FieldsV1',
    fieldsV1: encodeFieldsV1(fieldSetOf({ status: written }, node, 'status')),
    subresource: 'status',
  }
  return {
    ...crd,
    metadata: { ...metadata, managedFields: [...entriesOf(crd), entry] },
    status: { ...written, storedVersions },
  }
}

/**
 * The finalizer that holds a deleted CRD until its custom resources are gone.
 *
 * @example
 * finalizers.includes(CRD_CLEANUP_FINALIZER)
 */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io'

/**
 * A CRD as its first delete leaves it (apiextensions-apiserver
 * pkg/registry/customresourcedefinition/etcd.go REST.Delete): `deletionTimestamp`, the
 * {@link CRD_CLEANUP_FINALIZER} and a Terminating condition; the finalizer controller deletes
 * its custom resources, then the CRD.
 *
 * @example
 * store.put(collection, terminatingCrd(structuredClone(live), nowTime()), revision)
 */
export function terminatingCrd(crd: JsonObject, at: string): JsonObject {
  const metadata = isJsonObject(crd['metadata']) ? crd['metadata'] : {}
  const finalizers = Array.isArray(metadata['finalizers'])
    ? (metadata['finalizers'] as unknown[])
    : []
  return {
    ...crd,
    metadata: {
      ...metadata,
      deletionTimestamp: metadata['deletionTimestamp'] ?? at,
      finalizers: finalizers.includes(CRD_CLEANUP_FINALIZER)
        ? finalizers
        : [...finalizers, CRD_CLEANUP_FINALIZER],
    },
    status: terminatingStatusOf(crd, 'InstanceDeletionPending', at),
  }
}

// The Terminating conditions of etcd.go REST.Delete and crd_finalizer.go sync.
const TERMINATING = {
  InstanceDeletionPending: [
    'True',
    'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
  ],
  InstanceDeletionInProgress: ['True', 'CustomResource deletion is in progress'],
  InstanceDeletionCompleted: ['False', 'removed all instances'],
  // deleteInstances when custom resources remain after its minute of polling.
  InstanceDeletionCheck: [
    'True',
    'could not confirm zero CustomResources remaining: context deadline exceeded',
  ],
  NeverEstablished: ['False', 'resource was never established'],
} as const

/**
 * `crd`'s status with the Terminating condition of `reason`, as the CRD's delete and the
 * finalizer controller set it.
 *
 * @example
 * terminatingStatusOf(crd, 'InstanceDeletionCompleted', nowTime())
 */
export function terminatingStatusOf(
  crd: JsonObject,
  reason: keyof typeof TERMINATING,
  at: string,
): JsonObject {
  const status = isJsonObject(crd['status']) ? crd['status'] : {}
  const [state, message] = TERMINATING[reason]
  return {
    ...status,
    conditions: withConditions(
      status['conditions'],
      [{ type: 'Terminating', status: state, reason, message }],
      at,
    ),
  }
}
