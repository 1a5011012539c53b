// Lists: pages with limit/continue, resourceVersion and resourceVersionMatch, label and field
// selectors with their parse errors.
import type { ParityRow } from './_scenario.js'
import {
  configMap,
  configMaps,
  database,
  databases,
  deployment,
  deployments,
  resourceVersionOf,
  widget,
  widgets,
} from './_objects.js'

const three = [
  {
    method: 'POST',
    path: configMaps,
    body: configMap('a', { a: '1' }, { labels: { tier: 'x', keep: 'y' } }),
  },
  { method: 'POST', path: configMaps, body: configMap('b', { b: '2' }, { labels: { tier: 'y' } }) },
  {
    method: 'POST',
    path: configMaps,
    body: configMap('c', { c: '3' }, { labels: { tier: 'z', keep: 'y' } }),
  },
]

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'

const continueOf = (body: unknown): string =>
  encodeURIComponent((body as { metadata?: { continue?: string } }).metadata?.continue ?? '')

export const lists: ParityRow[] = [
  {
    given: {
      name: 'pages of two with a continue token and remainingItemCount',
      setup: three,
      steps: [
        { path: `${configMaps}?limit=2` },
        (answers) => ({
          path: `${configMaps}?limit=2&continue=${continueOf(answers.at(-1)?.body)}`,
        }),
        { path: `${configMaps}?limit=2&labelSelector=keep%3Dy` },
        { path: `${configMaps}?limit=1&continue=bm90LWEtdG9rZW4` },
      ],
    },
    want: { simplifications: ['error texts'], differences: ['#3.body.message'] },
  },
  {
    given: {
      name: 'a page keeps its snapshot: a write after the first page is not seen',
      setup: three,
      steps: [
        { path: `${configMaps}?limit=1` },
        { method: 'POST', path: configMaps, body: configMap('bb') },
        { method: 'DELETE', path: `${configMaps}/c` },
        (answers) => ({
          path: `${configMaps}?limit=5&continue=${continueOf(answers.at(-3)?.body)}`,
        }),
      ],
    },
  },
  {
    given: {
      name: 'resourceVersion and resourceVersionMatch',
      setup: three,
      steps: [
        (answers) => ({
          path: `${configMaps}?resourceVersion=${resourceVersionOf(answers, 0)}&resourceVersionMatch=Exact`,
        }),
        (answers) => ({
          path: `${configMaps}?resourceVersion=${resourceVersionOf(answers, 1)}&resourceVersionMatch=NotOlderThan`,
        }),
        { path: `${configMaps}?resourceVersion=0&limit=1` },
        { path: `${configMaps}?resourceVersionMatch=Exact` },
        { path: `${configMaps}?resourceVersion=abc` },
        { path: `${configMaps}?resourceVersion=1&resourceVersionMatch=Sometime` },
      ],
    },
  },
  {
    given: {
      name: 'a resourceVersion beyond the current revision is a Timeout',
      steps: [
        { path: `${configMaps}?resourceVersion=999999999&resourceVersionMatch=NotOlderThan` },
      ],
    },
  },
  {
    given: {
      name: 'label selectors: equality, sets, existence, and a parse error',
      setup: three,
      steps: [
        { path: `${configMaps}?labelSelector=tier%3Dx` },
        { path: `${configMaps}?labelSelector=tier!%3Dx` },
        { path: `${configMaps}?labelSelector=tier%20in%20(x%2Cz)%2C!gone` },
        { path: `${configMaps}?labelSelector=tier%20notin%20(x)%2Ckeep` },
        { path: `${configMaps}?labelSelector=tier%20in%20x` },
        { path: `${configMaps}?labelSelector=Bad_Key!%3D%3D` },
      ],
    },
    want: { simplifications: ['error texts'], differences: ['#4.body.message', '#5.body.message'] },
  },
  {
    given: {
      name: 'field selectors: metadata.name and namespace, unsupported fields',
      setup: [...three, { method: 'POST', path: widgets, body: widget('w') }],
      steps: [
        { path: `${configMaps}?fieldSelector=metadata.name%3Db` },
        { path: `${configMaps}?fieldSelector=metadata.name!%3Db%2Cmetadata.namespace%3D{ns}` },
        { path: `${configMaps}?fieldSelector=data.a%3D1` },
        { path: `${widgets}?fieldSelector=metadata.name%3Dw` },
        { path: `${widgets}?fieldSelector=spec.size%3D3` },
        { path: `${configMaps}?fieldSelector=metadata.name` },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#3.body.items[].metadata'],
    },
  },
  {
    given: {
      name: 'a field selector with an empty term',
      setup: three,
      steps: [{ path: `${configMaps}?fieldSelector=metadata.name%3Da%2C` }],
    },
  },
  {
    given: {
      name: 'a Table for kubectl get',
      setup: three,
      steps: [
        {
          path: `${configMaps}?limit=2`,
          accept: tableAccept,
        },
      ],
    },
  },
  {
    given: {
      name: 'kubectl get of custom resources: a Table of the CRD printer columns, or Age when it has none',
      setup: [
        { method: 'POST', path: widgets, body: widget('w', { size: 3, replicas: 2 }) },
        { method: 'POST', path: widgets, body: widget('v') },
        { method: 'POST', path: databases, body: database('d') },
      ],
      steps: [
        { path: widgets, accept: tableAccept },
        { path: `${widgets}/w`, accept: tableAccept },
        { path: databases, accept: tableAccept },
      ],
    },
    want: {
      // The rows' PartialObjectMetadata: who owns the defaulted spec fields.
      simplifications: ['managed fields'],
      differences: ['#0.body.rows[].object', '#1.body.rows[].object', '#2.body.rows[].object'],
    },
  },
  {
    given: {
      name: 'kubectl get of built-in kinds: each kind its own columns, wide ones included',
      setup: [
        { method: 'POST', path: deployments, body: deployment('d', 3) },
        {
          method: 'POST',
          path: '/api/v1/namespaces/{ns}/secrets',
          body: {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 's' },
            type: 'kubernetes.io/basic-auth',
            data: { username: 'YQ==', password: 'Yg==' },
          },
        },
        {
          method: 'POST',
          path: '/api/v1/namespaces/{ns}/serviceaccounts',
          body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } },
        },
      ],
      steps: [
        { path: deployments, accept: tableAccept },
        { path: '/api/v1/namespaces/{ns}/secrets/s', accept: tableAccept },
        { path: '/api/v1/namespaces/{ns}/serviceaccounts/robot', accept: tableAccept },
        { path: '/api/v1/namespaces/{ns}', accept: tableAccept },
        {
          path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.dev',
          accept: tableAccept,
        },
      ],
    },
    want: {
      // The rows' PartialObjectMetadata: who owns what the server set (the CRD its installer
      // created).
      simplifications: ['managed fields'],
      differences: ['#4.body.rows[].object'],
    },
  },
]
