import { K8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * Stable codes of {@link TestkitError}:
 *
 * | code | when |
 * |---|---|
 * | `K8S_CODEGEN_TESTKIT_SHARED_ABSENT` | `requireRecordedProfile()` found no `../shared/fixtures/kubernetes` |
 * | `K8S_CODEGEN_TESTKIT_PROFILE_INVALID` | a profile directory or v2 file is missing, unreadable or not a JSON object |
 * | `K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID` | a group-version key is not `api/v1` or `apis/<group>/<version>`, or is unknown |
 * | `K8S_CODEGEN_TESTKIT_OPTION_INVALID` | a `startApiServer` option or `k8s-emulator` flag breaks its rule |
 * | `K8S_CODEGEN_TESTKIT_REAL_APISERVER_ABSENT` | `startRealApiServer()` found no kube-apiserver binary (envtest's or `npm run apiserver:build`'s) |
 * | `K8S_CODEGEN_TESTKIT_REAL_APISERVER_FAILED` | the real kube-apiserver (or its etcd) exited, timed out, or refused a CRD |
 *
 * @example
 * const code: TestkitErrorCode = 'K8S_CODEGEN_TESTKIT_SHARED_ABSENT'
 */
export type TestkitErrorCode =
  | 'K8S_CODEGEN_TESTKIT_SHARED_ABSENT'
  | 'K8S_CODEGEN_TESTKIT_PROFILE_INVALID'
  | 'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID'
  | 'K8S_CODEGEN_TESTKIT_OPTION_INVALID'
  | 'K8S_CODEGEN_TESTKIT_REAL_APISERVER_ABSENT'
  | 'K8S_CODEGEN_TESTKIT_REAL_APISERVER_FAILED'

/**
 * The error every testkit function throws; `code` is one of {@link TestkitErrorCode}.
 *
 * @example
 * try {
 *   requireRecordedProfile()
 * } catch (error) {
 *   if (error instanceof TestkitError) console.warn(error.code) // 'K8S_CODEGEN_TESTKIT_SHARED_ABSENT'
 * }
 */
export class TestkitError extends K8sCodegenError<TestkitErrorCode> {}
