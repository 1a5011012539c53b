// The `--out` directories this process is writing right now, each with what settles it at once
// for a run about to die of a signal (write-output.ts registers them). A module of its own so
// that the signal handler of `fetch` can ask without loading write-output on a warm run.
const writing = new Set<() => 'new' | 'previous'>()

/**
 * Name of the manifest `generate` keeps in `--out`: the generation key, the options and each
 * file's SHA-256 (here, beside what a warm `fetch` loads, so it can tell a written `--out` from
 * one k8s-codegen never wrote without loading the writer).
 *
 * @example
 * await readFile(join('generated', MANIFEST_NAME), 'utf8')
 */
export const MANIFEST_NAME = '.k8s-codegen-manifest.json'

/**
 * Registers an output being written, with what settles it synchronously; returns what
 * unregisters it once the write is over (a write that committed its output stays registered, its
 * settler saying `'new'`, for the rest of the process).
 *
 * @example
 * const done = outputInProgress(() => settleOutputNow(dir))
 * try { await write() } finally { done() }
 */
export function outputInProgress(settle: () => 'new' | 'previous'): () => void {
  writing.add(settle)
  return () => void writing.delete(settle)
}

/**
 * Settles every output this process is writing: `'new'` when one is already committed (the next
 * run finishes it), else `'previous'` (each rolled back, synchronously). `'previous'` when none
 * is being written.
 *
 * @example
 * if (settleOutputsNow() === 'previous') undoFetch()
 */
export function settleOutputsNow(): 'new' | 'previous' {
  let settled: 'new' | 'previous' = 'previous'
  for (const settle of writing) if (settle() === 'new') settled = 'new'
  return settled
}
