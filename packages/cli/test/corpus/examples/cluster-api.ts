// Cluster API's own example resources, as typed literals checked against the types
// `generate --crds` makes from its CRDs (see ../README.md). Each literal cites its source file in
// kubernetes-sigs/cluster-api at ae7ff047db49; every `@ts-expect-error` is a mistake the
// generated types must catch.
import type { MachineDeployment } from '../k8s/cluster.x-k8s.io/v1beta2.js'
import { MachineDeployment as MachineDeploymentResource } from '../k8s/cluster.x-k8s.io/v1beta2.js'
import {
  MachineSet as MachineSetV1beta1Resource,
  type MachineSet as MachineSetV1beta1,
} from '../k8s/cluster.x-k8s.io/v1beta1.js'

// test/infrastructure/docker/examples/simple-cluster.yaml, document 4
export const workerMd0: MachineDeployment = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDeployment',
  metadata: {
    name: 'worker-md-0',
    namespace: 'default',
  },
  spec: {
    clusterName: 'my-cluster',
    replicas: 1,
    selector: {
      matchLabels: {
        'cluster.x-k8s.io/cluster-name': 'my-cluster',
      },
    },
    template: {
      spec: {
        version: 'v1.37.0-rc.1',
        clusterName: 'my-cluster',
        bootstrap: {
          configRef: {
            apiGroup: 'bootstrap.cluster.x-k8s.io',
            kind: 'KubeadmConfigTemplate',
            name: 'worker',
          },
        },
        infrastructureRef: {
          apiGroup: 'infrastructure.cluster.x-k8s.io',
          kind: 'DockerMachineTemplate',
          name: 'worker',
        },
      },
    },
  },
}

// Mistakes the generated types must catch.
export const replicasAsString: MachineDeployment = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDeployment',
  spec: {
    clusterName: 'c',
    // @ts-expect-error replicas is a number
    replicas: '1',
    selector: {},
    template: {
      spec: {
        clusterName: 'c',
        bootstrap: {},
        infrastructureRef: { apiGroup: 'a', kind: 'K', name: 'n' },
      },
    },
  },
}

export const noCluster: MachineDeployment = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDeployment',
  // @ts-expect-error clusterName, selector and template are required
  spec: { replicas: 1 },
}

export const wrongTaintEffect: MachineDeployment = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDeployment',
  spec: {
    clusterName: 'c',
    selector: {},
    template: {
      spec: {
        clusterName: 'c',
        bootstrap: {},
        infrastructureRef: { apiGroup: 'a', kind: 'K', name: 'n' },
        // @ts-expect-error effect is NoSchedule | PreferNoSchedule | NoExecute
        taints: [{ key: 'k', effect: 'Sometimes', propagation: 'Always' }],
      },
    },
  },
}

// The scale subresource and short name come from the CRD; v1beta1 is still served
// (deprecated) in its own module.
export const scalePath: '/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments/md/scale' =
  MachineDeploymentResource.path({ namespace: 'default', name: 'md', subresource: 'scale' })
export const machineDeploymentShortNames: readonly ['md'] = MachineDeploymentResource.shortNames
export const oldMachineSet: MachineSetV1beta1 = {
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'MachineSet',
  spec: {
    clusterName: 'c',
    selector: {},
    template: {
      spec: { clusterName: 'c', bootstrap: {}, infrastructureRef: { kind: 'K', name: 'n' } },
    },
  },
}

// The deprecated version's descriptor carries the warning the apiserver sends (the CRD sets
// none, so the default text of customresource_handler.go defaultDeprecationWarning), and every
// descriptor the CRD's printer columns.
export const oldMachineSetWarning: 'cluster.x-k8s.io/v1beta1 MachineSet is deprecated; use cluster.x-k8s.io/v1beta2 MachineSet' =
  MachineSetV1beta1Resource.deprecationWarning
export const firstColumn: { readonly name: 'Cluster'; readonly jsonPath: '.spec.clusterName' } =
  MachineDeploymentResource.printerColumns[0]
// @ts-expect-error the current version is not deprecated
export const currentWarning: string = MachineDeploymentResource.deprecationWarning
