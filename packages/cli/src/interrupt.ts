// What a run does when SIGINT or SIGTERM ends it: bin.ts (the one place that ends the process)
// calls every registered settler synchronously, prints what each says was kept, and exits with
// 128 + the signal's number, as a shell reports a process killed by it. Nothing else of the run
// executes after the signal arrives: the settlers run on the event loop's turn the signal is
// delivered on, and `process.exit` follows at once.
const settlers = new Set<(signal: NodeJS.Signals) => string>()

/**
 * Registers what settles a run's files at once if a signal ends it, returning the line to print
 * (what was kept; '' prints nothing); returns what unregisters it.
 *
 * @example
 * const done = onInterrupt((signal) => `k8s-codegen fetch: interrupted by ${signal}: nothing kept\n`)
 * try { await run() } finally { done() }
 */
export function onInterrupt(settle: (signal: NodeJS.Signals) => string): () => void {
  settlers.add(settle)
  return () => void settlers.delete(settle)
}

/**
 * Runs every registered settler (most recent first) and returns their lines.
 *
 * @example
 * for (const line of settleInterrupted('SIGINT')) process.stderr.write(line)
 */
export function settleInterrupted(signal: NodeJS.Signals): string[] {
  return [...settlers]
    .reverse()
    .map((settle) => settle(signal))
    .filter((line) => line !== '')
}
