// Crossplane's own example resources, as typed literals checked against the types
// `generate --crds` makes from its CRDs (see ../README.md). Each literal cites its source file in
// crossplane/crossplane at 2d040d2daf4e; every `@ts-expect-error` is a mistake the
// generated types must catch.
import type { Composition } from '../k8s/apiextensions.crossplane.io/v1.js'
import type { Function as CrossplaneFunction } from '../k8s/pkg.crossplane.io/v1beta1.js'
import type { Provider } from '../k8s/pkg.crossplane.io/v1.js'
import type { EnvironmentConfig, Usage } from '../k8s/apiextensions.crossplane.io/v1beta1.js'
import type { Usage as UsageV1alpha1 } from '../k8s/apiextensions.crossplane.io/v1alpha1.js'
import { Composition as CompositionResource } from '../k8s/apiextensions.crossplane.io/v1.js'

// test/e2e/manifests/apiextensions/composition/basic-cluster/setup/composition.yaml, document 0
export const basicCompositionCluster: Composition = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'Composition',
  metadata: {
    name: 'basic-composition-cluster',
  },
  spec: {
    compositeTypeRef: {
      apiVersion: 'example.org/v1alpha1',
      kind: 'ClusterTest',
    },
    mode: 'Pipeline',
    pipeline: [
      {
        step: 'be-a-dummy',
        functionRef: {
          name: 'function-dummy-ext-basic',
        },
        input: {
          apiVersion: 'dummy.fn.crossplane.io/v1beta1',
          kind: 'Response',
          response: {
            desired: {
              composite: {
                resource: {
                  status: {
                    coolerField: "I'M COOLER!",
                  },
                },
              },
              resources: {
                configmap: {
                  resource: {
                    apiVersion: 'v1',
                    kind: 'ConfigMap',
                    metadata: {
                      namespace: 'default',
                    },
                    data: {
                      coolData: "I'm cool!",
                    },
                  },
                  ready: 'READY_TRUE',
                },
                crd: {
                  resource: {
                    apiVersion: 'apiextensions.k8s.io/v1',
                    kind: 'CustomResourceDefinition',
                    metadata: {
                      name: 'controllers.test.example.org',
                    },
                    spec: {
                      group: 'test.example.org',
                      names: {
                        kind: 'Controller',
                        plural: 'controllers',
                      },
                      scope: 'Cluster',
                      versions: [
                        {
                          name: 'v1alpha1',
                          served: true,
                          storage: true,
                          schema: {
                            openAPIV3Schema: {
                              type: 'object',
                            },
                          },
                        },
                      ],
                    },
                  },
                  ready: 'READY_TRUE',
                },
              },
            },
            results: [
              {
                severity: 'SEVERITY_NORMAL',
                message: 'I am doing a compose!',
              },
            ],
          },
        },
        credentials: [
          {
            name: 'important-secret',
            source: 'Secret',
            secretRef: {
              namespace: 'crossplane-system',
              name: 'super-secret',
            },
          },
        ],
      },
    ],
  },
}

// test/e2e/manifests/apiextensions/composition/basic-cluster/setup/functions.yaml, document 0
export const functionDummyExtBasic: CrossplaneFunction = {
  apiVersion: 'pkg.crossplane.io/v1beta1',
  kind: 'Function',
  metadata: {
    name: 'function-dummy-ext-basic',
  },
  spec: {
    package: 'xpkg.crossplane.io/crossplane-contrib/function-dummy:v0.4.1',
  },
}

// test/e2e/manifests/apiextensions/composition/legacy/setup/provider.yaml, document 0
export const providerNopExtFunctions: Provider = {
  apiVersion: 'pkg.crossplane.io/v1',
  kind: 'Provider',
  metadata: {
    name: 'provider-nop-ext-functions',
  },
  spec: {
    package: 'xpkg.upbound.io/crossplane-contrib/provider-nop:v0.3.0',
    ignoreCrossplaneConstraints: true,
  },
}

// test/e2e/manifests/apiextensions/environment/default/setup/environmentConfigs.yaml, document 0
export const exampleEnvironment1: EnvironmentConfig = {
  apiVersion: 'apiextensions.crossplane.io/v1beta1',
  kind: 'EnvironmentConfig',
  metadata: {
    name: 'example-environment-1',
  },
  data: {
    complex: {
      a: 'b',
      c: {
        d: 'e',
        f: '1',
      },
    },
  },
}

// test/e2e/manifests/apiextensions/environment/default/setup/environmentConfigs.yaml, document 1
export const exampleEnvironment2: EnvironmentConfig = {
  apiVersion: 'apiextensions.crossplane.io/v1beta1',
  kind: 'EnvironmentConfig',
  metadata: {
    name: 'example-environment-2',
    labels: {
      stage: 'prod',
    },
  },
  data: {
    complex: {
      c: {
        f: '2',
      },
    },
  },
}

// test/e2e/manifests/apiextensions/usage/standalone/with-by/usage.yaml, document 0
export const usingUsesUsed: Usage = {
  apiVersion: 'apiextensions.crossplane.io/v1beta1',
  kind: 'Usage',
  metadata: {
    name: 'using-uses-used',
  },
  spec: {
    replayDeletion: true,
    of: {
      apiVersion: 'nop.crossplane.io/v1alpha1',
      kind: 'NopResource',
      resourceSelector: {
        matchLabels: {
          foo: 'bar',
        },
      },
    },
    by: {
      apiVersion: 'nop.crossplane.io/v1alpha1',
      kind: 'NopResource',
      resourceRef: {
        name: 'using-resource',
      },
    },
  },
}

// Mistakes the generated types must catch.
export const inputWithoutKind: Composition = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'Composition',
  spec: {
    compositeTypeRef: { apiVersion: 'example.org/v1alpha1', kind: 'ClusterTest' },
    mode: 'Pipeline',
    pipeline: [
      {
        step: 's',
        functionRef: { name: 'f' },
        // @ts-expect-error input is an embedded resource: apiVersion and kind are required
        input: { apiVersion: 'dummy.fn.crossplane.io/v1beta1', response: {} },
      },
    ],
  },
}

export const wrongMode: Composition = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'Composition',
  // @ts-expect-error mode is Pipeline
  spec: { compositeTypeRef: { apiVersion: 'a/v1', kind: 'K' }, mode: 'Resources', pipeline: [] },
}

export const noPackage: CrossplaneFunction = {
  apiVersion: 'pkg.crossplane.io/v1beta1',
  kind: 'Function',
  // @ts-expect-error a Function requires its package
  spec: {},
}

// Usage is served in v1alpha1 (storage) and v1beta1, both deprecated; Composition is
// cluster-scoped.
export const usageV1alpha1: UsageV1alpha1 = {
  apiVersion: 'apiextensions.crossplane.io/v1alpha1',
  kind: 'Usage',
  spec: { of: { apiVersion: 'v1', kind: 'ConfigMap', resourceRef: { name: 'c' } } },
}
export const compositionPath: '/apis/apiextensions.crossplane.io/v1/compositions/c' =
  CompositionResource.path({ name: 'c' })
