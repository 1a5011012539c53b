// Flux's source-controller's own example resources, as typed literals checked against the types
// `generate --crds` makes from its CRDs (see ../README.md). Each literal cites its source file in
// fluxcd/source-controller at 39b711b111fa; every `@ts-expect-error` is a mistake the
// generated types must catch.
import type {
  Bucket,
  GitRepository,
  HelmChart,
  HelmRepository,
  OCIRepository,
} from '../k8s/source.toolkit.fluxcd.io/v1.js'
import { GitRepository as GitRepositoryResource } from '../k8s/source.toolkit.fluxcd.io/v1.js'

// config/samples/source_v1_gitrepository.yaml, document 0
export const gitrepositorySample: GitRepository = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  metadata: {
    name: 'gitrepository-sample',
  },
  spec: {
    interval: '1m',
    url: 'https://github.com/stefanprodan/podinfo',
    ref: {
      branch: 'master',
    },
  },
}

// config/samples/source_v1_helmrepository.yaml, document 0
export const helmrepositorySample: HelmRepository = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
  metadata: {
    name: 'helmrepository-sample',
  },
  spec: {
    interval: '1m',
    url: 'https://stefanprodan.github.io/podinfo',
  },
}

// config/samples/source_v1_helmrepository-oci.yaml, document 0
export const helmrepositorySampleOci: HelmRepository = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
  metadata: {
    name: 'helmrepository-sample-oci',
  },
  spec: {
    interval: '1m',
    type: 'oci',
    url: 'oci://ghcr.io/',
  },
}

// config/samples/source_v1_helmchart_helmrepository.yaml, document 0
export const helmchartSample: HelmChart = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmChart',
  metadata: {
    name: 'helmchart-sample',
  },
  spec: {
    chart: 'podinfo',
    version: '6.x',
    sourceRef: {
      kind: 'HelmRepository',
      name: 'helmrepository-sample',
    },
    interval: '1m',
    ignoreMissingValuesFiles: true,
  },
}

// config/samples/source_v1_ocirepository.yaml, document 0
export const ocirepositorySample: OCIRepository = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'OCIRepository',
  metadata: {
    name: 'ocirepository-sample',
  },
  spec: {
    interval: '1m',
    url: 'oci://ghcr.io/stefanprodan/manifests/podinfo',
    ref: {
      tag: '6.1.6',
    },
  },
}

// config/samples/source_v1_bucket.yaml, document 0
export const bucketSample: Bucket = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'Bucket',
  metadata: {
    name: 'bucket-sample',
  },
  spec: {
    interval: '1m',
    provider: 'generic',
    bucketName: 'podinfo',
    endpoint: 'minio.minio.svc.cluster.local:9000',
    region: 'us-east-1',
    insecure: true,
  },
}

// Mistakes the generated types must catch.
export const wrongRepositoryType: HelmRepository = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
  // @ts-expect-error type is default | oci
  spec: { url: 'https://example.com', type: 'http' },
}

export const noUrl: GitRepository = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  // @ts-expect-error a GitRepository requires interval and url
  spec: { ref: { branch: 'main' } },
}

export const wrongProvider: Bucket = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'Bucket',
  // @ts-expect-error provider is generic | aws | gcp | azure
  spec: { interval: '1m', bucketName: 'b', endpoint: 'e', provider: 'minio' },
}

export const gitRepositoryShortNames: readonly ['gitrepo'] = GitRepositoryResource.shortNames
