// Names the generated code uses for its runtime, apart from the syntax that uses them: a no-op run
// prints file headers without loading the TypeScript compiler (descriptors.ts needs it).

/** The identifier the runtime package is imported under in every module that needs it. */
export const RUNTIME_NAMESPACE = '$rt'

/** The runtime package every module with descriptors imports. */
export const RUNTIME_PACKAGE = '@k8s-codegen/runtime'
