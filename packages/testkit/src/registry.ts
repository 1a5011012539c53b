// What one write does to an object, as the apiserver's generic registry does it
// (apiserver `pkg/registry/generic/registry/store.go` Create/Update/Delete, `pkg/registry/rest`
// BeforeCreate/BeforeUpdate, `pkg/admission/plugin/namespace/lifecycle` NamespaceLifecycle):
// server-owned metadata, generateName, generation, optimistic concurrency, status and scale
// subresources, finalizers and graceful deletion, managed fields and dry runs.
import { randomBytes, randomUUID } from 'node:crypto'
import { isDns1123Label, isDns1123Subdomain } from '@k8s-codegen/proxy-url'
import { newInvalid, newStrictDecodingError } from '@k8s-codegen/validation'
import { isJsonObject, scalarText, type JsonObject } from './_json.js'
import type { SchemaNode } from './_schema.js'
import { applyConfiguration, ApplyConflictError } from './apply.js'
import { syncLastApplied } from './last-applied.js'
import { duplicateEntriesError } from './apply-duplicates.js'
import {
  entriesOf,
  nowTime,
  updateManagedFields,
  type ManagedFieldsEntry,
} from './managed-fields.js'
import { deepEqual, jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch.js'
import type { ResourceInfo } from './resource-catalog.js'
import {
  matchesFields,
  matchesLabels,
  fieldsOf,
  type FieldSelector,
  type LabelSelector,
} from './selectors.js'
import {
  alreadyExists,
  ApiStatusError,
  badRequest,
  genericServerResponse,
  conflict,
  forbidden,
  invalid,
  notFound,
  staleConflict,
  type StatusCause,
} from './status-errors.js'
import { metaOf, type ObjectStore } from './store.js'
import {
  customScaleValues,
  specReplicasOf,
  writeSpecReplicas,
  type ScalePaths,
} from './custom-scale.js'
import {
  goDecodeErrorOf,
  isV3Document,
  statusError,
  validateCustomResource,
} from './custom-validation.js'
import { crdValidationErrors, crdWarnings } from './crd-validation.js'
import { selectableFieldNames } from './crd-selectable-fields.js'
import { crdWithDefaults } from './crd-defaults.js'
import { CRD_COLLECTION, crdStorageVersionOf, terminatingCrd } from './crd-status.js'
import { validateObject } from './validation.js'
import { defaultBuiltIn } from './builtin-defaults.js'
import { prepareCreated, prepareUpdated } from './created-status.js'
import { goZeroValue } from './protobuf-body.js'
import { generateJobSelector } from './job-selector.js'
import { admitNewPod, admitPodUpdate } from './pod-admission.js'
import {
  allocateOnCreate,
  allocateOnUpdate,
  allocatedBy,
  dropTypeDependentFields,
} from './service-allocation.js'

/** How a request asked for its write to be done. */
export interface WriteOptions {
  dryRun: boolean
  fieldManager: string
  fieldValidation: 'Strict' | 'Warn' | 'Ignore'
  /** Collects `Warning` header texts. */
  warnings: string[]
  /**
   * Called by a create with the JSON text of the object as measured for etcd: as stored, before
   * the resourceVersion of its write is set.
   */
  measured?: (json: string) => void
}

/** The patch types of apiserver `pkg/endpoints/handlers/patch.go`. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply'

const builtInGroups = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'extensions'])

// The built-in resources whose strategy's PrepareForCreate sets `generation: 1` (kubernetes
// pkg/registry/<group>/<resource>/strategy.go); the others (a Namespace, a Service, a Node, a
// ConfigMap) have none, whether or not they have a status.
const generationCounted = new Set([
  '/pods',
  '/podtemplates',
  '/replicationcontrollers',
  'admissionregistration.k8s.io/mutatingadmissionpolicies',
  'admissionregistration.k8s.io/mutatingadmissionpolicybindings',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingadmissionpolicies',
  'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  'admissionregistration.k8s.io/validatingwebhookconfigurations',
  'apiextensions.k8s.io/customresourcedefinitions',
  'apps/daemonsets',
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'autoscaling/horizontalpodautoscalers',
  'batch/cronjobs',
  'batch/jobs',
  'discovery.k8s.io/endpointslices',
  'flowcontrol.apiserver.k8s.io/flowschemas',
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations',
  'networking.k8s.io/ingressclasses',
  'networking.k8s.io/ingresses',
  'networking.k8s.io/networkpolicies',
  'policy/poddisruptionbudgets',
  'resource.k8s.io/deviceclasses',
  'resource.k8s.io/devicetaintrules',
  'resource.k8s.io/resourceslices',
  'scheduling.k8s.io/priorityclasses',
])

// ObjectMeta's maps and lists are `omitempty` (apimachinery pkg/apis/meta/v1/types.go): what a
// write leaves empty (`labels: {}`, an annotation merge-patched away) is not stored, for custom
// resources too (apiextensions-apiserver schemaobjectmeta.Coerce round-trips metadata through
// the typed ObjectMeta).
function dropEmptyMetadata(meta: JsonObject): void {
  for (const key of ['labels', 'annotations', 'finalizers', 'ownerReferences']) {
    const value = meta[key]
    const empty = Array.isArray(value)
      ? value.length === 0
      : isJsonObject(value) && Object.keys(value).length === 0
    if (value === null || empty) delete meta[key]
  }
}

/** Built-in kinds come from the apiserver's own types; everything else is a custom resource. */
export function isCustom(info: ResourceInfo): boolean {
  return !(builtInGroups.has(info.group) || info.group.endsWith('.k8s.io'))
}

// The kinds with a status subresource whose PrepareForCreate keeps what the client sent (kubernetes
// pkg/registry/core/node/strategy.go: a Node is created with its status; a Namespace's is set by
// #defaults).
const statusKeptOnCreate = (info: ResourceInfo): boolean =>
  info.group === '' && (info.resource === 'nodes' || info.resource === 'namespaces')

const PRIORITY_CLASSES = 'scheduling.k8s.io/priorityclasses'

const isService = (info: ResourceInfo): boolean => info.group === '' && info.resource === 'services'

/** `<group>/<resource>`: the store's collection of a resource (shared by all its versions). */
export function collectionOf(info: { group: string; resource: string }): string {
  return `${info.group}/${info.resource}`
}

// apiserver `pkg/storage/names/generate.go` SimpleNameGenerator: 5 characters from this alphabet.
const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789'
function generateSuffix(): string {
  const bytes = randomBytes(5)
  return [...bytes].map((b) => nameAlphabet[b % nameAlphabet.length]).join('')
}

function metadataOf(object: JsonObject): JsonObject {
  const metadata = object['metadata']
  if (isJsonObject(metadata)) return metadata
  const created: JsonObject = {}
  object['metadata'] = created
  return created
}

const scaleKinds: Record<string, { selector: 'labelSelector' | 'map' | 'status' }> = {
  'apps/deployments': { selector: 'labelSelector' },
  'apps/replicasets': { selector: 'labelSelector' },
  'apps/statefulsets': { selector: 'labelSelector' },
  '/replicationcontrollers': { selector: 'map' },
}

// metav1.FormatLabelSelector: matchLabels as `k=v`, expressions as `k in (a,b)`, sorted.
function formatLabelSelector(selector: unknown): string {
  if (!isJsonObject(selector)) return ''
  const parts: string[] = []
  if (isJsonObject(selector['matchLabels'])) {
    for (const [k, v] of Object.entries(selector['matchLabels'])) parts.push(`${k}=${String(v)}`)
  }
  if (Array.isArray(selector['matchExpressions'])) {
    for (const e of selector['matchExpressions']) {
      if (!isJsonObject(e)) continue
      const values = Array.isArray(e['values']) ? e['values'].map(String).sort().join(',') : ''
      const key = String(e['key'])
      switch (e['operator']) {
        case 'In':
          parts.push(`${key} in (${values})`)
          break
        case 'NotIn':
          parts.push(`${key} notin (${values})`)
          break
        case 'Exists':
          parts.push(key)
          break
        case 'DoesNotExist':
          parts.push(`!${key}`)
          break
      }
    }
  }
  return parts.sort().join(',')
}

/** The generic registry over the emulator's store. */
export class Registry {
  readonly store: ObjectStore
  readonly #onNamespaceDeleted: (namespace: string) => void
  readonly #scalePaths: ReadonlyMap<string, ScalePaths>
  readonly #managedFields: boolean

  /**
   * `scalePaths`: the CRDs' `subresources.scale` by `<group>/<version>/<plural>`;
   * `managedFields`: whether writes record them (servers before 1.16 do not, see
   * `serverFeatures`).
   */
  constructor(
    store: ObjectStore,
    onNamespaceDeleted: (namespace: string) => void,
    scalePaths: ReadonlyMap<string, ScalePaths> = new Map(),
    options: { managedFields: boolean } = { managedFields: true },
  ) {
    this.store = store
    this.#onNamespaceDeleted = onNamespaceDeleted
    this.#scalePaths = scalePaths
    this.#managedFields = options.managedFields
  }

  // A custom resource's scale paths; the example CRDs (no CRD object) use the usual ones.
  #customScalePaths(info: ResourceInfo): ScalePaths {
    return (
      this.#scalePaths.get(`${info.group}/${info.version}/${info.resource}`) ?? {
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.replicas',
        labelSelectorPath: '.status.selector',
      }
    )
  }

  getOrThrow(info: ResourceInfo, namespace: string, name: string): JsonObject {
    const object = this.store.get(collectionOf(info), namespace, name)
    if (object === undefined) throw notFound(info, name)
    return object
  }

  /** Objects of a collection matching the selectors. */
  select(
    objects: JsonObject[],
    info: ResourceInfo,
    labels: LabelSelector,
    fields: FieldSelector,
  ): JsonObject[] {
    if (labels.length === 0 && fields.length === 0) return objects
    const collection = collectionOf(info)
    const selectable = selectableFieldNames(info)
    return objects.filter((o) => {
      const metadata = isJsonObject(o['metadata']) ? o['metadata'] : {}
      const objectLabels = isJsonObject(metadata['labels'])
        ? (metadata['labels'] as Record<string, string>)
        : {}
      return (
        matchesLabels(labels, objectLabels) &&
        matchesFields(fields, fieldsOf(collection, o, selectable))
      )
    })
  }

  // ObjectMeta's `managedFields` is omitempty; a server without them has no such field.
  #omitManagedFields(meta: JsonObject): void {
    if (this.#managedFields) omitEmptyManagedFields(meta)
    else delete meta['managedFields']
  }

  // The schemas the server's own type converter uses for apply, strategic merge and managed
  // fields (apiserver `endpoints/handlers/fieldmanager`, built from its models): the release's.
  #schema(info: ResourceInfo): SchemaNode {
    return info.validation
  }

  // Decoding and validation: unknown fields per fieldValidation, then schema causes → 422.
  // Custom resources as apiextensions-apiserver does it (custom-validation.ts); `old` is the
  // stored object of an update.
  #validate(
    info: ResourceInfo,
    object: JsonObject,
    options: WriteOptions,
    old?: JsonObject,
  ): JsonObject {
    if (info.schema === undefined) return object
    if (isCustom(info) && isV3Document(info.document))
      return validateCustomResource(
        info,
        info.document,
        object,
        options,
        info.subresources.has('scale') ? this.#customScalePaths(info) : undefined,
        old,
      )
    // A value of the wrong JSON type fails the Go decoder before anything else (400).
    const { document, schema } = info.validation
    const undecodable = isV3Document(document) ? goDecodeErrorOf(document, object) : undefined
    if (undecodable !== undefined) throw badRequest(undecodable)
    const result = validateObject(document, schema, object)
    if (result.unknown.length > 0) {
      if (options.fieldValidation === 'Strict') {
        const status = newStrictDecodingError(
          info.kind,
          info.version,
          result.unknown.map((f) => `unknown field ${JSON.stringify(f)}`),
        )
        throw badRequest(status.message)
      }
      if (options.fieldValidation === 'Warn') {
        for (const f of result.unknown) options.warnings.push(`unknown field ${JSON.stringify(f)}`)
      }
    }
    // A CRD's required fields are its validation's (#validateCrd), with the server's paths.
    const causes: StatusCause[] =
      collectionOf(info) === CRD_COLLECTION
        ? result.causes.filter((c) => c.reason !== 'FieldValueRequired')
        : [...result.causes]
    const { name } = metaOf(result.object)
    // A CRD's name has a rule of its own (#validateCrd).
    if (collectionOf(info) !== CRD_COLLECTION) causes.push(...this.#nameCauses(info, name))
    if (causes.length > 0) throw invalid(info, name, causes)
    return result.object
  }

  // A CustomResourceDefinition's own rules (crd-validation.ts), after its schema's; a status
  // write (the CRD controllers') validates only the status, as ValidateUpdate…Status does.
  #validateCrd(
    info: ResourceInfo,
    crd: JsonObject,
    old: JsonObject | undefined,
    options: WriteOptions,
  ): void {
    if (collectionOf(info) !== CRD_COLLECTION) return
    const errors = crdValidationErrors(crd, old, info.version)
    if (errors.length > 0)
      throw statusError(
        newInvalid({ group: info.group, kind: info.kind }, metaOf(crd).name, errors),
      )
    // rest.BeforeCreate / BeforeUpdate: the strategy's warnings once the object is valid.
    options.warnings.push(...crdWarnings(crd, old, info.version))
  }

  // apimachinery `pkg/api/validation/objectmeta.go` ValidateObjectMeta with the name rule
  // of the kind (namespaces: DNS-1123 label; most others: DNS-1123 subdomain).
  #nameCauses(info: ResourceInfo, name: string): StatusCause[] {
    if (name === '') return []
    const label =
      info.group === '' && (info.resource === 'namespaces' || info.resource === 'services')
    const ok = label ? isDns1123Label(name) : isDns1123Subdomain(name)
    if (ok) return []
    const message = label
      ? `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
      : `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`
    return [{ reason: 'FieldValueInvalid', message, field: 'metadata.name' }]
  }

  // NamespaceLifecycle admission: the namespace must exist and not be terminating.
  #admitNamespace(info: ResourceInfo, namespace: string, name: string): void {
    if (!info.namespaced) return
    const ns = this.store.get('/namespaces', '', namespace)
    if (ns === undefined) throw notFound({ group: '', resource: 'namespaces' }, namespace)
    const metadata = isJsonObject(ns['metadata']) ? ns['metadata'] : {}
    if (metadata['deletionTimestamp'] !== undefined) {
      throw forbidden(
        info,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      )
    }
  }

  /** Create (POST): `body` as sent, `namespace` from the path. */
  create(
    info: ResourceInfo,
    namespace: string,
    body: JsonObject,
    options: WriteOptions,
    managedFields?: ManagedFieldsEntry[],
  ): JsonObject {
    // Only the top level and metadata are written before validation, which builds the stored
    // object afresh; what it keeps as sent (preserved or schemaless fields) is shared with
    // `body`, which no caller changes afterwards, and a stored object is never changed in place
    // (every write clones it first). A deep copy here cost a 1,000-CRD emulator the copy of
    // every CRD at start.
    const object: JsonObject = { ...body }
    if (isJsonObject(body['metadata'])) object['metadata'] = { ...body['metadata'] }
    const metadata = metadataOf(object)
    if (info.namespaced) {
      const given = metadata['namespace']
      if (given !== undefined && given !== '' && given !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        )
      }
      metadata['namespace'] = namespace
    } else delete metadata['namespace']
    if (metadata['resourceVersion'] !== undefined && metadata['resourceVersion'] !== '') {
      // apiserver pkg/storage/errors.go ErrResourceVersionSetOnCreate is a plain error, not a
      // Status: responsewriters turn it into a 500 without a reason.
      throw new ApiStatusError(
        500,
        '',
        'resourceVersion should not be set on objects to be created',
      )
    }
    if (typeof metadata['name'] !== 'string' || metadata['name'] === '') {
      if (typeof metadata['generateName'] === 'string' && metadata['generateName'] !== '') {
        metadata['name'] = `${metadata['generateName']}${generateSuffix()}`
      } else {
        throw invalid(info, '', [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: name or generateName is required',
            field: 'metadata.name',
          },
        ])
      }
    }
    const name = String(metadata['name'])
    object['apiVersion'] = info.apiVersion
    object['kind'] = info.kind
    if (collectionOf(info) === CRD_COLLECTION)
      object['spec'] = crdWithDefaults(object, info.version)['spec']
    if (info.subresources.has('status') && !statusKeptOnCreate(info)) {
      // PrepareForCreate drops a client's status before Validate (BeforeCreate, rest/create.go):
      // built-in strategies and customResourceStrategy (customresource/strategy.go) alike.
      delete object['status']
    }
    // customresource_handler.go forbidCreateAdmission: none while the CRD is terminating.
    if (isCustom(info)) {
      const crd = this.store.get(CRD_COLLECTION, '', `${info.resource}.${info.group}`)
      if (crd !== undefined && metadataOf(crd)['deletionTimestamp'] !== undefined)
        throw forbidden(
          info,
          name,
          'create not allowed while custom resource definition is terminating',
        )
    }
    let validated = this.#validate(info, object, options)
    // Decoding defaults the object before the field manager: the writer owns the defaults.
    this.#decodeDefaults(info, validated)
    this.#validateCrd(info, validated, undefined, options)
    this.#admitNamespace(info, namespace, name)
    const collection = collectionOf(info)
    if (this.store.get(collection, info.namespaced ? namespace : '', name) !== undefined) {
      throw alreadyExists(info, name)
    }
    // BeforeCreate: the server owns these.
    const meta = metadataOf(validated)
    meta['uid'] = randomUUID()
    meta['creationTimestamp'] = nowTime()
    delete meta['deletionTimestamp']
    delete meta['deletionGracePeriodSeconds']
    delete meta['selfLink']
    dropEmptyMetadata(meta)
    if (isCustom(info) || generationCounted.has(collectionOf(info))) meta['generation'] = 1
    else delete meta['generation']
    validated = this.#defaults(info, validated)
    meta['managedFields'] =
      managedFields ??
      updateManagedFields(
        [],
        undefined,
        validated,
        this.#schema(info),
        options.fieldManager,
        info.apiVersion,
        undefined,
        // A status is not the writer's (the field manager resets status fields of the main
        // resource): a Node's kept on create, a PersistentVolume's defaulted phase.
        info.subresources.has('status') ? 'main' : 'all',
        this.#zeroValue(info),
      )
    this.#omitManagedFields(meta)
    this.#preparedForCreate(info, validated, options.dryRun)
    // The object read back from storage (a dry run's copy too) is decoded again: defaults of what
    // the strategy set are owned by no one (a Job's labels from its generated selector).
    this.#decodeDefaults(info, validated)
    if (options.dryRun) return validated
    const json = fitStorage(validated, managedFields === undefined)
    options.measured?.(json)
    const revision = this.store.nextRevision()
    meta['resourceVersion'] = String(revision)
    this.store.put(collection, validated, revision)
    return validated
  }

  // A Service's cluster IP and node ports (service-allocation.ts), after the field manager: the
  // writer does not own what the allocator chose (storage.go beginCreate / beginUpdate run in
  // the store's create and update, past the field manager's admission).
  #allocateService(
    info: ResourceInfo,
    service: JsonObject,
    old: JsonObject | undefined,
    dryRun: boolean,
  ): void {
    if (!isService(info)) return
    const { namespace, name } = metaOf(service)
    const others = this.store
      .list(collectionOf(info))
      .filter((s) => metaOf(s).namespace !== namespace || metaOf(s).name !== name)
    const allocated = allocatedBy(others, namespace === 'default' && name === 'kubernetes')
    const causes =
      old === undefined
        ? allocateOnCreate(service, allocated, dryRun)
        : allocateOnUpdate(service, old, allocated, dryRun)
    if (causes.length > 0) throw invalid(info, name, causes)
  }

  // The object an Update is compared with when it creates one: a built-in kind's Go zero value.
  // A CustomResourceDefinition's managed fields stay the approximation of custom resources': the
  // 1,000-CRD start creates every CRD through here, on its worker threads.
  #zeroValue(info: ResourceInfo): JsonObject | undefined {
    if (isCustom(info) || collectionOf(info) === CRD_COLLECTION) return undefined
    return goZeroValue(info.apiVersion, info.kind)
  }

  // A built-in kind's Go defaults (builtin-defaults.ts) wherever kube-apiserver decodes one.
  #decodeDefaults(info: ResourceInfo, object: JsonObject): void {
    if (!isCustom(info)) defaultBuiltIn(info, object)
  }

  // The few defaults clients rely on (kubernetes `pkg/registry/core/namespace/strategy.go`), and
  // a new CRD's status (apiextensions-apiserver `pkg/registry/customresourcedefinition/
  // strategy.go` PrepareForCreate: no names accepted yet, the storage version stored).
  #defaults(info: ResourceInfo, object: JsonObject): JsonObject {
    if (collectionOf(info) === CRD_COLLECTION) {
      const storage = crdStorageVersionOf(object)
      object['status'] = {
        conditions: null,
        acceptedNames: { plural: '', kind: '' },
        storedVersions: storage === undefined ? [] : [storage],
      }
    }
    if (info.group === '' && info.resource === 'namespaces') {
      const meta = metadataOf(object)
      const labels = isJsonObject(meta['labels']) ? meta['labels'] : {}
      meta['labels'] = { ...labels, 'kubernetes.io/metadata.name': meta['name'] }
    }
    return object
  }

  // What kube-apiserver sets on a new object after its field manager ran (the writer does not own
  // it): strategies' PrepareForCreate and mutating admission.
  #preparedForCreate(info: ResourceInfo, object: JsonObject, dryRun: boolean): void {
    if (!isCustom(info)) prepareCreated(info, object, nowTime())
    if (info.group === '' && info.resource === 'namespaces') {
      // pkg/registry/core/namespace/strategy.go PrepareForCreate.
      object['spec'] = { finalizers: ['kubernetes'] }
      object['status'] = { phase: 'Active' }
    }
    if (info.group === '' && info.resource === 'nodes') {
      // The TaintNodesByCondition admission plugin (plugin/pkg/admission/nodetaint): a new Node
      // is not ready until the node controller says so.
      const spec: JsonObject = isJsonObject(object['spec']) ? { ...object['spec'] } : {}
      const taints: unknown[] = Array.isArray(spec['taints']) ? (spec['taints'] as unknown[]) : []
      if (
        !taints.some(
          (t) =>
            isJsonObject(t) &&
            t['key'] === 'node.kubernetes.io/not-ready' &&
            t['effect'] === 'NoSchedule',
        )
      )
        spec['taints'] = [...taints, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]
      object['spec'] = spec
    }
    if (info.group === 'batch' && info.resource === 'jobs')
      generateJobSelector(object, String(metadataOf(object)['uid']))
    if (info.group === '' && info.resource === 'pods') {
      const refused = admitNewPod(object, this.store.list(PRIORITY_CLASSES))
      if (refused !== undefined) throw forbidden(info, String(metadataOf(object)['name']), refused)
    }
    this.#allocateService(info, object, undefined, dryRun)
  }

  /**
   * Update (PUT) of the object or of its `status` subresource. A stale `resourceVersion` is a
   * 409 Conflict; custom resources require one (AllowUnconditionalUpdate false).
   */
  update(
    info: ResourceInfo,
    namespace: string,
    name: string,
    body: JsonObject,
    subresource: 'status' | undefined,
    options: WriteOptions,
    managedFields?: ManagedFieldsEntry[],
  ): JsonObject {
    const ns = info.namespaced ? namespace : ''
    const old = this.getOrThrow(info, ns, name)
    const object = structuredClone(body)
    const metadata = metadataOf(object)
    if (metadata['name'] !== undefined && metadata['name'] !== name) {
      throw badRequest(
        `the name of the object (${scalarText(metadata['name'])}) does not match the name on the URL (${name})`,
      )
    }
    if (
      info.namespaced &&
      metadata['namespace'] !== undefined &&
      metadata['namespace'] !== '' &&
      metadata['namespace'] !== namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      )
    }
    const oldMeta = metadataOf(old)
    const rv = metadata['resourceVersion']
    if (rv === undefined || rv === '') {
      if (isCustom(info)) {
        // generic/registry/store.go Update names the resource where the kind goes (its own TODO).
        throw invalid({ group: info.group, kind: info.resource }, name, [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0: must be specified for an update',
            field: 'metadata.resourceVersion',
          },
        ])
      }
    } else if (rv !== oldMeta['resourceVersion']) {
      throw staleConflict(info, name)
    }
    let next: JsonObject
    if (subresource === 'status') {
      // Status strategies keep everything but status (metav1.ResetObjectMetaForStatus).
      next = structuredClone(old)
      if (object['status'] === undefined) delete next['status']
      else next['status'] = object['status']
    } else {
      next = object
      next['metadata'] = {
        ...metadata,
        name,
        uid: oldMeta['uid'],
        creationTimestamp: oldMeta['creationTimestamp'],
      }
      if (info.namespaced) metadataOf(next)['namespace'] = namespace
      if (oldMeta['deletionTimestamp'] !== undefined) {
        metadataOf(next)['deletionTimestamp'] = oldMeta['deletionTimestamp']
        // A deleted CRD has none (crd-status.ts terminatingCrd).
        if (oldMeta['deletionGracePeriodSeconds'] === undefined)
          delete metadataOf(next)['deletionGracePeriodSeconds']
        else metadataOf(next)['deletionGracePeriodSeconds'] = oldMeta['deletionGracePeriodSeconds']
      }
      if (info.subresources.has('status')) {
        if (old['status'] === undefined) delete next['status']
        else next['status'] = old['status']
      }
      if (info.group === '' && info.resource === 'namespaces') next['status'] = old['status']
    }
    next['apiVersion'] = info.apiVersion
    next['kind'] = info.kind
    if (collectionOf(info) === CRD_COLLECTION) next = crdWithDefaults(next, info.version)
    next = this.#validate(info, next, options, old)
    this.#decodeDefaults(info, next)
    if (isService(info) && subresource === undefined) dropTypeDependentFields(next, old)
    if (subresource !== 'status') this.#validateCrd(info, next, old, options)
    const meta = metadataOf(next)
    delete meta['resourceVersion']
    delete meta['selfLink']
    dropEmptyMetadata(meta)
    if (oldMeta['generation'] !== undefined) {
      const strip = (o: JsonObject): JsonObject => {
        const rest = { ...o }
        delete rest['metadata']
        if (info.subresources.has('status')) delete rest['status']
        return rest
      }
      // kubernetes pkg/registry/apps/deployment/strategy.go PrepareForUpdate: a Deployment's
      // annotations count too (they are copied to its ReplicaSets); Semantic.DeepEqual holds
      // no annotations and empty ones equal.
      const annotationsCount =
        subresource === undefined && collectionOf(info) === 'apps/deployments'
      const annotationsChanged =
        annotationsCount && !deepEqual(oldMeta['annotations'] ?? {}, meta['annotations'] ?? {})
      meta['generation'] =
        deepEqual(strip(old), strip(next)) && !annotationsChanged
          ? oldMeta['generation']
          : Number(oldMeta['generation']) + 1
    } else delete meta['generation']
    // Finalizers can only be removed once deletion started (ValidateObjectMetaUpdate).
    const oldFinalizers = Array.isArray(oldMeta['finalizers']) ? oldMeta['finalizers'] : []
    const newFinalizers = Array.isArray(meta['finalizers']) ? meta['finalizers'] : []
    if (
      oldMeta['deletionTimestamp'] !== undefined &&
      newFinalizers.some((f) => !oldFinalizers.includes(f))
    ) {
      throw invalid(info, name, [
        {
          reason: 'FieldValueForbidden',
          message: 'Forbidden: no new finalizers can be added if the object is being deleted',
          field: 'metadata.finalizers',
        },
      ])
    }
    const scope =
      subresource === 'status' ? 'status' : info.subresources.has('status') ? 'main' : 'all'
    meta['managedFields'] =
      managedFields ??
      updateManagedFields(
        entriesOf(old),
        old,
        next,
        this.#schema(info),
        options.fieldManager,
        info.apiVersion,
        subresource,
        scope,
        this.#zeroValue(info),
      )
    this.#omitManagedFields(meta)
    if (subresource === undefined) this.#allocateService(info, next, old, options.dryRun)
    if (subresource === undefined && info.group === '' && info.resource === 'pods')
      admitPodUpdate(next, old)
    if (subresource === undefined && !isCustom(info)) prepareUpdated(info, next, old)
    this.#decodeDefaults(info, next)
    if (deepEqual(withoutVolatileMeta(next), withoutVolatileMeta(old))) {
      // A no-op update writes nothing and keeps the resourceVersion (store.go GuaranteedUpdate).
      return old
    }
    if (options.dryRun) {
      meta['resourceVersion'] = oldMeta['resourceVersion']
      return next
    }
    fitStorage(next, managedFields === undefined)
    const revision = this.store.nextRevision()
    meta['resourceVersion'] = String(revision)
    if (meta['deletionTimestamp'] !== undefined && newFinalizers.length === 0) {
      // store.go deleteForEmptyFinalizers deletes what etcd holds: the DELETED event carries
      // the object as last stored (its finalizers still there) at the revision of the delete.
      const final = structuredClone(old)
      metadataOf(final)['resourceVersion'] = String(revision)
      this.store.remove(collectionOf(info), final, revision)
      // The answer is the object as sent, at the resourceVersion it was read at.
      meta['resourceVersion'] = oldMeta['resourceVersion']
      return next
    }
    this.store.put(collectionOf(info), next, revision)
    return next
  }

  /** PATCH of the object or of a subresource (`status`); `apply` may create. */
  patch(
    info: ResourceInfo,
    namespace: string,
    name: string,
    type: PatchType,
    patch: unknown,
    subresource: 'status' | undefined,
    options: WriteOptions & { force: boolean },
  ): { object: JsonObject; created: boolean } {
    const ns = info.namespaced ? namespace : ''
    const live = this.store.get(collectionOf(info), ns, name)
    const node = this.#schema(info)
    if (type === 'apply') {
      if (!isJsonObject(patch))
        throw badRequest('error decoding YAML: the apply configuration must be an object')
      const meta = isJsonObject(patch['metadata']) ? patch['metadata'] : {}
      if (meta['name'] !== undefined && meta['name'] !== name) {
        throw badRequest(
          `the name of the object (${scalarText(meta['name'])}) does not match the name on the URL (${name})`,
        )
      }
      if (patch['apiVersion'] !== info.apiVersion || patch['kind'] !== info.kind) {
        throw badRequest(
          `error decoding patch: apiVersion and kind must be ${info.apiVersion} ${info.kind}, got ${String(patch['apiVersion'])} ${String(patch['kind'])}`,
        )
      }
      // A subresource is never created by apply (the status store's Update does not allow
      // create-on-update): the object must exist before the field manager runs.
      if (subresource !== undefined && live === undefined) throw notFound(info, name)
      // The field manager types the configuration before anything validates it.
      const duplicates = duplicateEntriesError(info, patch, node)
      if (duplicates !== undefined) throw duplicates
      const config = structuredClone(patch)
      const validated =
        node.schema === undefined
          ? config
          : validateObject(node.document, node.schema, config).object
      try {
        const applied = applyConfiguration(
          live === undefined ? undefined : structuredClone(live),
          validated,
          node,
          options.fieldManager,
          info.apiVersion,
          options.force,
          subresource,
          live === undefined ? [] : entriesOf(live),
        )
        syncLastApplied(options.fieldManager, applied.object, patch)
        if (live === undefined) {
          const created = applied.object
          metadataOf(created)['name'] = name
          return {
            object: this.create(info, namespace, created, options, applied.managedFields),
            created: true,
          }
        }
        const next = applied.object
        metadataOf(next)['resourceVersion'] = metadataOf(live)['resourceVersion']
        return {
          object: this.update(
            info,
            namespace,
            name,
            next,
            subresource,
            options,
            applied.managedFields,
          ),
          created: false,
        }
      } catch (error) {
        if (error instanceof ApplyConflictError) {
          throw new ApiStatusError(409, 'Conflict', error.message, { causes: error.causes })
        }
        throw error
      }
    }
    if (live === undefined) throw notFound(info, name)
    let patched: unknown
    try {
      const base = structuredClone(live)
      if (type === 'merge') patched = mergePatch(base, patch)
      else if (type === 'json') patched = jsonPatch(base, patch)
      else patched = strategicMergePatch(base, patch, node)
    } catch (error) {
      if (error instanceof PatchError) {
        if (error.malformed) throw badRequest(error.message)
        // handlers/patch.go jsonPatcher.applyJSPatch: NewGenericServerResponse drops the text.
        if (type === 'json') throw genericServerResponse(422)
        throw new ApiStatusError(422, 'Invalid', error.message)
      }
      throw error
    }
    if (!isJsonObject(patched)) throw badRequest('the patched object is not a JSON object')
    const patchedMeta = metadataOf(patched)
    // A patch that sets resourceVersion is a precondition; without one the live version is used.
    const liveMeta = metadataOf(live)
    if (
      patchedMeta['resourceVersion'] === undefined ||
      patchedMeta['resourceVersion'] === liveMeta['resourceVersion']
    ) {
      patchedMeta['resourceVersion'] = liveMeta['resourceVersion']
    } else {
      throw staleConflict(info, name)
    }
    return {
      object: this.update(info, namespace, name, patched, subresource, options),
      created: false,
    }
  }

  /**
   * Delete: with finalizers the object only gets `deletionTimestamp` (200 with the object);
   * otherwise it goes. Preconditions (uid, resourceVersion) are checked first.
   */
  delete(
    info: ResourceInfo,
    namespace: string,
    name: string,
    options: { dryRun: boolean; preconditions?: { uid?: string; resourceVersion?: string } },
  ): { object: JsonObject; gone: boolean } {
    const ns = info.namespaced ? namespace : ''
    const live = this.getOrThrow(info, ns, name)
    const meta = metadataOf(live)
    const pre = options.preconditions
    // apiserver pkg/registry/rest/delete.go BeforeDelete: the conflict names the kind where the
    // resource goes (GroupResource{Resource: gvk.Kind}).
    const byKind = { group: info.group, resource: info.kind }
    if (pre?.uid !== undefined && pre.uid !== meta['uid']) {
      throw conflict(
        byKind,
        name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${String(meta['uid'])}). The object might have been deleted and then recreated`,
      )
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== meta['resourceVersion']) {
      throw conflict(
        byKind,
        name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${String(meta['resourceVersion'])}). The object might have been modified`,
      )
    }
    const finalizers = Array.isArray(meta['finalizers']) ? meta['finalizers'] : []
    const isNamespace = info.group === '' && info.resource === 'namespaces'
    const isCrd = collectionOf(info) === CRD_COLLECTION
    if (finalizers.length > 0 || isNamespace || isCrd) {
      if (meta['deletionTimestamp'] !== undefined) return { object: live, gone: false }
      // A CRD waits for its custom resources (crd-status.ts terminatingCrd, crd-controller.ts).
      const next = isCrd ? terminatingCrd(structuredClone(live), nowTime()) : structuredClone(live)
      const nextMeta = metadataOf(next)
      if (!isCrd) markAsDeleting(nextMeta)
      if (isNamespace) next['status'] = { phase: 'Terminating' }
      if (options.dryRun) return { object: next, gone: false }
      const revision = this.store.nextRevision()
      nextMeta['resourceVersion'] = String(revision)
      this.store.put(collectionOf(info), next, revision)
      if (isNamespace) this.#onNamespaceDeleted(name)
      return { object: next, gone: false }
    }
    if (options.dryRun) return { object: live, gone: true }
    const revision = this.store.nextRevision()
    const final = structuredClone(live)
    metadataOf(final)['resourceVersion'] = String(revision)
    this.store.remove(collectionOf(info), final, revision)
    return { object: final, gone: true }
  }

  /** Removes a terminating namespace once its content is gone (the namespace controller). */
  finalizeNamespace(info: ResourceInfo, name: string): void {
    const live = this.store.get('/namespaces', '', name)
    if (live === undefined) return
    const revision = this.store.nextRevision()
    const final = structuredClone(live)
    metadataOf(final)['resourceVersion'] = String(revision)
    this.store.remove(collectionOf(info), final, revision)
  }

  /**
   * The autoscaling/v1 Scale of a scalable object: built-ins as `pkg/registry/apps/deployment/
   * storage` builds it, custom resources from their CRD's scale paths (custom-scale.ts). A custom
   * resource without spec replicas has no Scale to read (500); `forUpdate` marks it instead.
   */
  scaleOf(info: ResourceInfo, object: JsonObject, forUpdate = false): JsonObject {
    const meta = metadataOf(object)
    const spec = isJsonObject(object['spec']) ? object['spec'] : {}
    const status = isJsonObject(object['status']) ? object['status'] : {}
    const kind = scaleKinds[collectionOf(info)]
    let selector = ''
    let specReplicas = typeof spec['replicas'] === 'number' ? spec['replicas'] : 0
    let statusReplicas = typeof status['replicas'] === 'number' ? status['replicas'] : 0
    if (kind?.selector === 'labelSelector') selector = formatLabelSelector(spec['selector'])
    else if (kind?.selector === 'map' && isJsonObject(spec['selector'])) {
      selector = Object.entries(spec['selector'])
        .map(([k, v]) => `${k}=${String(v)}`)
        .sort()
        .join(',')
    } else if (isCustom(info)) {
      const paths = this.#customScalePaths(info)
      const values = customScaleValues(object, paths)
      specReplicas = specReplicasOf(values.specReplicas, paths, forUpdate)
      statusReplicas = values.statusReplicas
      selector = values.selector
    }
    const scaleMeta: JsonObject = { name: meta['name'] }
    if (meta['namespace'] !== undefined) scaleMeta['namespace'] = meta['namespace']
    scaleMeta['uid'] = meta['uid']
    scaleMeta['resourceVersion'] = meta['resourceVersion']
    scaleMeta['creationTimestamp'] = meta['creationTimestamp']
    const scaleStatus: JsonObject = { replicas: statusReplicas }
    if (selector !== '') scaleStatus['selector'] = selector
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: scaleMeta,
      spec: { replicas: specReplicas },
      status: scaleStatus,
    }
  }

  /** Writes a Scale's `spec.replicas` back into its object (PUT or PATCH on `/scale`). */
  updateScale(
    info: ResourceInfo,
    namespace: string,
    name: string,
    scale: unknown,
    options: WriteOptions,
  ): JsonObject {
    const live = this.getOrThrow(info, info.namespaced ? namespace : '', name)
    if (!isJsonObject(scale)) throw badRequest('the body must be an autoscaling/v1 Scale')
    const scaleMeta = isJsonObject(scale['metadata']) ? scale['metadata'] : {}
    const spec = isJsonObject(scale['spec']) ? scale['spec'] : {}
    const replicas = spec['replicas']
    const next = structuredClone(live)
    const paths = isCustom(info) ? this.#customScalePaths(info) : undefined
    // etcd.go writes the replicas (refusing the marker) before the Scale is validated.
    if (paths !== undefined) writeSpecReplicas(next, paths, replicas)
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
          field: 'spec.replicas',
        },
      ])
    }
    if (paths === undefined) {
      const nextSpec = isJsonObject(next['spec']) ? next['spec'] : {}
      nextSpec['replicas'] = replicas
      next['spec'] = nextSpec
    }
    const rv = scaleMeta['resourceVersion']
    metadataOf(next)['resourceVersion'] =
      rv === undefined || rv === '' ? metadataOf(live)['resourceVersion'] : rv
    const updated = this.update(info, namespace, name, next, undefined, options)
    return this.scaleOf(info, updated)
  }
}

// etcd's default `--max-request-bytes` (1.5 MiB, etcd `embed/config.go` DefaultMaxRequestBytes),
// which apiserver `pkg/server/config.go` cites for its limits. The emulator measures the object's
// JSON (etcd holds custom resources as JSON and built-ins as protobuf, which is smaller).
const maxStoredBytes = 1.5 * 1024 * 1024

// A write etcd refuses: apiserver `pkg/endpoints/handlers/rest.go` isTooLargeError. create.go,
// update.go and patch.go (not for apply) retry once without managedFields; what still does not
// fit is etcd's error, which reaches the client as a 500 Status without a reason. Returns the
// JSON text that fits.
function fitStorage(object: JsonObject, mayDropManagedFields: boolean): string {
  const fitting = (): string | undefined => {
    const text = JSON.stringify(object)
    // A UTF-16 code unit is at most 3 bytes of UTF-8: most objects fit without counting them.
    return text.length * 3 <= maxStoredBytes || Buffer.byteLength(text) <= maxStoredBytes
      ? text
      : undefined
  }
  const text = fitting()
  if (text !== undefined) return text
  const meta = metadataOf(object)
  if (mayDropManagedFields && meta['managedFields'] !== undefined) {
    delete meta['managedFields']
    const without = fitting()
    if (without !== undefined) return without
  }
  throw new ApiStatusError(500, '', 'etcdserver: request is too large')
}

// An object no manager owns a field of (a ServiceAccount with only its name) has no
// managedFields: ObjectMeta's `managedFields` is omitempty.
function omitEmptyManagedFields(meta: JsonObject): void {
  const entries = meta['managedFields']
  if (Array.isArray(entries) && entries.length === 0) delete meta['managedFields']
}

// What a no-op comparison ignores: the resourceVersion and the managers' timestamps.
function withoutVolatileMeta(object: JsonObject): JsonObject {
  const metadata: JsonObject = {}
  for (const [key, value] of Object.entries(metadataOf(object))) {
    if (key !== 'resourceVersion' && key !== 'managedFields') metadata[key] = value
  }
  return { ...object, metadata }
}

/**
 * store.go markAsDeleting: the metadata of an object its finalizers hold, at its first delete —
 * `deletionTimestamp` now, no grace period, and the generation bumped where it counts one.
 *
 * @example
 * markAsDeleting(metadataOf(held))
 */
export function markAsDeleting(metadata: JsonObject): void {
  if (typeof metadata['generation'] === 'number' && metadata['generation'] > 0)
    metadata['generation'] += 1
  metadata['deletionTimestamp'] = nowTime()
  metadata['deletionGracePeriodSeconds'] = 0
}

/** A write's `managedFields` manager: `fieldManager`, else the User-Agent up to its first `/`. */
export function managerOf(fieldManager: string | null, userAgent: string | undefined): string {
  if (fieldManager !== null && fieldManager !== '') return fieldManager
  // apiserver `pkg/endpoints/handlers/rest.go` prefixFromUserAgent.
  const prefix = (userAgent ?? '').split('/')[0] ?? ''
  return prefix === '' ? 'unknown' : prefix.slice(0, 128)
}
