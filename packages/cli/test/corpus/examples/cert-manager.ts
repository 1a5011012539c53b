// Cert-manager's own example resources, as typed literals checked against the types
// `generate --crds` makes from its CRDs (see ../README.md). Each literal cites its source file in
// cert-manager/cert-manager at 2d0d7f7f7424; every `@ts-expect-error` is a mistake the
// generated types must catch.
import type { Certificate, Issuer } from '../k8s/cert-manager.io/v1.js'
import { ClusterIssuer as ClusterIssuerResource } from '../k8s/cert-manager.io/v1.js'

// test/fixtures/cert-manager-resources.yaml, document 0
export const selfsignedIssuer: Issuer = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Issuer',
  metadata: {
    name: 'selfsigned-issuer',
    namespace: 'default',
    labels: {
      test: 'first',
    },
  },
  spec: {
    selfSigned: {},
  },
}

// test/fixtures/cert-manager-resources.yaml, document 1
export const test1: Certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: {
    name: 'test1',
    namespace: 'default',
    labels: {
      test: 'first',
    },
  },
  spec: {
    dnsNames: ['example.com'],
    issuerRef: {
      group: 'cert-manager.io',
      kind: 'Issuer',
      name: 'selfsigned-issuer',
    },
    secretName: 'test1',
  },
}

// test/fixtures/cert-manager-resources.yaml, document 2
export const test2: Certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: {
    name: 'test2',
    namespace: 'default',
    labels: {
      test: 'second',
    },
  },
  spec: {
    dnsNames: ['example.com'],
    issuerRef: {
      group: 'cert-manager.io',
      kind: 'Issuer',
      name: 'selfsigned-issuer',
    },
    secretName: 'test2',
  },
}

// Mistakes the generated types must catch.
export const wrongAlgorithm: Certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  // @ts-expect-error privateKey.algorithm is RSA | ECDSA | Ed25519
  spec: { secretName: 's', issuerRef: { name: 'i' }, privateKey: { algorithm: 'DSA' } },
}

export const noIssuer: Certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  // @ts-expect-error issuerRef and secretName are required
  spec: { dnsNames: ['example.com'] },
}

export const durationAsNumber: Certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  // @ts-expect-error duration is a Go duration string ('2160h'), not a number
  spec: { secretName: 's', issuerRef: { name: 'i' }, duration: 2160 },
}

// ClusterIssuer is cluster-scoped: its path has no namespace.
export const clusterIssuerPath: '/apis/cert-manager.io/v1/clusterissuers/letsencrypt' =
  ClusterIssuerResource.path({ name: 'letsencrypt' })
// @ts-expect-error a cluster-scoped kind takes no namespace
ClusterIssuerResource.path({ namespace: 'default', name: 'letsencrypt' })
