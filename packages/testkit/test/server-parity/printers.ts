// Tables (`kubectl get`, `-o wide`): each built-in kind's columns and cells as kube-apiserver's
// printers (kubernetes pkg/printers/internalversion/printers.go) compute them. Objects are written
// in the setup (their answers carry each server's defaults); the steps read Tables without row
// objects (`includeObject=None`), so the cells are what is compared.
import type { ParityRow, Step } from './_scenario.js'

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'
const mergePatch = 'application/merge-patch+json'

const post = (path: string, body: Record<string, unknown>): Step => ({ method: 'POST', path, body })
const table = (path: string): Step => ({ path: `${path}?includeObject=None`, accept: tableAccept })

const pods = '/api/v1/namespaces/{ns}/pods'
const container = (name: string, image = 'nginx'): Record<string, unknown> => ({ name, image })
const pod = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec,
})
// A status the kubelet would write (merge patch of the status subresource).
const podStatus = (name: string, status: Record<string, unknown>): Step => ({
  method: 'PATCH',
  path: `${pods}/${name}/status`,
  contentType: mergePatch,
  body: { status },
})
const running = (name: string, restartCount = 0): Record<string, unknown> => ({
  name,
  image: 'nginx',
  imageID: '',
  ready: true,
  restartCount,
  started: true,
  state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
})
const waiting = (name: string, reason: string, restartCount = 0): Record<string, unknown> => ({
  name,
  image: 'nginx',
  imageID: '',
  ready: false,
  restartCount,
  state: { waiting: { reason } },
})
const terminated = (name: string, exitCode: number, reason?: string): Record<string, unknown> => ({
  name,
  image: 'nginx',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: {
    terminated: {
      exitCode,
      ...(reason === undefined ? {} : { reason }),
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:01Z',
    },
  },
})

const template = (app: string, spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  metadata: { labels: { app } },
  spec: { containers: [container('c'), container('d', 'redis')], ...spec },
})

export const printers: ParityRow[] = [
  {
    given: {
      name: 'kubectl get pods: READY, STATUS from phase, init containers and container states, RESTARTS, the wide columns',
      setup: [
        post(pods, pod('pending', { containers: [container('a'), container('b')] })),
        // Only a pod not bound to a node may be nominated to one (ValidatePodStatusUpdate).
        podStatus('pending', { nominatedNodeName: 'node-2' }),
        post(
          pods,
          pod('running', {
            containers: [container('a')],
            nodeName: 'node-1',
            readinessGates: [{ conditionType: 'example.com/gate' }],
          }),
        ),
        podStatus('running', {
          phase: 'Running',
          podIP: '10.244.0.5',
          podIPs: [{ ip: '10.244.0.5' }],
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'example.com/gate', status: 'False' },
          ],
          containerStatuses: [running('a', 3)],
        }),
        post(pods, pod('crashing', { containers: [container('a'), container('b')] })),
        podStatus('crashing', {
          phase: 'Running',
          containerStatuses: [running('a'), waiting('b', 'CrashLoopBackOff', 5)],
        }),
        post(
          pods,
          pod('initializing', {
            initContainers: [container('setup', 'busybox'), container('more', 'busybox')],
            containers: [container('a')],
          }),
        ),
        podStatus('initializing', {
          phase: 'Pending',
          initContainerStatuses: [
            terminated('setup', 0, 'Completed'),
            waiting('more', 'PodInitializing'),
          ],
          containerStatuses: [waiting('a', 'PodInitializing')],
        }),
        post(pods, pod('completed', { containers: [container('a')], restartPolicy: 'Never' })),
        podStatus('completed', {
          phase: 'Succeeded',
          containerStatuses: [terminated('a', 0, 'Completed')],
        }),
        post(pods, pod('failed', { containers: [container('a')], restartPolicy: 'Never' })),
        podStatus('failed', { phase: 'Failed', containerStatuses: [terminated('a', 2)] }),
      ],
      steps: [table(pods), table(`${pods}/completed`)],
    },
  },
  {
    given: {
      name: 'kubectl get of workload kinds: ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, HorizontalPodAutoscaler',
      setup: [
        post('/apis/apps/v1/namespaces/{ns}/replicasets', {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: 'rs' },
          spec: {
            selector: {
              matchLabels: { app: 'rs' },
              matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
            },
            template: { ...template('rs'), metadata: { labels: { app: 'rs', tier: 'a' } } },
          },
        }),
        post('/apis/apps/v1/namespaces/{ns}/statefulsets', {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name: 'sts' },
          spec: {
            replicas: 3,
            serviceName: 'sts',
            selector: { matchLabels: { app: 'sts' } },
            template: template('sts'),
          },
        }),
        post('/apis/apps/v1/namespaces/{ns}/daemonsets', {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: { name: 'ds' },
          spec: {
            selector: { matchLabels: { app: 'ds' } },
            template: template('ds', { nodeSelector: { zone: 'a', disk: 'ssd' } }),
          },
        }),
        post('/apis/batch/v1/namespaces/{ns}/jobs', {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'job' },
          spec: {
            parallelism: 3,
            template: { spec: { restartPolicy: 'Never', containers: [container('c', 'busybox')] } },
          },
        }),
        post('/apis/batch/v1/namespaces/{ns}/jobs', {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'counted' },
          spec: {
            completions: 4,
            template: { spec: { restartPolicy: 'Never', containers: [container('c', 'busybox')] } },
          },
        }),
        post('/apis/batch/v1/namespaces/{ns}/cronjobs', {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'hourly' },
          spec: {
            schedule: '@hourly',
            timeZone: 'Etc/UTC',
            suspend: true,
            jobTemplate: {
              spec: {
                template: {
                  spec: { restartPolicy: 'Never', containers: [container('c', 'busybox')] },
                },
              },
            },
          },
        }),
        post('/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers', {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'hpa' },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
            maxReplicas: 5,
            metrics: [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
              },
              {
                type: 'Resource',
                resource: {
                  name: 'memory',
                  target: { type: 'AverageValue', averageValue: '100Mi' },
                },
              },
              {
                type: 'Pods',
                pods: {
                  metric: { name: 'qps' },
                  target: { type: 'AverageValue', averageValue: '1k' },
                },
              },
            ],
          },
        }),
      ],
      steps: [
        table('/apis/apps/v1/namespaces/{ns}/replicasets'),
        table('/apis/apps/v1/namespaces/{ns}/statefulsets'),
        table('/apis/apps/v1/namespaces/{ns}/daemonsets'),
        table('/apis/batch/v1/namespaces/{ns}/jobs'),
        table('/apis/batch/v1/namespaces/{ns}/cronjobs'),
        table('/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers'),
      ],
    },
  },
  {
    given: {
      name: 'kubectl get of service networking: every Service type, Endpoints, EndpointSlice, Ingress, NetworkPolicy',
      setup: [
        post('/api/v1/namespaces/{ns}/services', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'cluster' },
          spec: { selector: { app: 'web', tier: 'a' }, ports: [{ port: 80, targetPort: 8080 }] },
        }),
        post('/api/v1/namespaces/{ns}/services', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'node' },
          spec: {
            type: 'NodePort',
            externalIPs: ['192.0.2.7'],
            ports: [
              { name: 'http', port: 80 },
              { name: 'dns', port: 53, protocol: 'UDP' },
            ],
          },
        }),
        post('/api/v1/namespaces/{ns}/services', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'balanced' },
          spec: { type: 'LoadBalancer', ports: [{ port: 443 }] },
        }),
        post('/api/v1/namespaces/{ns}/services', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'headless' },
          spec: { clusterIP: 'None', selector: { app: 'db' } },
        }),
        post('/api/v1/namespaces/{ns}/services', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'external' },
          spec: { type: 'ExternalName', externalName: 'example.com' },
        }),
        post('/api/v1/namespaces/{ns}/endpoints', {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name: 'cluster' },
          subsets: [
            {
              addresses: [{ ip: '10.244.0.1' }, { ip: '10.244.0.2' }],
              ports: [
                { name: 'http', port: 80 },
                { name: 'https', port: 443 },
              ],
            },
          ],
        }),
        post('/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices', {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: 'cluster-1' },
          addressType: 'IPv4',
          ports: [{ name: 'http', port: 80 }, { name: 'named' }, {}],
          endpoints: ['10.244.0.1', '10.244.0.2', '10.244.0.3', '10.244.0.4'].map((ip) => ({
            addresses: [ip],
          })),
        }),
        post('/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses', {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'ing' },
          spec: {
            ingressClassName: 'nginx',
            tls: [{ hosts: ['a.example.com'], secretName: 'tls' }],
            rules: ['a.example.com', '', 'b.example.com', 'c.example.com', 'd.example.com'].map(
              (host) => (host === '' ? {} : { host }),
            ),
          },
        }),
        post('/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies', {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'some' },
          spec: { podSelector: { matchLabels: { app: 'web' } } },
        }),
        post('/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies', {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'all' },
          spec: { podSelector: {} },
        }),
      ],
      steps: [
        table('/api/v1/namespaces/{ns}/services'),
        table('/api/v1/namespaces/{ns}/endpoints'),
        table('/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices'),
        table('/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses'),
        table('/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies'),
      ],
    },
  },
  {
    given: {
      name: 'kubectl get of cluster and access kinds: a cordoned Node, RoleBinding, ClusterRoleBinding, PriorityClass, Lease',
      setup: [
        post('/api/v1/nodes', {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: {
            name: 'node-{ns}',
            labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge' },
          },
          spec: { unschedulable: true },
          status: {
            // Go writes the zero values of these structs' fields; given, they compare as sent.
            conditions: [
              {
                type: 'Ready',
                status: 'False',
                lastHeartbeatTime: '2026-01-01T00:00:00Z',
                lastTransitionTime: '2026-01-01T00:00:00Z',
              },
            ],
            daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
            addresses: [
              { type: 'InternalIP', address: '192.168.1.5' },
              { type: 'ExternalIP', address: '203.0.113.5' },
            ],
            nodeInfo: {
              kubeletVersion: 'v1.37.2',
              osImage: 'Ubuntu 24.04',
              kernelVersion: '6.8.0',
              containerRuntimeVersion: 'containerd://2.0.0',
              architecture: 'arm64',
              operatingSystem: 'linux',
              machineID: '',
              systemUUID: '',
              bootID: '',
              kubeProxyVersion: '',
            },
          },
        }),
        post('/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings', {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'readers' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
          subjects: [
            { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
            { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
            { kind: 'ServiceAccount', name: 'robot', namespace: '{ns}' },
            { kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' },
          ],
        }),
        post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'crb-{ns}' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
          subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: '{ns}' }],
        }),
        post('/apis/scheduling.k8s.io/v1/priorityclasses', {
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name: 'pc-{ns}' },
          value: 1000,
          description: 'parity',
        }),
        post('/apis/coordination.k8s.io/v1/namespaces/{ns}/leases', {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: 'leader' },
          spec: { holderIdentity: 'instance-1' },
        }),
      ],
      steps: [
        table('/api/v1/nodes/node-{ns}'),
        // Created with its status (nodeStrategy keeps it, the writer does not own it) and the
        // not-ready taint of the TaintNodesByCondition admission plugin.
        {
          path: '/api/v1/nodes/node-{ns}',
          view: (body) => {
            const { spec, status, metadata } = body as Record<string, Record<string, unknown>>
            return { spec, status, managedFields: metadata?.['managedFields'] }
          },
        },
        table('/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings'),
        table('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/crb-{ns}'),
        table('/apis/scheduling.k8s.io/v1/priorityclasses/pc-{ns}'),
        table('/apis/coordination.k8s.io/v1/namespaces/{ns}/leases'),
      ],
    },
  },
  {
    given: {
      name: 'kubectl get of storage kinds and quotas: PersistentVolume, PersistentVolumeClaim, StorageClass, ResourceQuota',
      setup: [
        post('/api/v1/persistentvolumes', {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: 'pv-{ns}' },
          spec: {
            capacity: { storage: '10Gi' },
            accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
            storageClassName: 'fast',
            volumeMode: 'Block',
            hostPath: { path: '/data' },
            claimRef: { namespace: '{ns}', name: 'bound' },
          },
        }),
        post('/api/v1/namespaces/{ns}/persistentvolumeclaims', {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'unbound' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
            storageClassName: 'fast',
          },
        }),
        post('/api/v1/namespaces/{ns}/persistentvolumeclaims', {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name: 'bound',
            annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' },
          },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
            volumeName: 'pv-{ns}',
          },
        }),
        post('/apis/storage.k8s.io/v1/storageclasses', {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: { name: 'sc-{ns}' },
          provisioner: 'example.com/disk',
          allowVolumeExpansion: true,
        }),
        post('/api/v1/namespaces/{ns}/resourcequotas', {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'quota' },
          spec: { hard: { pods: '10', 'limits.cpu': '2' } },
        }),
      ],
      steps: [
        table('/api/v1/persistentvolumes/pv-{ns}'),
        table('/api/v1/namespaces/{ns}/persistentvolumeclaims'),
        table('/apis/storage.k8s.io/v1/storageclasses/sc-{ns}'),
        table('/api/v1/namespaces/{ns}/resourcequotas'),
      ],
    },
  },
]
