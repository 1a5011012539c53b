// The CSI external-snapshotter's own example resources, as typed literals checked against the types
// `generate --crds` makes from its CRDs (see ../README.md). Each literal cites its source file in
// kubernetes-csi/external-snapshotter at afb2f0d85e00; every `@ts-expect-error` is a mistake the
// generated types must catch.
import type { VolumeSnapshot, VolumeSnapshotClass } from '../k8s/snapshot.storage.k8s.io/v1.js'
import type {
  VolumeGroupSnapshot,
  VolumeGroupSnapshotClass,
} from '../k8s/groupsnapshot.storage.k8s.io/v1beta1.js'
import { VolumeSnapshotContent as VolumeSnapshotContentResource } from '../k8s/snapshot.storage.k8s.io/v1.js'
import type { VolumeGroupSnapshot as VolumeGroupSnapshotV1 } from '../k8s/groupsnapshot.storage.k8s.io/v1.js'

// examples/kubernetes/snapshot-v1.yaml, document 0
export const newSnapshotDemoV1: VolumeSnapshot = {
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshot',
  metadata: {
    name: 'new-snapshot-demo-v1',
  },
  spec: {
    volumeSnapshotClassName: 'csi-hostpath-snapclass-v1',
    source: {
      persistentVolumeClaimName: 'hpvc',
    },
  },
}

// examples/kubernetes/snapshotclass-v1.yaml, document 0
export const csiHostpathSnapclassV1: VolumeSnapshotClass = {
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshotClass',
  metadata: {
    name: 'csi-hostpath-snapclass-v1',
  },
  driver: 'hostpath.csi.k8s.io',
  deletionPolicy: 'Delete',
}

// examples/kubernetes/groupsnapshot-v1beta1.yaml, document 0
export const newGroupsnapshotDemo: VolumeGroupSnapshot = {
  apiVersion: 'groupsnapshot.storage.k8s.io/v1beta1',
  kind: 'VolumeGroupSnapshot',
  metadata: {
    name: 'new-groupsnapshot-demo',
  },
  spec: {
    source: {
      selector: {
        matchLabels: {
          'app.kubernetes.io/name': 'postgresql',
        },
      },
    },
    volumeGroupSnapshotClassName: 'csi-hostpath-groupsnapclass',
  },
}

// examples/kubernetes/groupsnapshotclass-v1beta1.yaml, document 0
export const csiHostpathGroupsnapclass: VolumeGroupSnapshotClass = {
  apiVersion: 'groupsnapshot.storage.k8s.io/v1beta1',
  kind: 'VolumeGroupSnapshotClass',
  metadata: {
    name: 'csi-hostpath-groupsnapclass',
  },
  driver: 'hostpath.csi.k8s.io',
  deletionPolicy: 'Delete',
}

// Mistakes the generated types must catch.
export const wrongDeletionPolicy: VolumeSnapshotClass = {
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshotClass',
  driver: 'hostpath.csi.k8s.io',
  // @ts-expect-error deletionPolicy is Delete | Retain
  deletionPolicy: 'Remove',
}

// @ts-expect-error driver and deletionPolicy are required
export const noDriver: VolumeSnapshotClass = {
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshotClass',
}

export const sourceAsString: VolumeSnapshot = {
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshot',
  // @ts-expect-error source is an object naming a PVC or a content
  spec: { source: 'hpvc' },
}

// status.restoreSize is x-kubernetes-int-or-string (with a `type: string` beside it).
export const restored: VolumeSnapshot = {
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshot',
  spec: { source: { persistentVolumeClaimName: 'hpvc' } },
  status: { readyToUse: true, restoreSize: '1Gi' },
}

// VolumeSnapshotContent is cluster-scoped; the group-snapshot kinds are served in v1, v1beta1
// (deprecated) and v1beta2 (storage), each with its own module.
export const contentPath: '/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/c' =
  VolumeSnapshotContentResource.path({ name: 'c' })
export const groupSnapshotV1: VolumeGroupSnapshotV1 = {
  apiVersion: 'groupsnapshot.storage.k8s.io/v1',
  kind: 'VolumeGroupSnapshot',
  spec: { source: { selector: { matchLabels: { app: 'db' } } } },
}
