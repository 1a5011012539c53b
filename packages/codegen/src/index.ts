export { DocumentPlans } from './document-plans.js'
export { CodegenError, type CodegenErrorCode } from './errors.js'
export {
  GENERATOR_VERSION,
  GENERATED_LINE,
  NOCHECK_LINE,
  fileHeader,
  generate,
  generateInto,
  generationKey,
  selectGroupVersion,
  type GenerateInput,
  type GenerateOptions,
  type GenerateResult,
  type FileSources,
  type FileSink,
  type GenerateSummary,
  type GeneratedModule,
} from './generate.js'
export { generatorId } from './generator-id.js'
export { plannedFiles } from './planned-files.js'
export { DEFAULT_LIMITS, type GenerateLimits, type SkippedGroupVersion } from './limits.js'
export type { DiscoveryResource, GroupVersionInput } from './types.js'
