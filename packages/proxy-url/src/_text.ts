const MAX_QUOTED = 80

/**
 * Quotes user input for an error message: JSON escapes make control characters and invisible
 * whitespace visible, and long values are cut so one bad input cannot flood a log.
 */
export function quote(value: string): string {
  const text = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value
  return JSON.stringify(text)
}
