// The defaults kube-apiserver decodes into a built-in object (k8s.io/kubernetes v1.37.2
// `pkg/apis/<group>/<version>/defaults.go` SetDefaults_* and the `+default` markers the generated
// `zz_generated.defaults.go` applies). The generated code is a traversal by Go type: every place
// a type occurs gets that type's defaulters, then its fields are walked. `types` below is that
// table — a type's defaulters and the fields holding other defaulted types — and `roots` names
// each kind's type, so a Pod template inside a Deployment, a CronJob's job template and a
// StatefulSet's claim templates get what a Pod, a Job and a claim get.
//
// Defaults run where the apiserver decodes: a create's, an update's and a non-apply patch's body
// (before the field manager, so the writer owns them) and the object read back from storage
// (after the strategy and admission, owned by no one: a Job's labels copied from the selector
// labels its strategy generated).
import { isJsonObject, type JsonObject } from './_json.js'
import { canonicalQuantity } from './quantity.js'
import { defaultService } from './service-allocation.js'

type Defaulter = (object: JsonObject) => void
/** A field holding a defaulted type: one value, or a list of them (`[type]`). */
type Field = string | [string]

interface TypeDefaults {
  /** SetDefaults_<type> and the type's `+default` markers, in the generated order. */
  set?: Defaulter[]
  /** The fields walked after `set`, in the generated order. */
  fields?: Record<string, Field>
}

const when =
  (field: string, value: unknown): Defaulter =>
  (object) => {
    if (object[field] === undefined || object[field] === null) object[field] = value
  }
// A string field defaulted when empty (Go's zero value "").
const whenEmpty =
  (field: string, value: string): Defaulter =>
  (object) => {
    if (object[field] === undefined || object[field] === null || object[field] === '')
      object[field] = value
  }
// An int32 field defaulted when 0 (Go's zero value), not only when absent.
const whenZero =
  (field: string, value: number): Defaulter =>
  (object) => {
    if (object[field] === undefined || object[field] === null || object[field] === 0)
      object[field] = value
  }
const objectAt = (object: JsonObject, field: string): JsonObject => {
  const value = object[field]
  if (isJsonObject(value)) return value
  const created: JsonObject = {}
  object[field] = created
  return created
}
const isEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (isJsonObject(value) && Object.keys(value).length === 0) ||
  (Array.isArray(value) && value.length === 0)

// core/v1 SetDefaults_Container: the pull policy from the image's tag (parsers.ParseImageName:
// no tag means `latest`; a digest without a tag has none).
function imagePullPolicy(image: unknown): string {
  const reference = typeof image === 'string' ? image : ''
  const withoutDigest = reference.split('@')[0] ?? ''
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1)
  const colon = lastPart.lastIndexOf(':')
  const tag = colon === -1 ? (reference.includes('@') ? '' : 'latest') : lastPart.slice(colon + 1)
  return tag === 'latest' ? 'Always' : 'IfNotPresent'
}

// core/v1 SetDefaults_Pod: requests default to limits (a Pod's containers only, not a
// template's), host ports to container ports under hostNetwork, and service links on.
function setDefaultsPod(pod: JsonObject): void {
  const spec = objectAt(pod, 'spec')
  if (spec['terminationGracePeriodSeconds'] !== undefined) {
    const period = spec['terminationGracePeriodSeconds']
    if (typeof period === 'number' && period < 0) spec['terminationGracePeriodSeconds'] = 1
  }
  for (const field of ['containers', 'initContainers']) {
    for (const container of listOf(spec[field])) {
      const resources = container['resources']
      if (!isJsonObject(resources) || !isJsonObject(resources['limits'])) continue
      const requests = isJsonObject(resources['requests']) ? resources['requests'] : {}
      for (const [name, value] of Object.entries(resources['limits']))
        if (!Object.hasOwn(requests, name)) requests[name] = value
      resources['requests'] = requests
    }
  }
  when('enableServiceLinks', true)(spec)
  if (spec['hostNetwork'] === true) {
    for (const field of ['containers', 'initContainers'])
      for (const container of listOf(spec[field]))
        for (const port of listOf(container['ports']))
          if (port['hostPort'] === undefined || port['hostPort'] === 0)
            port['hostPort'] = port['containerPort']
  }
}

// core/v1 SetDefaults_PodSpec (`serviceAccount` is the deprecated alias of
// `serviceAccountName`).
function setDefaultsPodSpec(spec: JsonObject): void {
  const account = spec['serviceAccountName']
  if (typeof account !== 'string' || account === '') {
    if (typeof spec['serviceAccount'] === 'string' && spec['serviceAccount'] !== '')
      spec['serviceAccountName'] = spec['serviceAccount']
  }
  if (spec['serviceAccountName'] !== undefined) spec['serviceAccount'] = spec['serviceAccountName']
  whenEmpty('dnsPolicy', 'ClusterFirst')(spec)
  whenEmpty('restartPolicy', 'Always')(spec)
  when('securityContext', {})(spec)
  when('terminationGracePeriodSeconds', 30)(spec)
  whenEmpty('schedulerName', 'default-scheduler')(spec)
}

// core/v1 SetDefaults_Container; `resources` is a struct field, which encoding/json writes even
// when empty.
function setDefaultsContainer(container: JsonObject): void {
  if (container['imagePullPolicy'] === undefined || container['imagePullPolicy'] === '')
    container['imagePullPolicy'] = imagePullPolicy(container['image'])
  whenEmpty('terminationMessagePath', '/dev/termination-log')(container)
  whenEmpty('terminationMessagePolicy', 'File')(container)
  when('resources', {})(container)
}

// core/v1 SetDefaults_Volume: a volume without a source is an emptyDir; an image volume's pull
// policy as a container's (ImageVolume, GA in 1.36).
function setDefaultsVolume(volume: JsonObject): void {
  const sources = Object.keys(volume).filter((key) => key !== 'name')
  if (sources.length === 0) volume['emptyDir'] = {}
  const image = volume['image']
  if (isJsonObject(image) && (image['pullPolicy'] === undefined || image['pullPolicy'] === ''))
    image['pullPolicy'] = imagePullPolicy(image['reference'])
}

// core/v1 SetDefaults_PersistentVolume.
function setDefaultsPersistentVolume(volume: JsonObject): void {
  whenEmpty('phase', 'Pending')(objectAt(volume, 'status'))
  const spec = objectAt(volume, 'spec')
  whenEmpty('persistentVolumeReclaimPolicy', 'Retain')(spec)
  when('volumeMode', 'Filesystem')(spec)
}

// core/v1 SetDefaults_ReplicationController: the selector and labels from the template's labels.
function setDefaultsReplicationController(controller: JsonObject): void {
  const spec = objectAt(controller, 'spec')
  const template = spec['template']
  const labels = isJsonObject(template)
    ? (template['metadata'] as JsonObject | undefined)
    : undefined
  const templateLabels = isJsonObject(labels) ? labels['labels'] : undefined
  if (!isJsonObject(templateLabels)) return
  if (isEmpty(spec['selector'])) spec['selector'] = { ...templateLabels }
  const metadata = objectAt(controller, 'metadata')
  if (isEmpty(metadata['labels'])) metadata['labels'] = { ...templateLabels }
}

// core/v1 SetDefaults_LimitRangeItem: a container's default limit from its max, its default
// request from the default limit, then from its min.
function setDefaultsLimitRangeItem(item: JsonObject): void {
  if (item['type'] !== 'Container') return
  const defaults = isJsonObject(item['default']) ? item['default'] : {}
  const requests = isJsonObject(item['defaultRequest']) ? item['defaultRequest'] : {}
  const copyMissing = (from: unknown, to: JsonObject): void => {
    if (!isJsonObject(from)) return
    for (const [name, value] of Object.entries(from)) if (!Object.hasOwn(to, name)) to[name] = value
  }
  copyMissing(item['max'], defaults)
  copyMissing(defaults, requests)
  copyMissing(item['min'], requests)
  item['default'] = defaults
  item['defaultRequest'] = requests
}

// apps/v1 SetDefaults_Deployment.
function setDefaultsDeployment(deployment: JsonObject): void {
  const spec = objectAt(deployment, 'spec')
  when('replicas', 1)(spec)
  const strategy = objectAt(spec, 'strategy')
  whenEmpty('type', 'RollingUpdate')(strategy)
  if (strategy['type'] === 'RollingUpdate') {
    const rolling = objectAt(strategy, 'rollingUpdate')
    when('maxUnavailable', '25%')(rolling)
    when('maxSurge', '25%')(rolling)
  }
  when('revisionHistoryLimit', 10)(spec)
  when('progressDeadlineSeconds', 600)(spec)
}

// apps/v1 SetDefaults_DaemonSet.
function setDefaultsDaemonSet(daemonSet: JsonObject): void {
  const spec = objectAt(daemonSet, 'spec')
  const strategy = objectAt(spec, 'updateStrategy')
  whenEmpty('type', 'RollingUpdate')(strategy)
  if (strategy['type'] === 'RollingUpdate') {
    const rolling = objectAt(strategy, 'rollingUpdate')
    when('maxUnavailable', 1)(rolling)
    when('maxSurge', 0)(rolling)
  }
  when('revisionHistoryLimit', 10)(spec)
}

// apps/v1 SetDefaults_StatefulSet (MaxUnavailableStatefulSet is on by default in 1.37).
function setDefaultsStatefulSet(statefulSet: JsonObject): void {
  const spec = objectAt(statefulSet, 'spec')
  whenEmpty('podManagementPolicy', 'OrderedReady')(spec)
  const strategy = objectAt(spec, 'updateStrategy')
  if (strategy['type'] === undefined || strategy['type'] === '') {
    strategy['type'] = 'RollingUpdate'
    when('rollingUpdate', {})(strategy)
  }
  if (strategy['type'] === 'RollingUpdate' && isJsonObject(strategy['rollingUpdate'])) {
    when('partition', 0)(strategy['rollingUpdate'])
    when('maxUnavailable', 1)(strategy['rollingUpdate'])
  }
  const retention = objectAt(spec, 'persistentVolumeClaimRetentionPolicy')
  whenEmpty('whenDeleted', 'Retain')(retention)
  whenEmpty('whenScaled', 'Retain')(retention)
  when('replicas', 1)(spec)
  when('revisionHistoryLimit', 10)(spec)
}

// batch/v1 SetDefaults_Job.
function setDefaultsJob(job: JsonObject): void {
  const spec = objectAt(job, 'spec')
  if (spec['completions'] == null && spec['parallelism'] == null) spec['completions'] = 1
  when('parallelism', 1)(spec)
  when('backoffLimit', spec['backoffLimitPerIndex'] == null ? 6 : 2147483647)(spec)
  const template = spec['template']
  const templateMetadata = isJsonObject(template) ? template['metadata'] : undefined
  const labels = isJsonObject(templateMetadata) ? templateMetadata['labels'] : undefined
  const metadata = objectAt(job, 'metadata')
  if (isJsonObject(labels) && isEmpty(metadata['labels'])) metadata['labels'] = { ...labels }
  when('completionMode', 'NonIndexed')(spec)
  when('suspend', false)(spec)
  when(
    'podReplacementPolicy',
    spec['podFailurePolicy'] == null ? 'TerminatingOrFailed' : 'Failed',
  )(spec)
  when('manualSelector', false)(spec)
}

// autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: one CPU metric at 80 % when none, and a
// behavior's missing rules from the defaults (defaultHPAScaleUpRules / defaultHPAScaleDownRules).
function setDefaultsHorizontalPodAutoscalerV2(autoscaler: JsonObject): void {
  const spec = objectAt(autoscaler, 'spec')
  when('minReplicas', 1)(spec)
  if (isEmpty(spec['metrics'])) {
    spec['metrics'] = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ]
  }
  const behavior = spec['behavior']
  if (!isJsonObject(behavior)) return
  const rules = (given: unknown, defaults: JsonObject): JsonObject =>
    isJsonObject(given)
      ? {
          ...defaults,
          ...Object.fromEntries(Object.entries(given).filter(([, value]) => value != null)),
        }
      : defaults
  behavior['scaleUp'] = rules(behavior['scaleUp'], {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  })
  behavior['scaleDown'] = rules(behavior['scaleDown'], {
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  })
}

// networking/v1 SetDefaults_NetworkPolicy: Ingress always, Egress when egress rules are given.
function setDefaultsNetworkPolicy(policy: JsonObject): void {
  const spec = objectAt(policy, 'spec')
  if (!isEmpty(spec['policyTypes'])) return
  spec['policyTypes'] = isEmpty(spec['egress']) ? ['Ingress'] : ['Ingress', 'Egress']
}

// rbac/v1 SetDefaults_Subject: a User's or Group's API group (a ServiceAccount's is "", which
// `omitempty` leaves out).
function setDefaultsSubject(subject: JsonObject): void {
  if (subject['apiGroup'] !== undefined && subject['apiGroup'] !== '') return
  if (subject['kind'] === 'User' || subject['kind'] === 'Group')
    subject['apiGroup'] = 'rbac.authorization.k8s.io'
}

// core/v1 SetDefaults_ResourceList: every quantity rounded up to thousandths, and written back
// in its canonical form (`0.5` → `500m`).
function setDefaultsResourceList(list: JsonObject): void {
  for (const [name, value] of Object.entries(list)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue
    const canonical = canonicalQuantity(String(value), { roundUp: true })
    if (canonical !== undefined) list[name] = canonical
  }
}

const podSpecFields: Record<string, Field> = {
  volumes: ['Volume'],
  initContainers: ['Container'],
  containers: ['Container'],
  // SetDefaults_EphemeralContainer is SetDefaults_Container on its common part.
  ephemeralContainers: ['Container'],
  overhead: 'ResourceList',
  resources: 'ResourceRequirements',
}

const types: Record<string, TypeDefaults> = {
  // core/v1
  Pod: { set: [setDefaultsPod], fields: { spec: 'PodSpec', status: 'PodStatus' } },
  PodSpec: { set: [setDefaultsPodSpec], fields: podSpecFields },
  // SetDefaults_PodStatus: the singular podIP and the podIPs list kept in step.
  PodStatus: {
    set: [
      (status) => {
        const ip = typeof status['podIP'] === 'string' ? status['podIP'] : ''
        const ips = listOf(status['podIPs'])
        if (ip !== '' && (ips.length === 0 || ips[0]?.['ip'] !== ip)) status['podIPs'] = [{ ip }]
        else if (ip === '' && typeof ips[0]?.['ip'] === 'string') status['podIP'] = ips[0]['ip']
      },
    ],
  },
  PodTemplateSpec: { fields: { spec: 'PodSpec' } },
  PodTemplate: { fields: { template: 'PodTemplateSpec' } },
  Volume: {
    set: [setDefaultsVolume],
    fields: {
      hostPath: 'HostPathVolumeSource',
      secret: 'ModeDefaulted',
      iscsi: 'ISCSIVolumeSource',
      rbd: 'RBDVolumeSource',
      downwardAPI: 'DownwardAPIVolumeSource',
      configMap: 'ModeDefaulted',
      azureDisk: 'AzureDiskVolumeSource',
      projected: 'ProjectedVolumeSource',
      scaleIO: 'ScaleIOVolumeSource',
      ephemeral: 'EphemeralVolumeSource',
    },
  },
  // SetDefaults_HostPathVolumeSource: HostPathUnset.
  HostPathVolumeSource: { set: [when('type', '')] },
  // SetDefaults_SecretVolumeSource, _ConfigMapVolumeSource: 0644.
  ModeDefaulted: { set: [when('defaultMode', 0o644)] },
  ISCSIVolumeSource: { set: [whenEmpty('iscsiInterface', 'default')] },
  RBDVolumeSource: {
    set: [
      whenEmpty('pool', 'rbd'),
      whenEmpty('user', 'admin'),
      whenEmpty('keyring', '/etc/ceph/keyring'),
    ],
  },
  AzureDiskVolumeSource: {
    set: [
      when('cachingMode', 'ReadWrite'),
      when('fsType', 'ext4'),
      when('readOnly', false),
      when('kind', 'Shared'),
    ],
  },
  ScaleIOVolumeSource: {
    set: [whenEmpty('storageMode', 'ThinProvisioned'), whenEmpty('fsType', 'xfs')],
  },
  DownwardAPIVolumeSource: {
    set: [when('defaultMode', 0o644)],
    fields: { items: ['DownwardAPIVolumeFile'] },
  },
  DownwardAPIVolumeFile: { fields: { fieldRef: 'ObjectFieldSelector' } },
  ObjectFieldSelector: { set: [whenEmpty('apiVersion', 'v1')] },
  ProjectedVolumeSource: {
    set: [when('defaultMode', 0o644)],
    fields: { sources: ['VolumeProjection'] },
  },
  VolumeProjection: {
    fields: { downwardAPI: 'DownwardAPIProjection', serviceAccountToken: 'TokenProjection' },
  },
  DownwardAPIProjection: { fields: { items: ['DownwardAPIVolumeFile'] } },
  // SetDefaults_ServiceAccountTokenProjection: an hour.
  TokenProjection: { set: [when('expirationSeconds', 3600)] },
  EphemeralVolumeSource: { fields: { volumeClaimTemplate: 'PersistentVolumeClaimTemplate' } },
  PersistentVolumeClaimTemplate: { fields: { spec: 'PersistentVolumeClaimSpec' } },
  // SetDefaults_PersistentVolumeClaimSpec.
  PersistentVolumeClaimSpec: {
    set: [when('volumeMode', 'Filesystem')],
    fields: { resources: 'ResourceRequirements' },
  },
  // SetDefaults_PersistentVolumeClaim.
  PersistentVolumeClaim: {
    set: [(claim) => whenEmpty('phase', 'Pending')(objectAt(claim, 'status'))],
    fields: { spec: 'PersistentVolumeClaimSpec', status: 'ClaimStatus' },
  },
  ClaimStatus: { fields: { capacity: 'ResourceList', allocatedResources: 'ResourceList' } },
  PersistentVolume: {
    set: [setDefaultsPersistentVolume],
    fields: {
      spec: 'PersistentVolumeSpec',
    },
  },
  PersistentVolumeSpec: {
    fields: {
      capacity: 'ResourceList',
      hostPath: 'HostPathVolumeSource',
      rbd: 'RBDVolumeSource',
      iscsi: 'ISCSIVolumeSource',
      azureDisk: 'AzureDiskVolumeSource',
      scaleIO: 'ScaleIOVolumeSource',
    },
  },
  Container: {
    set: [setDefaultsContainer],
    fields: {
      ports: ['ContainerPort'],
      env: ['EnvVar'],
      resources: 'ResourceRequirements',
      livenessProbe: 'Probe',
      readinessProbe: 'Probe',
      startupProbe: 'Probe',
      lifecycle: 'Lifecycle',
    },
  },
  ContainerPort: { set: [whenEmpty('protocol', 'TCP')] },
  ResourceRequirements: { fields: { limits: 'ResourceList', requests: 'ResourceList' } },
  ResourceList: { set: [setDefaultsResourceList] },
  EnvVar: { fields: { valueFrom: 'EnvVarSource' } },
  EnvVarSource: { fields: { fieldRef: 'ObjectFieldSelector', fileKeyRef: 'FileKeySelector' } },
  FileKeySelector: { set: [when('optional', false)] },
  // SetDefaults_Probe.
  Probe: {
    set: [
      whenZero('timeoutSeconds', 1),
      whenZero('periodSeconds', 10),
      whenZero('successThreshold', 1),
      whenZero('failureThreshold', 3),
    ],
    fields: { httpGet: 'HTTPGetAction', grpc: 'GRPCAction' },
  },
  GRPCAction: { set: [when('service', '')] },
  Lifecycle: { fields: { postStart: 'LifecycleHandler', preStop: 'LifecycleHandler' } },
  LifecycleHandler: { fields: { httpGet: 'HTTPGetAction' } },
  // SetDefaults_HTTPGetAction.
  HTTPGetAction: { set: [whenEmpty('path', '/'), whenEmpty('scheme', 'HTTP')] },
  ReplicationController: {
    set: [setDefaultsReplicationController],
    fields: { spec: 'ReplicationControllerSpec' },
  },
  ReplicationControllerSpec: {
    set: [when('replicas', 1)],
    fields: { template: 'PodTemplateSpec' },
  },
  // SetDefaults_Service (service-allocation.ts, with the allocations it shapes).
  Service: { set: [defaultService] },
  // SetDefaults_Secret.
  Secret: { set: [whenEmpty('type', 'Opaque')] },
  LimitRange: { fields: { spec: 'LimitRangeSpec' } },
  LimitRangeSpec: { fields: { limits: ['LimitRangeItem'] } },
  LimitRangeItem: {
    set: [setDefaultsLimitRangeItem],
    fields: {
      max: 'ResourceList',
      min: 'ResourceList',
      default: 'ResourceList',
      defaultRequest: 'ResourceList',
      maxLimitRequestRatio: 'ResourceList',
    },
  },
  ResourceQuota: { fields: { spec: 'QuotaLists', status: 'QuotaLists' } },
  QuotaLists: { fields: { hard: 'ResourceList', used: 'ResourceList' } },
  Node: { fields: { status: 'NodeStatus' } },
  // SetDefaults_NodeStatus: allocatable is the capacity when not given.
  NodeStatus: {
    set: [
      (status) => {
        if (status['allocatable'] == null && isJsonObject(status['capacity']))
          status['allocatable'] = { ...status['capacity'] }
      },
    ],
    fields: { capacity: 'ResourceList', allocatable: 'ResourceList' },
  },
  // SetDefaults_Endpoints: ports' protocol.
  Endpoints: { fields: { subsets: ['EndpointSubset'] } },
  EndpointSubset: { fields: { ports: ['ContainerPort'] } },
  // apps/v1
  Deployment: { set: [setDefaultsDeployment], fields: { spec: 'WorkloadSpec' } },
  DaemonSet: { set: [setDefaultsDaemonSet], fields: { spec: 'WorkloadSpec' } },
  ReplicaSet: {
    set: [(o) => when('replicas', 1)(objectAt(o, 'spec'))],
    fields: { spec: 'WorkloadSpec' },
  },
  StatefulSet: { set: [setDefaultsStatefulSet], fields: { spec: 'StatefulSetSpec' } },
  WorkloadSpec: { fields: { template: 'PodTemplateSpec' } },
  StatefulSetSpec: {
    fields: { template: 'PodTemplateSpec', volumeClaimTemplates: ['PersistentVolumeClaim'] },
  },
  // batch/v1
  Job: { set: [setDefaultsJob], fields: { spec: 'JobSpec' } },
  JobSpec: { fields: { podFailurePolicy: 'PodFailurePolicy', template: 'PodTemplateSpec' } },
  PodFailurePolicy: { fields: { rules: ['PodFailurePolicyRule'] } },
  PodFailurePolicyRule: { fields: { onPodConditions: ['PodConditionsPattern'] } },
  // SetDefaults_PodFailurePolicyOnPodConditionsPattern.
  PodConditionsPattern: { set: [whenEmpty('status', 'True')] },
  CronJob: {
    set: [
      (cronJob) => {
        const spec = objectAt(cronJob, 'spec')
        whenEmpty('concurrencyPolicy', 'Allow')(spec)
        when('suspend', false)(spec)
        when('successfulJobsHistoryLimit', 3)(spec)
        when('failedJobsHistoryLimit', 1)(spec)
      },
    ],
    fields: { spec: 'CronJobSpec' },
  },
  CronJobSpec: { fields: { jobTemplate: 'JobTemplateSpec' } },
  JobTemplateSpec: { fields: { spec: 'JobSpec' } },
  // autoscaling
  HorizontalPodAutoscalerV1: { set: [(o) => when('minReplicas', 1)(objectAt(o, 'spec'))] },
  HorizontalPodAutoscalerV2: { set: [setDefaultsHorizontalPodAutoscalerV2] },
  // networking/v1
  NetworkPolicy: { set: [setDefaultsNetworkPolicy], fields: { spec: 'NetworkPolicySpec' } },
  NetworkPolicySpec: { fields: { ingress: ['NetworkPolicyRule'], egress: ['NetworkPolicyRule'] } },
  NetworkPolicyRule: { fields: { ports: ['NetworkPolicyPort'] } },
  NetworkPolicyPort: { set: [when('protocol', 'TCP')] },
  IngressClass: {
    set: [
      (ingressClass) => {
        const parameters = objectAt(ingressClass, 'spec')['parameters']
        if (isJsonObject(parameters)) when('scope', 'Cluster')(parameters)
      },
    ],
  },
  // rbac/v1: SetDefaults_RoleBinding, _ClusterRoleBinding.
  RoleBinding: {
    set: [(o) => whenEmpty('apiGroup', 'rbac.authorization.k8s.io')(objectAt(o, 'roleRef'))],
    fields: { subjects: ['Subject'] },
  },
  Subject: { set: [setDefaultsSubject] },
  // storage/v1 SetDefaults_StorageClass.
  StorageClass: { set: [when('reclaimPolicy', 'Delete'), when('volumeBindingMode', 'Immediate')] },
  // scheduling/v1 SetDefaults_PriorityClass.
  PriorityClass: { set: [when('preemptionPolicy', 'PreemptLowerPriority')] },
  // discovery/v1 SetDefaults_EndpointPort.
  EndpointSlice: { fields: { ports: ['EndpointPort'] } },
  EndpointPort: { set: [when('name', ''), when('protocol', 'TCP')] },
}

// The type each served kind decodes into, by `group/version/Kind` (the kinds whose
// zz_generated.defaults.go registers a SetObjectDefaults_<Kind>).
const roots: Record<string, string> = {
  'v1/Pod': 'Pod',
  'v1/PodTemplate': 'PodTemplate',
  'v1/ReplicationController': 'ReplicationController',
  'v1/Service': 'Service',
  'v1/Secret': 'Secret',
  'v1/PersistentVolume': 'PersistentVolume',
  'v1/PersistentVolumeClaim': 'PersistentVolumeClaim',
  'v1/LimitRange': 'LimitRange',
  'v1/ResourceQuota': 'ResourceQuota',
  'v1/Node': 'Node',
  'v1/Endpoints': 'Endpoints',
  'apps/v1/Deployment': 'Deployment',
  'apps/v1/DaemonSet': 'DaemonSet',
  'apps/v1/ReplicaSet': 'ReplicaSet',
  'apps/v1/StatefulSet': 'StatefulSet',
  'batch/v1/Job': 'Job',
  'batch/v1/CronJob': 'CronJob',
  'autoscaling/v1/HorizontalPodAutoscaler': 'HorizontalPodAutoscalerV1',
  'autoscaling/v2/HorizontalPodAutoscaler': 'HorizontalPodAutoscalerV2',
  'networking.k8s.io/v1/NetworkPolicy': 'NetworkPolicy',
  'networking.k8s.io/v1/IngressClass': 'IngressClass',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'RoleBinding',
  'storage.k8s.io/v1/StorageClass': 'StorageClass',
  'scheduling.k8s.io/v1/PriorityClass': 'PriorityClass',
  'discovery.k8s.io/v1/EndpointSlice': 'EndpointSlice',
}

function listOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : []
}

function walk(type: string, value: unknown): void {
  if (!isJsonObject(value)) return
  const rules = types[type]
  if (rules === undefined) return
  for (const set of rules.set ?? []) set(value)
  for (const [field, child] of Object.entries(rules.fields ?? {})) {
    if (Array.isArray(child)) for (const item of listOf(value[field])) walk(child[0], item)
    else walk(child, value[field])
  }
}

// What the round trip through the internal version writes into an apps/v1 object (kubernetes
// pkg/apis/apps/v1/conversion.go): a DaemonSet's template generation as an annotation
// (Convert_apps_DaemonSet_To_v1_DaemonSet; the annotation is read back when it is an integer)
// and a StatefulSet's claim templates' apiVersion and kind (Convert_apps_StatefulSetSpec_To_v1_
// StatefulSetSpec, as reflective conversion before 1.17 did).
const conversions: Record<string, Defaulter> = {
  'apps/v1/DaemonSet': (daemonSet) => {
    const metadata = objectAt(daemonSet, 'metadata')
    const annotations = objectAt(metadata, 'annotations')
    const generation = annotations[templateGeneration]
    if (typeof generation !== 'string' || !/^-?\d+$/.test(generation))
      annotations[templateGeneration] = '0'
  },
  'apps/v1/StatefulSet': (statefulSet) => {
    const spec = statefulSet['spec']
    if (!isJsonObject(spec)) return
    for (const claim of listOf(spec['volumeClaimTemplates'])) {
      claim['apiVersion'] = 'v1'
      claim['kind'] = 'PersistentVolumeClaim'
    }
  },
}

/** The annotation apps/v1 writes a DaemonSet's `spec.templateGeneration` into. */
export const templateGeneration = 'deprecated.daemonset.template.generation'

/**
 * Applies the defaults kube-apiserver 1.37 decodes into a built-in object of `group/version`
 * and what its conversion to the internal version and back writes (in place); a kind without
 * either is left as it is.
 *
 * @example
 * const pod = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image: 'nginx' }] } }
 * defaultBuiltIn({ group: '', version: 'v1', kind: 'Pod' }, pod)
 * // pod.spec.restartPolicy === 'Always', pod.spec.containers[0].imagePullPolicy === 'Always'
 */
export function defaultBuiltIn(
  kind: { group: string; version: string; kind: string },
  object: JsonObject,
): void {
  const key = `${kind.group === '' ? '' : `${kind.group}/`}${kind.version}/${kind.kind}`
  const root = roots[key]
  if (root !== undefined) walk(root, object)
  conversions[key]?.(object)
}
