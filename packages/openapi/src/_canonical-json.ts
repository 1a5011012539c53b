// Deterministic JSON: keys sorted at every level (as Go's encoding/json does for maps), so the
// same value always gives the same bytes and therefore the same SHA-512.

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = sortKeys(v)
    }
    return out
  }
  return value
}

/** Compact, key-sorted JSON (the form split documents are stored and hashed in). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

/** Key-sorted JSON indented by two spaces with a final newline (the lockfile's form). */
export function prettyCanonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
