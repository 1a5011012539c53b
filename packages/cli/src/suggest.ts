// "Did you mean" for a mistyped flag, as yargs' recommendCommands does for commands (its
// levenshtein within a distance of 3) and git does for subcommands.
import leven from 'leven'

/**
 * The known flag closest to `given` by edit distance (a third of its length at most, and at
 * least 1), or undefined when none is that close.
 *
 * @example
 * closestFlag('includ', ['include', 'exclude']) // 'include'
 */
export function closestFlag(given: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(given.length / 3))
  let best: { flag: string; distance: number } | undefined
  for (const flag of known) {
    const distance = leven(given, flag)
    if (distance <= limit && (best === undefined || distance < best.distance))
      best = { flag, distance }
  }
  return best?.flag
}

/**
 * yargs' "Unknown argument(s): a, b" message with a suggestion for each name that is close to a
 * known flag, written as flags (`--includ`), or the message unchanged when it is another one.
 *
 * @example
 * withSuggestions('Unknown argument: includ', ['include']) // 'Unknown argument: --includ (did you mean --include?)'
 */
export function withSuggestions(message: string, known: readonly string[]): string {
  const match = /^Unknown arguments?: (.+)$/.exec(message)
  if (match?.[1] === undefined) return message
  const names = match[1].split(', ')
  const flag = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`)
  const parts = names.map((name) => {
    const close = closestFlag(name, known)
    return close === undefined ? flag(name) : `${flag(name)} (did you mean ${flag(close)}?)`
  })
  return `Unknown ${names.length === 1 ? 'argument' : 'arguments'}: ${parts.join(', ')}`
}
