// The tables `scripts/generate-kube-tables.mjs` writes into `generated/` from the Kubernetes
// sources: a first DO-NOT-EDIT line, then JSON. Read once, on first use, beside `src/` or `dist/`.
import { readFileSync } from 'node:fs'

/**
 * A lazily read table of `generated/<file>`.
 *
 * @example
 * const deprecated = loadGeneratedTable<Record<string, unknown>>('deprecated-kinds.jsonc')
 * deprecated()['v1/Endpoints'] // { deprecated: [1, 33], replacement: { … } }
 */
export function loadGeneratedTable<T>(file: string): () => T {
  let table: T | undefined
  return () => {
    if (table === undefined) {
      const text = readFileSync(new URL(`../generated/${file}`, import.meta.url), 'utf8')
      table = JSON.parse(text.slice(text.indexOf('\n') + 1)) as T
    }
    return table
  }
}
