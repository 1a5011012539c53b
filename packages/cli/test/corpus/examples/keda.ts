// KEDA's own example resources, as typed literals checked against the types
// `generate --crds` makes from its CRDs (see ../README.md). Each literal cites its source file in
// kedacore/keda at 8b4f083ca8c8; every `@ts-expect-error` is a mistake the
// generated types must catch.
import type {
  ClusterTriggerAuthentication,
  ScaledObject,
  TriggerAuthentication,
} from '../k8s/keda.sh/v1alpha1.js'
import type { CloudEventSource } from '../k8s/eventing.keda.sh/v1alpha1.js'
import { ClusterTriggerAuthentication as ClusterTriggerAuthenticationResource } from '../k8s/keda.sh/v1alpha1.js'

// config/samples/keda_v1alpha1_scaledobject.yaml, document 0
export const exampleScaledobject: ScaledObject = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: {
    name: 'example-scaledobject',
  },
  spec: {
    scaleTargetRef: {
      name: 'example-deployment',
    },
    pollingInterval: 30,
    cooldownPeriod: 300,
    minReplicaCount: 0,
    maxReplicaCount: 100,
    triggers: [
      {
        type: 'example-trigger',
        metadata: {
          property: 'example-property',
        },
      },
    ],
  },
}

// config/samples/keda_v1alpha1_triggerauthentication.yaml, document 0
export const exampleTriggerauthentication: TriggerAuthentication = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'TriggerAuthentication',
  metadata: {
    name: 'example-triggerauthentication',
  },
  spec: {
    secretTargetRef: [
      {
        parameter: 'example-secret-parameter',
        name: 'example-secret-name',
        key: 'example-role-key',
      },
    ],
  },
}

// config/samples/keda_v1alpha1_clustertriggerauthentication.yaml, document 0
export const exampleClustertriggerauthentication: ClusterTriggerAuthentication = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ClusterTriggerAuthentication',
  metadata: {
    name: 'example-clustertriggerauthentication',
  },
  spec: {
    secretTargetRef: [
      {
        parameter: 'example-secret-parameter',
        name: 'example-secret-name',
        key: 'example-role-key',
      },
    ],
  },
}

// config/samples/eventing_v1alpha1_cloudeventsource.yaml, document 0
export const cloudeventsourceSample: CloudEventSource = {
  apiVersion: 'eventing.keda.sh/v1alpha1',
  kind: 'CloudEventSource',
  metadata: {
    labels: {
      'app.kubernetes.io/name': 'cloudeventsource',
      'app.kubernetes.io/instance': 'cloudeventsource-sample',
      'app.kubernetes.io/part-of': 'keda',
      'app.kubernetes.io/managed-by': 'kustomize',
      'app.kubernetes.io/created-by': 'keda',
    },
    name: 'cloudeventsource-sample',
  },
  spec: {
    clusterName: 'cluster-sample',
    destination: {
      http: {
        uri: 'http://foo.bar',
      },
    },
  },
}

// Mistakes the generated types must catch.
export const noTarget: ScaledObject = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  // @ts-expect-error scaleTargetRef and triggers are required
  spec: { minReplicaCount: 0 },
}

export const pollingAsString: ScaledObject = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  spec: {
    scaleTargetRef: { name: 'example-deployment' },
    // @ts-expect-error pollingInterval is a number of seconds
    pollingInterval: '30s',
    triggers: [{ type: 'cron', metadata: {} }],
  },
}

export const triggerWithoutType: ScaledObject = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  // @ts-expect-error a trigger requires its type
  spec: { scaleTargetRef: { name: 'd' }, triggers: [{ metadata: {} }] },
}

// ClusterTriggerAuthentication is cluster-scoped.
export const clusterAuthPath: '/apis/keda.sh/v1alpha1/clustertriggerauthentications/a' =
  ClusterTriggerAuthenticationResource.path({ name: 'a' })
