// The status kube-apiserver's CRD controllers give a CRD it serves: apiextensions-apiserver
// pkg/controller/status/naming_controller.go (acceptedNames, NamesAccepted "NoConflicts") and
// pkg/controller/establish/establishing_controller.go (Established "InitialNamesAccepted"),
// written through the status subresource by the server itself; `storedVersions` the storage
// version, as pkg/registry/customresourcedefinition/strategy.go PrepareForCreate sets it. Only
// the CRDs the emulator serves (installed at start) get it: `kubectl wait --for
// condition=established` then waits for exactly the CRDs whose resources answer.
import { isJsonObject, type JsonObject } from './_json.js'
import type { SchemaNode } from './_schema.js'
import { encodeFieldsV1, entriesOf, fieldSetOf, type ManagedFieldsEntry } from './managed-fields.js'

// The CRD spec's names in CustomResourceDefinitionNames' field order, with the defaults
// SetDefaults_CustomResourceDefinitionSpec gives `singular` and `listKind`.
function acceptedNamesOf(names: JsonObject): JsonObject {
  const kind = typeof names['kind'] === 'string' ? names['kind'] : ''
  const out: JsonObject = { plural: names['plural'] }
  out['singular'] = names['singular'] ?? kind.toLowerCase()
  if (Array.isArray(names['shortNames'])) out['shortNames'] = names['shortNames']
  out['kind'] = kind
  out['listKind'] = names['listKind'] ?? `${kind}List`
  if (Array.isArray(names['categories'])) out['categories'] = names['categories']
  return out
}

/**
 * `crd` (a stored apiextensions.k8s.io/v1 object) with the status the naming and establishing
 * controllers write, and their managedFields entry (manager `kube-apiserver`, subresource
 * `status`); the conditions' times are the CRD's creation time.
 *
 * @example
 * store.put(collection, establishedCrd(crd, { document, schema }), revision)
 */
export function establishedCrd(crd: JsonObject, node: SchemaNode): JsonObject {
  const spec = isJsonObject(crd['spec']) ? crd['spec'] : {}
  const metadata = isJsonObject(crd['metadata']) ? crd['metadata'] : {}
  const at = metadata['creationTimestamp']
  const condition = (type: string, reason: string, message: string): JsonObject => ({
    type,
    status: 'True',
    lastTransitionTime: at,
    reason,
    message,
  })
  const written: JsonObject = {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: acceptedNamesOf(isJsonObject(spec['names']) ? spec['names'] : {}),
  }
  const versions = Array.isArray(spec['versions']) ? spec['versions'] : []
  const storage = versions.find((v) => isJsonObject(v) && v['storage'] === true) as
    JsonObject | undefined
  const entry: ManagedFieldsEntry = {
    manager: 'kube-apiserver',
    operation: 'Update',
    apiVersion: 'apiextensions.k8s.io/v1',
    time: typeof at === 'string' ? at : '',
    fieldsType: 'FieldsV1',
    fieldsV1: encodeFieldsV1(fieldSetOf({ status: written }, node, 'status')),
    subresource: 'status',
  }
  return {
    ...crd,
    metadata: { ...metadata, managedFields: [...entriesOf(crd), entry] },
    status: {
      ...written,
      storedVersions: storage === undefined ? [] : [storage['name']],
    },
  }
}
