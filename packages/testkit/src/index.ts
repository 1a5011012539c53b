export { recordedProfileDir, requireRecordedProfile } from './profile-dir.js'
export {
  startApiServer,
  type ApiServer,
  type Fault,
  type PodLogTarget,
  type WatchDrop,
  type RequestLogEntry,
  type StartApiServerOptions,
} from './api-server.js'
export {
  findRealApiServer,
  startRealApiServer,
  type EmulatorOnlyMember,
  type RealApiServer,
  type RealApiServerBackend,
  type StartRealApiServerOptions,
} from './real-api-server.js'
export { TestkitError, type TestkitErrorCode } from './errors.js'
export {
  installKubectlValidate,
  kubectlValidateMissing,
  kubectlValidateModule,
  type KubectlValidate,
} from './kubectl-validate.js'
export type { APIResource, APIResourceList, APIGroup } from './discovery.js'
export type { VersionInfo } from './profile.js'
export { exampleCrdDocument, sharedSchemaOf } from './example-crds.js'
export { loadCrdFiles, serveCrds, type CrdBuiltins, type ServedCrds } from './crd-documents.js'
