// A CRD created, updated and deleted through the API while the server runs (crd-controller.ts):
// its status written by the server's CRD controllers, then its custom resources and discovery.
// CRDs are cluster-wide: each row has a group of its own.
import type { Answer, ParityRow, Request, Watch } from './_scenario.js'

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'

const crd = (
  group: string,
  versions: { name: string; storage: boolean }[],
): Record<string, unknown> => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `gizmos.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo', shortNames: ['gz'] },
    versions: versions.map((v) => ({
      ...v,
      served: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
        },
      },
    })),
  },
})

const aggregated =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'

/** An aggregated discovery list reduced to the group `name`. */
const onlyGroup =
  (name: string) =>
  (body: unknown): unknown => ({
    ...(body as Record<string, unknown>),
    items: (body as { items: { metadata: { name: string } }[] }).items.filter(
      (item) => item.metadata.name === name,
    ),
  })

const rvOf = (answer: Answer | undefined): string =>
  String((answer?.body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion)

// The CRD's changes from `answer`'s revision: the controllers' `events` writes (which come within
// a second on both servers), or what comes before the server ends the watch.
const crdChangesSince =
  (
    group: string,
    from: (answers: Answer[]) => Answer | undefined,
    events?: number,
    seconds = events === undefined ? 2 : 5,
  ) =>
  (answers: Answer[]): Watch => ({
    watch: `${CRDS}?watch=true&fieldSelector=metadata.name%3Dgizmos.${group}&resourceVersion=${rvOf(from(answers))}&timeoutSeconds=${seconds}`,
    ...(events === undefined ? {} : { events }),
  })
const first = (answers: Answer[]): Answer | undefined => answers[0]
// The DELETE's answer: the first CRD answered with 200 (the create's is a 201).
const deleteAnswer = (answers: Answer[]): Answer | undefined =>
  answers.find(
    (a) => a.status === 200 && (a.body as { kind?: string }).kind === 'CustomResourceDefinition',
  )
const last = (answers: Answer[]): Answer | undefined => answers.at(-1)

const gizmo = (group: string): Request => ({
  method: 'POST',
  path: `/apis/${group}/v1/namespaces/{ns}/gizmos`,
  body: { apiVersion: `${group}/v1`, kind: 'Gizmo', metadata: { name: 'g' }, spec: { size: 3 } },
})

const created = 'created.example.dev'
const updated = 'updated.example.dev'
const deleted = 'deleted.example.dev'
const held = 'held.example.dev'

const heldGizmo = (name: string, finalizers?: string[]): Request => ({
  method: 'POST',
  path: `/apis/${held}/v1/namespaces/{ns}/gizmos`,
  body: {
    apiVersion: `${held}/v1`,
    kind: 'Gizmo',
    metadata: { name, ...(finalizers === undefined ? {} : { finalizers }) },
    spec: { size: 1 },
  },
})

export const crdLifecycles: ParityRow[] = [
  {
    given: {
      name: 'a CRD created through the API: the server names and establishes it, then serves its custom resources and discovery',
      steps: [
        { method: 'POST', path: CRDS, body: crd(created, [{ name: 'v1', storage: true }]) },
        crdChangesSince(created, first, 2),
        gizmo(created),
        { path: `/apis/${created}/v1/namespaces/{ns}/gizmos` },
        { path: `/apis/${created}/v1` },
        { path: `/apis/${created}` },
      ],
    },
    want: {
      simplifications: ['managed fields', 'defaulting of built-in kinds'],
      differences: [
        '#0.body.metadata.managedFields[]',
        '#1.events[].object.metadata',
        '#2.body.metadata.managedFields[]',
        '#3.body.items[].metadata',
      ],
    },
  },
  {
    given: {
      name: 'a CRD updated with a second version: the new version is served, and preferred',
      setup: [{ method: 'POST', path: CRDS, body: crd(updated, [{ name: 'v1', storage: true }]) }],
      // kube-apiserver answers 429 "storage is (re)initializing" for a moment after an update:
      // its custom resources are not read then.
      steps: [
        crdChangesSince(updated, first, 2),
        gizmo(updated),
        { path: `${CRDS}/gizmos.${updated}` },
        (answers) => ({
          method: 'PUT',
          path: `${CRDS}/gizmos.${updated}`,
          body: {
            ...crd(updated, [
              { name: 'v1', storage: true },
              { name: 'v2', storage: false },
            ]),
            metadata: { name: `gizmos.${updated}`, resourceVersion: rvOf(last(answers)) },
          },
        }),
        crdChangesSince(updated, last),
        { path: `/apis/${updated}` },
      ],
    },
    want: {
      simplifications: ['managed fields', 'defaulting of built-in kinds'],
      differences: [
        '#0.events[].object.metadata',
        '#1.body.metadata.managedFields[]',
        '#2.body.metadata.managedFields[]',
        '#3.body.metadata.managedFields[]',
      ],
    },
  },
  {
    given: {
      name: 'a CRD deleted: its custom resources go, then the CRD, behind the cleanup finalizer',
      setup: [{ method: 'POST', path: CRDS, body: crd(deleted, [{ name: 'v1', storage: true }]) }],
      steps: [
        crdChangesSince(deleted, first, 2),
        gizmo(deleted),
        { method: 'DELETE', path: `${CRDS}/gizmos.${deleted}` },
        crdChangesSince(deleted, last, 2),
        { path: `${CRDS}/gizmos.${deleted}` },
        { path: `/apis/${deleted}/v1/namespaces/{ns}/gizmos` },
        { path: `/apis/${deleted}/v1` },
      ],
    },
    want: {
      simplifications: ['managed fields', 'defaulting of built-in kinds', 'error texts'],
      differences: [
        '#0.events[].object.metadata',
        '#1.body.metadata.managedFields[]',
        '#2.body.metadata.managedFields[]',
        '#3.events[].object.metadata',
      ],
    },
  },
  {
    given: {
      name: 'a CRD deleted while a custom resource holds a finalizer stays Terminating, still serving it but refusing creates, until a client removes the finalizer',
      setup: [
        { method: 'POST', path: CRDS, body: crd(held, [{ name: 'v1', storage: true }]) },
        crdChangesSince(held, first, 2),
        heldGizmo('held', ['example.dev/hold']),
      ],
      steps: [
        { method: 'DELETE', path: `${CRDS}/gizmos.${held}` },
        crdChangesSince(held, last, 1),
        // Terminating: discovery lists the verbs that still work (delete, get, list, watch).
        { path: `/apis/${held}/v1` },
        { path: '/apis', accept: aggregated, view: onlyGroup(held) },
        { path: `/apis/${held}/v1/namespaces/{ns}/gizmos/held` },
        heldGizmo('late'),
        {
          method: 'PATCH',
          path: `/apis/${held}/v1/namespaces/{ns}/gizmos/held`,
          body: { metadata: { finalizers: null } },
          contentType: 'application/merge-patch+json',
        },
        // From the delete: InstanceDeletionInProgress, then DELETED once the resource is gone
        // (kube-apiserver looks every 5 s).
        crdChangesSince(held, deleteAnswer, 2, 12),
        { path: `${CRDS}/gizmos.${held}` },
      ],
    },
    want: {
      simplifications: ['managed fields', 'discovery and built-in documents'],
      differences: [
        '#0.body.metadata.managedFields[]',
        '#1.events[].object.metadata',
        '#3.body.items[].metadata',
        '#4.body.metadata.managedFields[]',
        '#6.body.metadata.managedFields[]',
        '#7.events[].object.metadata',
      ],
    },
  },
]
