// The library entry of the `k8s-codegen` package: the config file's type and its typed helper.
// Types and one identity function only, so importing it from a config file loads nothing else.

/**
 * The options a `k8s-codegen.config.{json,ts,mjs,js}` file holds for `generate` and `check`.
 * Flags override them; relative paths are relative to the config file (like tsconfig's).
 *
 * @example
 * const config: K8sCodegenConfig = { out: 'src/k8s', specsDir: 'specs', docs: false }
 */
export interface K8sCodegenConfig {
  /** Output directory of the generated code (default `generated`). */
  out?: string
  /** Lockfile path (default `k8s-codegen.lock.json` beside this config file). */
  lockfile?: string
  /** Spec cache directory (default `$K8S_CODEGEN_CACHE_DIR`, else the OS user cache dir). */
  cacheDir?: string
  /** Read the verified documents from this directory (written by `fetch --specs-dir`). */
  specsDir?: string
  /** Only these group/version globs (core group = `core`), e.g. `'apps/*'`. */
  include?: string[]
  /**
   * CustomResourceDefinition files, directories or globs converted and locked before generating
   * (`--crds`): no cluster needed.
   */
  crds?: string[]
  /** Skip these group/version globs, applied after `include`. */
  exclude?: string[]
  /** Descriptions and validation rules become JSDoc (default `true`; `false` is `--no-docs`). */
  docs?: boolean
  /**
   * Mark the files `// @ts-nocheck` (default `true`): your compiler uses their types without
   * re-checking the generated code; `false` is `--no-nocheck`.
   */
  nocheck?: boolean
  /**
   * `ts` (default): TypeScript sources. `js`: JavaScript plus `.d.ts` declarations, for a
   * publishable bindings package.
   */
  emit?: 'ts' | 'js'
  /** Skip a group-version whose document is larger than this many bytes (default 64 MiB). */
  maxDocumentBytes?: number
  /** Skip a group-version whose schemas nest deeper than this (default 64). */
  maxDepth?: number
  /** Refuse a `crds` file larger than this many bytes (default 32 MiB). */
  maxCrdFileBytes?: number
  /** Refuse `crds` files larger than this many bytes in all (default 1 GiB). */
  maxCrdTotalBytes?: number
  /** Refuse a `crds` file of more documents than this (default 10,000). */
  maxCrdDocuments?: number
  /** Refuse a `crds` document larger than this many bytes of JSON with its YAML aliases expanded (default 64 MiB). */
  maxCrdExpandedBytes?: number
}

/**
 * Returns `config` unchanged; its only job is to type-check a `k8s-codegen.config.ts`.
 *
 * @example
 * // k8s-codegen.config.ts
 * import { defineConfig } from 'k8s-codegen'
 *
 * export default defineConfig({ out: 'src/k8s', specsDir: 'specs', include: ['core/v1', 'apps/*'] })
 */
export function defineConfig(config: K8sCodegenConfig): K8sCodegenConfig {
  return config
}
