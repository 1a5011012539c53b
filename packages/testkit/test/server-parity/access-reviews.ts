// Access reviews (`kubectl auth can-i`, `can-i --list`): answered, never stored, by the
// AlwaysAllow authorizer both servers run (startRealApiServer's `--authorization-mode`), and the
// requests kube-apiserver refuses before asking it.
import type { ParityRow } from './_scenario.js'

const authorization = '/apis/authorization.k8s.io/v1'
const review = (kind: string, spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'authorization.k8s.io/v1',
  kind,
  spec,
})
const getPods = { namespace: '{ns}', verb: 'get', resource: 'pods' }

export const accessReviews: ParityRow[] = [
  {
    given: {
      name: 'kubectl auth can-i: a SelfSubjectAccessReview is answered allowed without a name',
      steps: [
        {
          method: 'POST',
          path: `${authorization}/selfsubjectaccessreviews?fieldManager=kubectl`,
          body: review('SelfSubjectAccessReview', {
            resourceAttributes: {
              namespace: '{ns}',
              verb: 'create',
              group: 'apps',
              resource: 'deployments',
            },
          }),
        },
        {
          method: 'POST',
          path: `${authorization}/selfsubjectaccessreviews?fieldManager=kubectl`,
          body: review('SelfSubjectAccessReview', {
            nonResourceAttributes: { path: '/healthz', verb: 'get' },
          }),
        },
      ],
    },
    want: {
      // The `.` marker of resourceAttributes, a struct with members.
      simplifications: ['managed fields'],
      differences: ['#0.body.metadata.managedFields[]', '#1.body.metadata.managedFields[]'],
    },
  },
  {
    given: {
      name: 'kubectl auth can-i --list: a SelfSubjectRulesReview answers every rule, and needs a namespace',
      steps: [
        {
          method: 'POST',
          path: `${authorization}/selfsubjectrulesreviews`,
          body: review('SelfSubjectRulesReview', { namespace: '{ns}' }),
        },
        {
          method: 'POST',
          path: `${authorization}/selfsubjectrulesreviews`,
          body: review('SelfSubjectRulesReview', {}),
        },
      ],
    },
  },
  {
    given: {
      name: 'SubjectAccessReview and LocalSubjectAccessReview for another user, and what each refuses',
      steps: [
        {
          method: 'POST',
          path: `${authorization}/subjectaccessreviews?fieldManager=admin`,
          body: review('SubjectAccessReview', { user: 'bob', resourceAttributes: getPods }),
        },
        {
          method: 'POST',
          path: `${authorization}/namespaces/{ns}/localsubjectaccessreviews?fieldManager=admin`,
          body: review('LocalSubjectAccessReview', { user: 'bob', resourceAttributes: getPods }),
        },
        {
          method: 'POST',
          path: `${authorization}/subjectaccessreviews`,
          body: review('SubjectAccessReview', { resourceAttributes: getPods }),
        },
        {
          method: 'POST',
          path: `${authorization}/selfsubjectaccessreviews`,
          body: review('SelfSubjectAccessReview', {}),
        },
        {
          method: 'POST',
          path: `${authorization}/selfsubjectaccessreviews`,
          body: review('SelfSubjectAccessReview', {
            resourceAttributes: { verb: 'get' },
            nonResourceAttributes: { path: '/x', verb: 'get' },
          }),
        },
        {
          method: 'POST',
          path: `${authorization}/namespaces/{ns}/localsubjectaccessreviews`,
          body: review('LocalSubjectAccessReview', {
            user: 'bob',
            resourceAttributes: { namespace: 'other', verb: 'get', resource: 'pods' },
          }),
        },
      ],
    },
    want: {
      // The `.` marker of resourceAttributes, a struct with members.
      simplifications: ['managed fields'],
      differences: ['#0.body.metadata.managedFields[]', '#1.body.metadata.managedFields[]'],
    },
  },
]
