// The status and scale subresources of built-ins and custom resources, including a CRD's own
// scale paths.
import type { ParityRow } from './_scenario.js'
import {
  database,
  databases,
  deployment,
  deployments,
  resourceVersionOf,
  widget,
  widgets,
} from './_objects.js'

const merge = 'application/merge-patch+json'

const pods = '/api/v1/namespaces/{ns}/pods'
const twoContainers = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: {
    containers: [
      { name: 'a', image: 'busybox' },
      { name: 'b', image: 'busybox' },
    ],
  },
}

export const subresources: ParityRow[] = [
  {
    given: {
      name: 'exec, attach and portforward of a pod no node runs: the checks before the kubelet',
      setup: [{ method: 'POST', path: pods, body: twoContainers }],
      steps: [
        { path: `${pods}/p/exec?command=true&container=a` },
        { method: 'POST', path: `${pods}/p/exec?command=true&container=a` },
        { path: `${pods}/p/exec?command=true` },
        { path: `${pods}/p/attach?container=nope` },
        { path: `${pods}/p/portforward?ports=80` },
        { path: `${pods}/missing/exec?command=true` },
        { method: 'PUT', path: `${pods}/p/exec?command=true&container=a`, body: {} },
        { path: `${pods}/p/log?container=a` },
      ],
    },
  },
  {
    given: {
      name: 'a Deployment: writes to the object keep the status, writes to /status keep the spec',
      setup: [{ method: 'POST', path: deployments, body: deployment('d') }],
      steps: [
        {
          method: 'PATCH',
          path: `${deployments}/d/status`,
          contentType: merge,
          body: { status: { replicas: 1, observedGeneration: 1 }, spec: { replicas: 9 } },
        },
        {
          method: 'PATCH',
          path: `${deployments}/d`,
          contentType: merge,
          body: { status: { replicas: 7 } },
        },
        { path: `${deployments}/d/status` },
      ],
    },
  },
  {
    given: {
      name: 'a Deployment scale: get, replace and patch',
      setup: [{ method: 'POST', path: deployments, body: deployment('d', 2) }],
      steps: [
        { path: `${deployments}/d/scale` },
        (answers) => ({
          method: 'PUT',
          path: `${deployments}/d/scale`,
          body: {
            apiVersion: 'autoscaling/v1',
            kind: 'Scale',
            metadata: { name: 'd', resourceVersion: resourceVersionOf(answers, -1) },
            spec: { replicas: 3 },
          },
        }),
        {
          method: 'PATCH',
          path: `${deployments}/d/scale`,
          contentType: merge,
          body: { spec: { replicas: 4 } },
        },
        { path: `${deployments}/d` },
        { path: `${deployments}/missing/scale` },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#3.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      name: 'a custom resource: status writes and the scale subresource at .spec.replicas',
      setup: [{ method: 'POST', path: widgets, body: widget('w', { size: 1, replicas: 2 }) }],
      steps: [
        {
          method: 'PUT',
          path: `${widgets}/w/status`,
          body: {
            ...widget('w', { size: 100 }),
            status: { replicas: 2, selector: 'app=w' },
          },
        },
        { path: `${widgets}/w/scale` },
        {
          method: 'PATCH',
          path: `${widgets}/w/scale`,
          contentType: merge,
          body: { spec: { replicas: 5 } },
        },
        { path: `${widgets}/w` },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#3.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      name: "a custom resource's scale reads and writes its CRD's paths (.spec.instances)",
      setup: [{ method: 'POST', path: databases, body: database('db', 2) }],
      steps: [
        { path: `${databases}/db/scale` },
        {
          method: 'PATCH',
          path: `${databases}/db/status`,
          contentType: merge,
          body: { status: { readyInstances: 1, selector: 'cnpg.io/cluster=db' } },
        },
        { path: `${databases}/db/scale` },
        {
          method: 'PATCH',
          path: `${databases}/db/scale`,
          contentType: merge,
          body: { spec: { replicas: 3 } },
        },
        { path: `${databases}/db` },
      ],
    },
    want: {
      simplifications: ['managed fields'],
      differences: ['#1.body.metadata.managedFields[]', '#4.body.metadata.managedFields[]'],
    },
  },
]
