// Field validation (Strict, Warn, Ignore), schema validation of custom resources with its causes,
// and the Warning headers of deprecated versions.
import type { ParityRow } from './_scenario.js'
import { configMap, configMaps, widget, widgets } from './_objects.js'

const withUnknown = { ...configMap('c'), extra: 1, metadata: { name: 'c', bogus: true } }
const duplicated =
  '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"},"data":{"a":"1","a":"2"}}'

export const validations: ParityRow[] = [
  {
    given: {
      name: 'unknown fields: Strict refuses, Warn warns, Ignore drops them silently',
      steps: [
        { method: 'POST', path: `${configMaps}?fieldValidation=Strict`, body: withUnknown },
        { method: 'POST', path: `${configMaps}?fieldValidation=Warn`, body: withUnknown },
        { method: 'DELETE', path: `${configMaps}/c` },
        { method: 'POST', path: `${configMaps}?fieldValidation=Ignore`, body: withUnknown },
        { method: 'DELETE', path: `${configMaps}/c` },
        { method: 'POST', path: configMaps, body: withUnknown },
        { method: 'POST', path: `${configMaps}?fieldValidation=Sometimes`, body: configMap('e') },
      ],
    },
    want: {
      simplifications: ['error texts'],
      differences: [
        '#0.body.message',
        '#6.body.code',
        '#6.body.details',
        '#6.body.message',
        '#6.body.reason',
        '#6.status',
      ],
    },
  },
  {
    given: {
      name: 'duplicate fields: Strict refuses, Warn warns',
      steps: [
        { method: 'POST', path: `${configMaps}?fieldValidation=Strict`, body: duplicated },
        { method: 'POST', path: `${configMaps}?fieldValidation=Warn`, body: duplicated },
      ],
    },
    want: {
      simplifications: ['duplicate JSON fields', 'error texts'],
      differences: [
        '#0.body.code',
        '#0.body.data',
        '#0.body.kind',
        '#0.body.message',
        '#0.body.metadata.creationTimestamp',
        '#0.body.metadata.managedFields',
        '#0.body.metadata.name',
        '#0.body.metadata.namespace',
        '#0.body.metadata.resourceVersion',
        '#0.body.metadata.uid',
        '#0.body.reason',
        '#0.body.status',
        '#0.status',
        '#1.body.code',
        '#1.body.data',
        '#1.body.details',
        '#1.body.kind',
        '#1.body.message',
        '#1.body.metadata.creationTimestamp',
        '#1.body.metadata.managedFields',
        '#1.body.metadata.name',
        '#1.body.metadata.namespace',
        '#1.body.metadata.resourceVersion',
        '#1.body.metadata.uid',
        '#1.body.reason',
        '#1.body.status',
        '#1.headers.warning',
        '#1.status',
      ],
    },
  },
  {
    given: {
      name: 'unknown fields of a custom resource are pruned, and named under Strict',
      steps: [
        {
          method: 'POST',
          path: `${widgets}?fieldValidation=Strict`,
          body: widget('w', { size: 1, colour: 'red' }),
        },
        { method: 'POST', path: widgets, body: widget('w', { size: 1, colour: 'red' }) },
      ],
    },
    want: {
      simplifications: ['error texts', 'no defaulting', 'managed fields'],
      differences: [
        '#0.body.message',
        '#1.body.metadata.managedFields[]',
        '#1.body.spec.mode',
        '#1.body.spec.replicas',
      ],
    },
  },
  {
    given: {
      // One problem per request: kube-apiserver lists several in map order, which varies.
      name: 'a custom resource that breaks its schema is Invalid, with its causes',
      steps: [
        { method: 'POST', path: widgets, body: widget('a', { size: 1, replicas: -1 }) },
        { method: 'POST', path: widgets, body: widget('b', { size: 1, mode: 'medium' }) },
        { method: 'POST', path: widgets, body: widget('c', { size: 1, labels: { a: 1 } }) },
        { method: 'POST', path: widgets, body: widget('d', { replicas: 2 }) },
        { method: 'POST', path: widgets, body: widget('e', { size: 1, replicas: 'three' }) },
      ],
    },
    want: {
      simplifications: ['validation is the OpenAPI schema only'],
      differences: [
        '#0.body.apiVersion',
        '#0.body.code',
        '#0.body.details',
        '#0.body.kind',
        '#0.body.message',
        '#0.body.metadata.creationTimestamp',
        '#0.body.metadata.generation',
        '#0.body.metadata.managedFields',
        '#0.body.metadata.name',
        '#0.body.metadata.namespace',
        '#0.body.metadata.resourceVersion',
        '#0.body.metadata.uid',
        '#0.body.reason',
        '#0.body.spec',
        '#0.body.status',
        '#0.status',
        '#4.body.details.causes[]',
        '#4.body.message',
      ],
    },
  },
  {
    given: {
      name: 'a wrong type in a built-in',
      steps: [
        { method: 'POST', path: configMaps, body: { ...configMap('c'), data: { a: 1 } } },
        { method: 'POST', path: configMaps, body: '{"apiVersion":"v1","kind":"ConfigMap",' },
      ],
    },
    want: {
      simplifications: ['a wrong type in a built-in', 'error texts'],
      differences: [
        '#0.body.code',
        '#0.body.details',
        '#0.body.message',
        '#0.body.reason',
        '#0.status',
        '#1.body.message',
      ],
    },
  },
  {
    given: {
      name: 'a deprecated custom resource version warns on every request',
      steps: [
        {
          method: 'POST',
          path: '/apis/example.dev/v1beta1/namespaces/{ns}/widgets',
          body: { apiVersion: 'example.dev/v1beta1', kind: 'Widget', metadata: { name: 'old' } },
        },
        { path: '/apis/example.dev/v1beta1/namespaces/{ns}/widgets/old' },
      ],
    },
    want: {
      simplifications: ['no deprecation warnings', 'managed fields'],
      differences: [
        '#0.body.metadata.managedFields',
        '#0.headers.warning',
        '#1.body.metadata.managedFields',
        '#1.headers.warning',
      ],
    },
  },
  {
    given: {
      name: 'Endpoints writes carry the deprecation warning',
      steps: [
        {
          method: 'POST',
          path: '/api/v1/namespaces/{ns}/endpoints',
          body: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' } },
        },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#0.body.metadata.managedFields'],
    },
  },
]
