import { RE2JS } from 're2js'

const regexCache = new Map<string, RE2JS | Error>()

/**
 * Go's regexp.Compile: RE2 syntax and linear-time matching (re2js implements both), with Go's
 * error text; compiled patterns are cached (the 1000 most recent).
 *
 * @example
 * compiledRegexp('^a+$') // an RE2JS
 * compiledRegexp('[')    // Error: error parsing regexp: missing closing ]: `[`
 */
export function compiledRegexp(pattern: string): RE2JS | Error {
  let re = regexCache.get(pattern)
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern)
    } catch (e) {
      re = e instanceof Error ? e : new Error(String(e))
    }
    if (regexCache.size > 1000) regexCache.clear()
    regexCache.set(pattern, re)
  }
  return re
}
