import { describe, expect, it } from 'vitest'
import { lockfilePath } from '../src/run-fetch.js'

describe('lockfilePath', () => {
  it.each([
    { given: { out: 'generated' }, want: '/work/k8s-codegen.lock.json' },
    { given: { out: 'src/k8s' }, want: '/work/src/k8s-codegen.lock.json' },
    { given: { out: '/abs/out' }, want: '/abs/k8s-codegen.lock.json' },
    {
      given: { out: 'generated', lockfile: 'locks/cluster.json' },
      want: '/work/locks/cluster.json',
    },
  ])('$given → $want', ({ given, want }) => {
    expect(lockfilePath(given, '/work')).toBe(want)
  })
})
