import { describe, expectTypeOf, it } from 'vitest'

import { defineConfig, type K8sCodegenConfig } from '../src/config.js'

describe('defineConfig', () => {
  it('accepts every option and returns the config type', () => {
    expectTypeOf(
      defineConfig({
        out: 'src/k8s',
        lockfile: 'k8s-codegen.lock.json',
        cacheDir: '.cache',
        specsDir: 'specs',
        include: ['core/v1', 'apps/*'],
        exclude: ['*alpha*'],
        docs: false,
      }),
    ).toEqualTypeOf<K8sCodegenConfig>()
  })

  it('rejects unknown keys and wrong types at compile time', () => {
    // @ts-expect-error -- 'output' is not an option (it is 'out')
    defineConfig({ output: 'src/k8s' })
    // @ts-expect-error -- include is a list of globs
    defineConfig({ include: 'core/v1' })
    // @ts-expect-error -- docs is a boolean
    defineConfig({ docs: 'no' })
  })
})
