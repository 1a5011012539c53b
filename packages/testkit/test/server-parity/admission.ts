// What kube-apiserver sets on a new object after its field manager: strategies' PrepareForCreate
// and the admission plugins of a default kube-apiserver (Priority, DefaultTolerationSeconds), on
// the parts a client reads back (`kubectl describe pod`: Priority, Status, QoS Class,
// Tolerations; a Job's selector).
import type { ParityRow, Request } from './_scenario.js'

const pods = '/api/v1/namespaces/{ns}/pods'
const pod = (name: string, spec: Record<string, unknown>): Request => ({
  method: 'POST',
  path: pods,
  body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec },
  view: (body) => {
    const { spec: written, status, message, code } = (body ?? {}) as Record<string, unknown>
    if (written === undefined) return { message, code }
    const { priority, preemptionPolicy, priorityClassName, tolerations } = written as Record<
      string,
      unknown
    >
    return { priority, preemptionPolicy, priorityClassName, tolerations, status }
  },
})
const container = (resources?: Record<string, unknown>): Record<string, unknown> => ({
  name: 'c',
  image: 'nginx',
  ...(resources === undefined ? {} : { resources }),
})

export const admissions: ParityRow[] = [
  {
    given: {
      name: 'a new Pod is Pending with its QoS class, priority and the not-ready and unreachable tolerations',
      steps: [
        pod('best-effort', { containers: [container()] }),
        pod('guaranteed', {
          priorityClassName: 'system-cluster-critical',
          containers: [container({ limits: { cpu: '1', memory: '1Gi' } })],
        }),
        pod('burstable', {
          containers: [
            container({ requests: { cpu: '500m' }, limits: { cpu: '1' } }),
            { ...container(), name: 'd' },
          ],
          tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }],
        }),
        pod('equal-by-value', {
          containers: [
            container({
              requests: { cpu: '1000m', memory: '1024Mi' },
              limits: { cpu: '1', memory: '1Gi' },
            }),
          ],
        }),
        pod('no-such-class', { priorityClassName: 'nope', containers: [container()] }),
        pod('own-priority', { priority: 7, containers: [container()] }),
      ],
    },
  },
  {
    given: {
      name: 'a new Job gets a selector of its uid and its template the labels to match',
      steps: [
        {
          method: 'POST',
          path: '/apis/batch/v1/namespaces/{ns}/jobs',
          body: {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: { name: 'job' },
            spec: {
              template: {
                metadata: { labels: { app: 'job' } },
                spec: { restartPolicy: 'Never', containers: [container()] },
              },
            },
          },
          view: (body) => {
            const { metadata, spec } = body as Record<string, Record<string, unknown>>
            const template = spec?.['template'] as Record<string, Record<string, unknown>>
            return {
              uid: metadata?.['uid'],
              selector: spec?.['selector'],
              labels: template['metadata']?.['labels'],
            }
          },
        },
      ],
    },
  },
]
