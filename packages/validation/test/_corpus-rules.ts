// The x-kubernetes-validations of real projects' CRDs (packages/cli/test/corpus/crds: Gateway API,
// cert-manager, CSI external-snapshotter, as published) on valid and invalid objects, creates and
// updates (the snapshotter's immutability transition rules). Each `want` is what a real
// kube-apiserver v1.37.2 serving those CRDs answered (POST ?dryRun=All; for an update the old
// object created, then PUT ?dryRun=All; undefined = accepted). The Cluster API CRDs of the corpus
// carry no CEL rules. Shared by real-crd-rules.test.ts and cel-real-apiserver-oracle.test.ts.
import { fileURLToPath } from 'node:url'
import { loadCrdFiles } from '@k8s-codegen/testkit'
import type { OpenApiDocument, StatusCause } from '../src/index.js'

const corpus = fileURLToPath(new URL('../../cli/test/corpus/crds/', import.meta.url))

/** The CRD files the rows use. */
export const corpusCrdFiles = [
  `${corpus}gateway-api`,
  `${corpus}cert-manager`,
  `${corpus}external-snapshotter/snapshot.storage.k8s.io_volumesnapshots.yaml`,
]

// The structural schema the apiserver validates with, one schema per served version and kind.
export const corpusDocument: OpenApiDocument = {
  components: {
    schemas: Object.fromEntries(
      loadCrdFiles(corpusCrdFiles).flatMap((crd) => {
        const spec = crd.spec as {
          group: string
          names: { kind: string }
          versions: { name: string; schema: { openAPIV3Schema: object } }[]
        }
        return spec.versions.map((v) => [
          `${spec.group}.${v.name}.${spec.names.kind}`,
          {
            ...v.schema.openAPIV3Schema,
            'x-kubernetes-group-version-kind': [
              { group: spec.group, version: v.name, kind: spec.names.kind },
            ],
          },
        ])
      }),
    ),
  },
}

export interface CorpusRow {
  readonly given: { readonly object: unknown; readonly oldObject?: unknown }
  readonly want: { readonly message: string; readonly causes: readonly StatusCause[] } | undefined
}

export const corpusRows: CorpusRow[] = [
  {
    given: {
      object: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'gw' },
        spec: { gatewayClassName: 'gc', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
      },
    },
    want: undefined,
  },
  {
    given: {
      object: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'gw' },
        spec: {
          gatewayClassName: 'gc',
          listeners: [
            { name: 'http', port: 80, protocol: 'HTTP', tls: { mode: 'Terminate' } },
            { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'a.example.com' },
            {
              name: 'https2',
              port: 443,
              protocol: 'HTTPS',
              hostname: 'a.example.com',
              tls: { mode: 'Terminate' },
            },
          ],
          addresses: [
            { type: 'IPAddress', value: '10.0.0.1' },
            { type: 'IPAddress', value: '10.0.0.1' },
          ],
        },
      },
    },
    want: {
      message:
        'Gateway.gateway.networking.k8s.io "gw" is invalid: [spec.listeners: Invalid value: tls must not be specified for protocols [\'HTTP\', \'TCP\', \'UDP\'], spec.listeners: Invalid value: Combination of port, protocol and hostname must be unique for each listener, spec.listeners[0].tls: Invalid value: "object": no such key: certificateRefs evaluating rule: certificateRefs or options must be specified when mode is Terminate, spec.listeners[2].tls: Invalid value: "object": no such key: certificateRefs evaluating rule: certificateRefs or options must be specified when mode is Terminate, spec.addresses: Invalid value: IPAddress values must be unique]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: "Invalid value: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
          field: 'spec.listeners',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: Combination of port, protocol and hostname must be unique for each listener',
          field: 'spec.listeners',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "object": no such key: certificateRefs evaluating rule: certificateRefs or options must be specified when mode is Terminate',
          field: 'spec.listeners[0].tls',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "object": no such key: certificateRefs evaluating rule: certificateRefs or options must be specified when mode is Terminate',
          field: 'spec.listeners[2].tls',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: IPAddress values must be unique',
          field: 'spec.addresses',
        },
      ],
    },
  },
  {
    given: {
      object: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r' },
        spec: {
          parentRefs: [{ name: 'gw' }],
          rules: [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
              backendRefs: [{ name: 'svc', port: 8080 }],
            },
          ],
        },
      },
    },
    want: undefined,
  },
  {
    given: {
      object: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r' },
        spec: {
          parentRefs: [{ name: 'gw' }],
          rules: [
            {
              matches: [
                { path: { type: 'PathPrefix', value: 'api' } },
                { path: { type: 'Exact', value: '/a/../b' } },
              ],
              filters: [
                { type: 'RequestRedirect', requestRedirect: { port: 80 } },
                { type: 'URLRewrite', urlRewrite: { hostname: 'x' } },
              ],
              backendRefs: [{ name: 'svc' }],
            },
          ],
        },
      },
    },
    want: {
      message:
        "HTTPRoute.gateway.networking.k8s.io \"r\" is invalid: [spec.rules[0]: Invalid value: RequestRedirect filter must not be used together with backendRefs, spec.rules[0].matches[0].path: Invalid value: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix'], spec.rules[0].matches[1].path: Invalid value: must not contain '/../' when type one of ['Exact', 'PathPrefix'], spec.rules[0].filters: Invalid value: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both, spec.rules[0].backendRefs[0]: Invalid value: Must have port for Service reference]",
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: RequestRedirect filter must not be used together with backendRefs',
          field: 'spec.rules[0]',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
          field: 'spec.rules[0].matches[0].path',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            "Invalid value: must not contain '/../' when type one of ['Exact', 'PathPrefix']",
          field: 'spec.rules[0].matches[1].path',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
          field: 'spec.rules[0].filters',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: Must have port for Service reference',
          field: 'spec.rules[0].backendRefs[0]',
        },
      ],
    },
  },
  {
    given: {
      object: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GRPCRoute',
        metadata: { name: 'g' },
        spec: {
          parentRefs: [{ name: 'gw' }],
          rules: [
            {
              matches: [{ method: { type: 'Exact' } }],
              filters: [
                {
                  type: 'RequestHeaderModifier',
                  requestHeaderModifier: { set: [{ name: 'a', value: 'b' }] },
                },
                {
                  type: 'RequestHeaderModifier',
                  requestHeaderModifier: { set: [{ name: 'c', value: 'd' }] },
                },
              ],
            },
          ],
        },
      },
    },
    want: {
      message:
        "GRPCRoute.gateway.networking.k8s.io \"g\" is invalid: [spec.rules[0].matches[0].method: Invalid value: One or both of 'service' or 'method' must be specified, spec.rules[0].filters: Invalid value: RequestHeaderModifier filter cannot be repeated]",
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: "Invalid value: One or both of 'service' or 'method' must be specified",
          field: 'spec.rules[0].matches[0].method',
        },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: RequestHeaderModifier filter cannot be repeated',
          field: 'spec.rules[0].filters',
        },
      ],
    },
  },
  {
    given: {
      object: {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: 'i' },
        spec: { selfSigned: {} },
      },
    },
    want: undefined,
  },
  {
    given: {
      object: {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: 'i' },
        spec: { venafi: { zone: 'z' } },
      },
    },
    want: {
      message:
        'Issuer.cert-manager.io "i" is invalid: spec.venafi: Invalid value: exactly one of tpp, cloud, or ngts must be configured',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: exactly one of tpp, cloud, or ngts must be configured',
          field: 'spec.venafi',
        },
      ],
    },
  },
  {
    given: {
      object: {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: 'i' },
        spec: {
          venafi: {
            zone: 'z',
            tpp: { url: 'https://x', credentialsRef: { name: 'c' } },
            cloud: { apiTokenSecretRef: { name: 't', key: 'k' } },
          },
        },
      },
    },
    want: {
      message:
        'Issuer.cert-manager.io "i" is invalid: spec.venafi: Invalid value: exactly one of tpp, cloud, or ngts must be configured',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: exactly one of tpp, cloud, or ngts must be configured',
          field: 'spec.venafi',
        },
      ],
    },
  },
  {
    given: {
      object: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: { name: 's' },
        spec: { source: { persistentVolumeClaimName: 'pvc' } },
      },
    },
    want: undefined,
  },
  {
    given: {
      object: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        metadata: { name: 's' },
        spec: {
          source: { persistentVolumeClaimName: 'pvc', volumeSnapshotContentName: 'c' },
          volumeSnapshotClassName: '',
        },
      },
    },
    want: {
      message:
        'VolumeSnapshot.snapshot.storage.k8s.io "s" is invalid: [spec.source: Invalid value: exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set, spec.volumeSnapshotClassName: Invalid value: "": volumeSnapshotClassName must not be the empty string when set]',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set',
          field: 'spec.source',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "": volumeSnapshotClassName must not be the empty string when set',
          field: 'spec.volumeSnapshotClassName',
        },
      ],
    },
  },
  {
    given: {
      object: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        spec: { source: { persistentVolumeClaimName: 'pvc2' } },
        metadata: { name: 'old-0' },
      },
      oldObject: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        spec: { source: { persistentVolumeClaimName: 'pvc' } },
        metadata: { name: 'old-0' },
      },
    },
    want: {
      message:
        'VolumeSnapshot.snapshot.storage.k8s.io "old-0" is invalid: spec.source.persistentVolumeClaimName: Invalid value: "pvc2": persistentVolumeClaimName is immutable',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "pvc2": persistentVolumeClaimName is immutable',
          field: 'spec.source.persistentVolumeClaimName',
        },
      ],
    },
  },
  {
    given: {
      object: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        spec: { source: { volumeSnapshotContentName: 'c' } },
        metadata: { name: 'old-1' },
      },
      oldObject: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        spec: { source: { persistentVolumeClaimName: 'pvc' } },
        metadata: { name: 'old-1' },
      },
    },
    want: {
      message:
        'VolumeSnapshot.snapshot.storage.k8s.io "old-1" is invalid: spec.source: Invalid value: persistentVolumeClaimName is required once set',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: persistentVolumeClaimName is required once set',
          field: 'spec.source',
        },
      ],
    },
  },
  {
    given: {
      object: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        spec: { source: { persistentVolumeClaimName: 'pvc' }, volumeSnapshotClassName: 'b' },
        metadata: { name: 'old-2' },
      },
      oldObject: {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        spec: { source: { persistentVolumeClaimName: 'pvc' }, volumeSnapshotClassName: 'a' },
        metadata: { name: 'old-2' },
      },
    },
    want: undefined,
  },
]
