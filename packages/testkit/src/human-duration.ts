// How long ago something happened, as the apiserver's Table printers put it in an Age cell.

/**
 * How long ago, as kubectl shows an age: apimachinery pkg/util/duration/duration.go
 * HumanDuration (`0s`, `95s`, `3m20s`, `2h5m`, `3d4h`, `2y15d`).
 *
 * @example
 * humanDuration(200_000) // '3m20s'
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000)
  // Up to two seconds in the future is the machines' clocks disagreeing: now.
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = Math.trunc(seconds / 60)
  const withRest = (big: number, bigUnit: string, rest: number, restUnit: string): string =>
    rest === 0 ? `${big}${bigUnit}` : `${big}${bigUnit}${rest}${restUnit}`
  if (minutes < 10) return withRest(minutes, 'm', seconds % 60, 's')
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = Math.trunc(minutes / 60)
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm')
  if (hours < 48) return `${hours}h`
  const days = Math.trunc(hours / 24)
  if (hours < 24 * 8) return withRest(days, 'd', hours % 24, 'h')
  if (hours < 24 * 365 * 2) return `${days}d`
  const years = Math.trunc(days / 365)
  if (hours < 24 * 365 * 8) return withRest(years, 'y', days % 365, 'd')
  return `${years}y`
}

/**
 * The Age cell of an object created at `timestamp` (an RFC 3339 time), `now` being the time of
 * the answer: kubernetes pkg/printers/internalversion/printers.go translateTimestampSince
 * (`<unknown>` without one).
 *
 * @example
 * ageOf('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:03:20Z')) // '3m20s'
 */
export function ageOf(timestamp: unknown, now: number): string {
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at)
}
