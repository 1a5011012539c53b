// Duration strings as the apiserver reads them: Go time.ParseDuration (time/format.go) and
// kube-openapi pkg/validation/strfmt duration.go ParseDuration, which falls back to `\d+\s*unit`
// pieces found anywhere in the text. Values are int64 nanoseconds, as Go's time.Duration.

const maxMagnitude = 1n << 63n

// time/format.go unitMap (µ is U+00B5, μ U+03BC).
const goUnits: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
}

/**
 * Go `time.ParseDuration`: a signed sum of decimal numbers, each with a unit (ns, us, µs, μs, ms,
 * s, m, h); `0` alone is zero. Returns nanoseconds, or undefined where Go returns an error.
 *
 * @example
 * goParseDuration('1h30m') // 5_400_000_000_000n
 * goParseDuration('1d') // undefined
 */
export function goParseDuration(text: string): bigint | undefined {
  let s = text
  const neg = s.startsWith('-')
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1)
  if (s === '0') return 0n
  if (s === '') return undefined
  let d = 0n
  while (s !== '') {
    if (!/^[.0-9]/.test(s)) return undefined
    const int = /^[0-9]*/.exec(s)![0]
    let v = 0n
    // leadingInt: an error once the value passes 1<<63.
    for (const c of int) {
      if (v > maxMagnitude / 10n) return undefined
      v = v * 10n + BigInt(c)
      if (v > maxMagnitude) return undefined
    }
    s = s.slice(int.length)
    let f = 0n
    let scale = 1
    let post = false
    if (s.startsWith('.')) {
      const fraction = /^[0-9]*/.exec(s.slice(1))![0]
      s = s.slice(1 + fraction.length)
      post = fraction.length > 0
      // leadingFraction: digits past what fits in an int64 are skipped.
      let overflow = false
      for (const c of fraction) {
        if (overflow) continue
        const y = f * 10n + BigInt(c)
        if (f > (maxMagnitude - 1n) / 10n || y > maxMagnitude) {
          overflow = true
          continue
        }
        f = y
        scale *= 10
      }
    }
    if (int.length === 0 && !post) return undefined
    const u = /^[^.0-9]*/.exec(s)![0]
    if (u === '') return undefined
    s = s.slice(u.length)
    const unit = goUnits[u]
    if (unit === undefined || v > maxMagnitude / unit) return undefined
    v *= unit
    if (f > 0n) {
      // Go: v += uint64(float64(f) * (float64(unit) / scale)), truncated.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)))
      if (v > maxMagnitude) return undefined
    }
    d += v
    if (d > maxMagnitude) return undefined
  }
  if (neg) return BigInt.asIntN(64, -d)
  return d > maxMagnitude - 1n ? undefined : d
}

// strfmt duration.go timeUnits and timeMultiplier: a unit is one of its names, or starts with the
// last (longest) one (`3 days`, `2 hours`).
const strfmtUnits: [names: string[], nanos: bigint][] = [
  [['ns', 'nano'], 1n],
  [['us', 'µs', 'micro'], 1_000n],
  [['ms', 'milli'], 1_000_000n],
  [['s', 'sec'], 1_000_000_000n],
  [['m', 'min'], 60_000_000_000n],
  [['h', 'hr', 'hour'], 3_600_000_000_000n],
  [['d', 'day'], 86_400_000_000_000n],
  [['w', 'wk', 'week'], 604_800_000_000_000n],
]

// strfmt durationMatcher `((\d+)\s*([A-Za-zµ]+))`, with RE2's ASCII \d and \s.
const durationPiece = /([0-9]+)[\t\n\f\r ]*([A-Za-zµ]+)/g

/**
 * kube-openapi strfmt `ParseDuration` (strfmt duration.go): Go's time.ParseDuration, else the sum
 * of every `<digits><spaces><unit>` piece found in the text (`3 days`, `1w2d`, `x 5 mins x`);
 * undefined when neither finds a duration. Like Go's time.Duration, the sum wraps as an int64.
 *
 * @example
 * parseDuration('1.5h') // 5_400_000_000_000n
 * parseDuration('3 days') // 259_200_000_000_000n
 */
export function parseDuration(text: string): bigint | undefined {
  const go = goParseDuration(text)
  if (go !== undefined) return go
  let total = 0n
  let ok = false
  for (const [, digits, letters] of text.matchAll(durationPiece)) {
    // strconv.Atoi: an error (for the whole text) past int64.
    const factor = BigInt(digits!)
    if (factor >= maxMagnitude) return undefined
    const unit = letters!.toLowerCase()
    for (const [names, nanos] of strfmtUnits) {
      names.forEach((name, i) => {
        if ((i === names.length - 1 && unit.startsWith(name)) || unit === name) {
          ok = true
          total = BigInt.asIntN(64, total + factor * nanos)
        }
      })
    }
  }
  return ok ? total : undefined
}
