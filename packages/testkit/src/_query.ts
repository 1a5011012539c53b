/**
 * A boolean query parameter as apimachinery `pkg/runtime/conversion.go`
 * Convert_Slice_string_To_bool reads it: absent, `0` or `false` (any case) are false; anything
 * else, the empty string included, is true (so `watch=True`, as the Python client sends, is true).
 */
export function queryBool(search: URLSearchParams, name: string): boolean {
  const value = search.get(name)
  if (value === null) return false
  return !(value === '0' || value.toLowerCase() === 'false')
}
