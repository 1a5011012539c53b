// kube-apiserver's Table printers of the storage kinds and quotas (kubernetes
// pkg/printers/internalversion/printers.go): printPersistentVolume, printPersistentVolumeClaim,
// printStorageClass, printResourceQuota. What SetDefaults_* give a new object and the emulator
// does not store (a claim's or volume's `Pending` phase and `Filesystem` mode, a volume's `Retain`
// policy) is printed with its default. A quantity is printed as it was sent, where Go prints
// resource.Quantity's canonical form (`1Gi` either way; `1024Mi` stays `1024Mi` here).
import { type JsonObject } from './_json.js'
import {
  ageColumn,
  byteOrder,
  column,
  describe,
  objectAt,
  printer,
  text,
  type TableColumns,
} from './_printer-cells.js'

const quantity = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '0'

// helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once.
function accessModes(value: unknown): string {
  const modes = new Set(Array.isArray(value) ? value : [])
  return (
    [
      ['ReadWriteOnce', 'RWO'],
      ['ReadOnlyMany', 'ROX'],
      ['ReadWriteMany', 'RWX'],
      ['ReadWriteOncePod', 'RWOP'],
    ] as const
  )
    .filter(([mode]) => modes.has(mode))
    .map(([, short]) => short)
    .join(',')
}

// helper.GetPersistentVolume(Claim)Class: the beta annotation first.
function storageClassOf(object: JsonObject): string {
  const annotation = objectAt(object, 'metadata', 'annotations')[
    'volume.beta.kubernetes.io/storage-class'
  ]
  return typeof annotation === 'string'
    ? annotation
    : text(objectAt(object, 'spec')['storageClassName'])
}

const deleting = (object: JsonObject): boolean =>
  objectAt(object, 'metadata')['deletionTimestamp'] !== undefined

const orUnset = (value: unknown): string => (typeof value === 'string' ? value : '<unset>')

/** The storage kinds' and ResourceQuota's printers, by `group/version/Kind`. */
export const storagePrinters: Record<string, () => TableColumns> = {
  'core/v1/PersistentVolume': printer(
    () => [
      column('Capacity', describe('PersistentVolumeSpec', 'capacity')),
      column('Access Modes', describe('PersistentVolumeSpec', 'accessModes')),
      column('Reclaim Policy', describe('PersistentVolumeSpec', 'persistentVolumeReclaimPolicy')),
      column('Status', describe('PersistentVolumeStatus', 'phase')),
      column('Claim', describe('PersistentVolumeSpec', 'claimRef')),
      column('StorageClass', 'StorageClass of the pv'),
      column('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
      column('Reason', describe('PersistentVolumeStatus', 'reason')),
      ageColumn(),
      column('VolumeMode', describe('PersistentVolumeSpec', 'volumeMode'), 1),
    ],
    (o, age) => {
      const spec = objectAt(o, 'spec')
      const status = objectAt(o, 'status')
      const claim = objectAt(spec, 'claimRef')
      return [
        quantity(objectAt(spec, 'capacity')['storage']),
        accessModes(spec['accessModes']),
        text(spec['persistentVolumeReclaimPolicy']) || 'Retain',
        deleting(o) ? 'Terminating' : text(status['phase']) || 'Pending',
        spec['claimRef'] === undefined ? '' : `${text(claim['namespace'])}/${text(claim['name'])}`,
        storageClassOf(o),
        orUnset(spec['volumeAttributesClassName']),
        text(status['reason']),
        age,
        text(spec['volumeMode']) || 'Filesystem',
      ]
    },
  ),
  'core/v1/PersistentVolumeClaim': printer(
    () => [
      column('Status', describe('PersistentVolumeClaimStatus', 'phase')),
      column('Volume', describe('PersistentVolumeClaimSpec', 'volumeName')),
      column('Capacity', describe('PersistentVolumeClaimStatus', 'capacity')),
      column('Access Modes', describe('PersistentVolumeClaimStatus', 'accessModes')),
      column('StorageClass', 'StorageClass of the pvc'),
      column('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
      ageColumn(),
      column('VolumeMode', describe('PersistentVolumeClaimSpec', 'volumeMode'), 1),
    ],
    (o, age) => {
      const spec = objectAt(o, 'spec')
      const status = objectAt(o, 'status')
      // Capacity and access modes only once bound to a volume.
      const bound = text(spec['volumeName']) !== ''
      return [
        deleting(o) ? 'Terminating' : text(status['phase']) || 'Pending',
        text(spec['volumeName']),
        bound ? quantity(objectAt(status, 'capacity')['storage']) : '',
        bound ? accessModes(status['accessModes']) : '',
        storageClassOf(o),
        orUnset(spec['volumeAttributesClassName']),
        age,
        text(spec['volumeMode']) || 'Filesystem',
      ]
    },
  ),
  // printStorageClass (a list marks its effective default ` (default)`, which these rows do not).
  'storage.k8s.io/v1/StorageClass': printer(
    () => [
      column('Provisioner', describe('StorageClass', 'provisioner')),
      column('ReclaimPolicy', describe('StorageClass', 'reclaimPolicy')),
      column('VolumeBindingMode', describe('StorageClass', 'volumeBindingMode')),
      column('AllowVolumeExpansion', describe('StorageClass', 'allowVolumeExpansion')),
      ageColumn(),
    ],
    (o, age) => [
      text(o['provisioner']),
      text(o['reclaimPolicy']) || 'Delete',
      text(o['volumeBindingMode']) || 'Immediate',
      o['allowVolumeExpansion'] === true,
      age,
    ],
  ),
  'core/v1/ResourceQuota': printer(
    () => [
      column(
        'Request',
        'Request represents a minimum amount of cpu/memory that a container may consume.',
      ),
      column(
        'Limit',
        'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
      ),
      ageColumn(),
    ],
    (o, age) => {
      // The resources of status.hard (written by the quota controller), sorted; `limits.*` ones
      // in the Limit column, `name: used/hard` each.
      const hard = objectAt(o, 'status', 'hard')
      const used = objectAt(o, 'status', 'used')
      const requests: string[] = []
      const limits: string[] = []
      for (const resource of Object.keys(hard).sort(byteOrder)) {
        const entry = `${resource}: ${quantity(used[resource])}/${quantity(hard[resource])}`
        ;(resource.split('.')[0] === 'limits' && resource.includes('.') ? limits : requests).push(
          entry,
        )
      }
      return [requests.join(', '), limits.join(', '), age]
    },
  ),
}
