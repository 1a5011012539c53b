// Typed literals of Forklift (Konveyor) custom resources, written after the shapes in the
// Forklift user documentation, checked against the types generated from the CRDs that
// @kubev2v/types ships (see ../README.md). Every `@ts-expect-error` is a mistake the generated
// types must catch.
import type {
  ForkliftController,
  Hook,
  Host,
  Migration,
  NetworkMap,
  Plan,
  Provider,
  StorageMap,
} from '../k8s/forklift.konveyor.io/v1beta1.js'
import { registry } from '../k8s/index.js'

export const provider: Provider = {
  apiVersion: 'forklift.konveyor.io/v1beta1',
  kind: 'Provider',
  metadata: { name: 'vsphere', namespace: 'openshift-mtv' },
  spec: {
    type: 'vsphere',
    url: 'https://vcenter.example.com/sdk',
    secret: { name: 'vsphere-credentials', namespace: 'openshift-mtv' },
    settings: { vddkInitImage: 'quay.io/example/vddk:8' },
  },
}

export const host: Host = {
  apiVersion: 'forklift.konveyor.io/v1beta1',
  kind: 'Host',
  metadata: { name: 'esx-1', namespace: 'openshift-mtv' },
  spec: {
    id: 'host-10',
    ipAddress: '10.0.0.21',
    provider: { name: 'vsphere', namespace: 'openshift-mtv' },
    secret: { name: 'esx-1-credentials', namespace: 'openshift-mtv' },
  },
}

export const networkMap: NetworkMap = {
  apiVersion: 'forklift.konveyor.io/v1beta1',
  kind: 'NetworkMap',
  metadata: { name: 'vsphere-to-host', namespace: 'openshift-mtv' },
  spec: {
    map: [
      { source: { id: 'network-11' }, destination: { type: 'pod' } },
      {
        source: { name: 'VM Network' },
        destination: { type: 'multus', name: 'vlan-20', namespace: 'vms' },
      },
    ],
    provider: {
      source: { name: 'vsphere', namespace: 'openshift-mtv' },
      destination: { name: 'host', namespace: 'openshift-mtv' },
    },
  },
}

export const storageMap: StorageMap = {
  apiVersion: 'forklift.konveyor.io/v1beta1',
  kind: 'StorageMap',
  metadata: { name: 'vsphere-storage', namespace: 'openshift-mtv' },
  spec: {
    map: [
      {
        source: { id: 'datastore-12' },
        destination: { storageClass: 'ocs-storagecluster-ceph-rbd', accessMode: 'ReadWriteOnce' },
      },
    ],
    provider: {
      source: { name: 'vsphere', namespace: 'openshift-mtv' },
      destination: { name: 'host', namespace: 'openshift-mtv' },
    },
  },
}

export const hook: Hook = {
  apiVersion: 'forklift.konveyor.io/v1beta1',
  kind: 'Hook',
  metadata: { name: 'pre-migration', namespace: 'openshift-mtv' },
  spec: { image: 'quay.io/konveyor/hook-runner', playbook: 'LS0tCi0gaG9zdHM6IGxvY2FsaG9zdA==' },
}

export const plan: Plan = {
  apiVersion: 'forklift.konveyor.io/v1beta1',
  kind: 'Plan',
  metadata: { name: 'migrate-web', namespace: 'openshift-mtv' },
  spec: {
    type: 'warm',
    targetNamespace: 'web',
    provider: {
      source: { name: 'vsphere', namespace: 'openshift-mtv' },
      destination: { name: 'host', namespace: 'openshift-mtv' },
    },
    map: {
      network: { name: 'vsphere-to-host', namespace: 'openshift-mtv' },
      storage: { name: 'vsphere-storage', namespace: 'openshift-mtv' },
    },
    vms: [{ id: 'vm-431' }, { name: 'web-2' }],
  },
}

export const migration: Migration = {
  apiVersion: 'forklift.konveyor.io/v1beta1',
  kind: 'Migration',
  metadata: { name: 'migrate-web-1', namespace: 'openshift-mtv' },
  spec: {
    plan: { name: 'migrate-web', namespace: 'openshift-mtv' },
    cutover: '2024-05-01T02:00:00Z',
  },
}

export const controller: ForkliftController = {
  apiVersion: 'forklift.konveyor.io/v1beta1',
  kind: 'ForkliftController',
  metadata: { name: 'forklift-controller', namespace: 'openshift-mtv' },
  // The CRD preserves unknown fields here: any settings are accepted.
  spec: { feature_ui_plugin: 'true', controller_max_vm_inflight: 20 },
}

export const wrongPlanType: Plan = {
  spec: {
    // @ts-expect-error the CRD's enum is cold | live | warm
    type: 'hot',
    targetNamespace: 'web',
    provider: { source: {}, destination: {} },
    map: { network: {}, storage: {} },
    vms: [],
  },
}

// @ts-expect-error a Hook's spec requires the image
export const hookWithoutImage: Hook = { spec: { playbook: 'x' } }

export const wrongNetworkType: NetworkMap = {
  spec: {
    // @ts-expect-error destination.type is ignored | multus | pod
    map: [{ source: {}, destination: { type: 'bridge' } }],
    provider: { source: {}, destination: {} },
  },
}

// The registry and descriptors carry what the CRDs say.
export const planPath: string = registry['forklift.konveyor.io/v1beta1/Plan'].path({
  namespace: 'openshift-mtv',
  name: 'migrate-web',
})
