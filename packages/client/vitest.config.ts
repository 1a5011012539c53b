import { findRealApiServer } from '@k8s-codegen/testkit'
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'

// The end-to-end files (test/helpers/cluster.ts's startCluster) run twice: against the emulator,
// and against a real kube-apiserver in the `kube-apiserver` project when one can be started here.
const endToEnd = [
  'test/builtins.test.ts',
  'test/crd.test.ts',
  'test/writes.test.ts',
  'test/kubectl.test.ts',
  'test/validate-before-sending.test.ts',
]

export default defineConfig({
  test: {
    // Tests start emulated apiservers and kubectl; on a loaded 2-core machine the 5 s default
    // is too short (as in packages/cluster). A hang still fails, after a minute.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // test/**/*.test-d.ts (expectTypeOf, @ts-expect-error) are compiled by `typecheck`
    // (tsconfig.json includes test/), not by vitest's experimental typecheck mode.
    projects: [
      {
        extends: true,
        test: {
          name: 'emulator',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
      ...realServerProject(),
    ],
  },
})

function realServerProject(): TestProjectInlineConfiguration[] {
  if (findRealApiServer() === undefined) {
    console.warn(
      'client end-to-end suite: the kube-apiserver project is skipped: no kube-apiserver binary (npm run apiserver:build needs Go; or set KUBEBUILDER_ASSETS or K8S_CODEGEN_APISERVER_BIN)',
    )
    return []
  }
  return [
    {
      extends: true,
      test: {
        name: 'kube-apiserver',
        include: endToEnd,
        globalSetup: ['test/global-setup.ts'],
        env: { K8S_CODEGEN_TEST_SERVER: 'kube-apiserver' },
      },
    },
  ]
}
