import { describe, expect, it } from 'vitest'
import { selectLockedGroupVersions, withoutCrdSets } from '../src/lock-sources.js'
import type { LockedGroupVersion, Lockfile } from '../src/lockfile.js'

// The lockfile's sources: the cluster's group-versions are narrowed by include/exclude, those of
// a --crds set are always generated.
const H = 'A'.repeat(128)
const gv = (group: string, version: string): LockedGroupVersion => ({
  group,
  version,
  status: 'ok',
  hash: H,
  bytes: 1,
})
const lock: Lockfile = {
  lockfileVersion: 2,
  source: 'v3',
  groupVersions: {
    'api/v1': gv('', 'v1'),
    'apis/apps/v1': gv('apps', 'v1'),
    'apis/example.dev/v1': gv('example.dev', 'v1'),
    'apis/metrics.k8s.io/v1beta1': {
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      status: 'unavailable',
      httpStatus: 503,
    },
  },
  crds: [{ paths: ['crds'], files: {}, groupVersions: ['apis/example.dev/v1'] }],
}

describe('selectLockedGroupVersions', () => {
  it.each([
    { given: {}, want: ['api/v1', 'apis/apps/v1', 'apis/example.dev/v1'] },
    { given: { include: ['apps'] }, want: ['apis/apps/v1', 'apis/example.dev/v1'] },
    { given: { exclude: ['core/*'] }, want: ['apis/apps/v1', 'apis/example.dev/v1'] },
    { given: { include: ['nothing.io'] }, want: ['apis/example.dev/v1'] },
  ])('$given keeps $want', ({ given, want }) => {
    expect(selectLockedGroupVersions(lock, given)).toEqual(want)
  })

  it.each([
    {
      given: { lock, filters: { exclude: ['example.dev'] } },
      want: 'K8S_CODEGEN_OPENAPI_CRDS_FILTERED',
    },
    {
      given: { lock: withoutCrdSets(lock), filters: { exclude: ['*'] } },
      want: 'K8S_CODEGEN_OPENAPI_NOTHING_SELECTED',
    },
    {
      given: { lock: { ...lock, groupVersions: {}, crds: [] }, filters: {} },
      want: 'K8S_CODEGEN_OPENAPI_NOTHING_SELECTED',
    },
  ])('refuses $given.filters with $want', ({ given, want }) => {
    expect(() => selectLockedGroupVersions(given.lock, given.filters)).toThrow(
      expect.objectContaining({ code: want }) as Error,
    )
  })
})

describe('withoutCrdSets', () => {
  it('drops the sets and the group-versions only they filled', () => {
    const next = withoutCrdSets(lock)
    expect(next.crds).toBeUndefined()
    expect(Object.keys(next.groupVersions)).toEqual([
      'api/v1',
      'apis/apps/v1',
      'apis/metrics.k8s.io/v1beta1',
    ])
  })
})
