import { describe, expect, it } from 'vitest'

import { moduleOfPackage } from '../src/module-path.js'

describe('moduleOfPackage', () => {
  const inferred = new Map([['com.acme.stable.v2', 'stable.acme.com']])
  it.each([
    { given: 'io.k8s.api.core.v1', want: 'core/v1' },
    { given: 'io.k8s.api.apps.v1', want: 'apps/v1' },
    { given: 'io.k8s.api.policy.v1', want: 'policy/v1' },
    { given: 'io.k8s.api.networking.v1', want: 'networking.k8s.io/v1' },
    { given: 'io.k8s.api.rbac.v1', want: 'rbac.authorization.k8s.io/v1' },
    { given: 'io.k8s.api.authentication.v1', want: 'authentication.k8s.io/v1' },
    { given: 'io.k8s.apimachinery.pkg.apis.meta.v1', want: 'meta/v1' },
    { given: 'io.k8s.apimachinery.pkg.util.intstr', want: 'util/intstr' },
    { given: 'io.k8s.apimachinery.pkg.api.resource', want: 'api/resource' },
    { given: 'io.k8s.apimachinery.pkg.runtime', want: 'runtime' },
    {
      given: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
      want: 'apiextensions.k8s.io/v1',
    },
    {
      given: 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1',
      want: 'apiregistration.k8s.io/v1',
    },
    { given: 'dev.example.v1', want: 'example.dev/v1' },
    { given: 'com.acme.stable.v2', want: 'stable.acme.com/v2' },
  ])('$given → $want', ({ given, want }) => {
    expect(moduleOfPackage(given, inferred)).toBe(want)
  })
})
