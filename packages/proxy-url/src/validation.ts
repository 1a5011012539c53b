// Name rules of the Kubernetes API, reproduced from apimachinery:
// - `pkg/util/validation/validation.go`: IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label,
//   IsValidIP (same length limits; the scans below accept exactly the languages of its regexps);
// - `pkg/api/validation/path/name.go`: IsValidPathSegmentName (NameMayNotBe, NameMayNotContain).
// Which object takes which rule comes from kubernetes `pkg/apis/core/validation/validation.go`:
// ValidateNamespaceName = DNS-1123 label, ValidateServiceName = DNS-1035 label,
// ValidatePodName and ValidateNodeName = DNS-1123 subdomain.

const DNS1123_LABEL_MAX_LENGTH = 63
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253
const DNS1035_LABEL_MAX_LENGTH = 63

// Hand-written scans instead of the regular expressions apimachinery uses (`[a-z0-9]([-a-z0-9]*
// [a-z0-9])?` and friends): same language, several times faster, and these run on every URL built.

function isLowerAlphanumeric(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)
}

/** `[a-z0-9]([-a-z0-9]*[a-z0-9])?` of at most `max` characters, optionally starting with a letter. */
function isLabel(value: string, max: number, letterFirst: boolean): boolean {
  const length = value.length
  if (length === 0 || length > max) return false
  const first = value.charCodeAt(0)
  if (letterFirst ? !(first >= 0x61 && first <= 0x7a) : !isLowerAlphanumeric(first)) return false
  for (let index = 1; index < length; index++) {
    const code = value.charCodeAt(index)
    if (!isLowerAlphanumeric(code) && (code !== 0x2d || index === length - 1)) return false
  }
  return true
}

/** Rule texts as apimachinery words them, so errors read like the apiserver's own. */
export const DNS1123_LABEL_RULE =
  "a DNS-1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character, at most 63 characters (apimachinery IsDNS1123Label)"
export const DNS1123_SUBDOMAIN_RULE =
  "a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character, at most 253 characters (apimachinery IsDNS1123Subdomain)"
export const DNS1035_LABEL_RULE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character, at most 63 characters (apimachinery IsDNS1035Label)"

/**
 * True when `value` is a DNS-1123 label: at most 63 characters of `[a-z0-9-]`, starting and
 * ending alphanumeric. Namespaces and service port names follow this rule.
 *
 * @example
 * isDns1123Label('kube-system') // true
 * isDns1123Label('Kube-System') // false
 */
export function isDns1123Label(value: string): boolean {
  return isLabel(value, DNS1123_LABEL_MAX_LENGTH, false)
}

/**
 * True when `value` is a DNS-1123 subdomain: at most 253 characters, dot-separated DNS-1123
 * labels. Most object names (pods, nodes, config maps, …) follow this rule.
 *
 * @example
 * isDns1123Subdomain('web-0.db') // true
 * isDns1123Subdomain('web_0') // false
 */
export function isDns1123Subdomain(value: string): boolean {
  const length = value.length
  if (length === 0 || length > DNS1123_SUBDOMAIN_MAX_LENGTH) return false
  // Labels joined by '.': every label starts and ends alphanumeric, '-' only inside.
  let previous = 0x2e
  for (let index = 0; index < length; index++) {
    const code = value.charCodeAt(index)
    if (code === 0x2e || code === 0x2d) {
      if (previous === 0x2e || (code === 0x2e && previous === 0x2d)) return false
    } else if (!isLowerAlphanumeric(code)) {
      return false
    }
    previous = code
  }
  return isLowerAlphanumeric(previous)
}

/**
 * True when `value` is a DNS-1035 label: like a DNS-1123 label but starting with a letter.
 * Service names follow this rule.
 *
 * @example
 * isDns1035Label('web') // true
 * isDns1035Label('0web') // false
 */
export function isDns1035Label(value: string): boolean {
  return isLabel(value, DNS1035_LABEL_MAX_LENGTH, true)
}

/**
 * Problems that keep `name` from being one segment of an API path, worded as apimachinery
 * `IsValidPathSegmentName` words them; empty when the name is fine. Every name that goes into a
 * REST path must pass this (the apiserver refuses `.`, `..`, and names containing `/` or `%`).
 *
 * @example
 * validatePathSegmentName('..') // ["may not be '..'"]
 * validatePathSegmentName('a/b%') // ["may not contain '/'", "may not contain '%'"]
 * validatePathSegmentName('web') // []
 */
export function validatePathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`]
  const problems: string[] = []
  if (name.includes('/')) problems.push("may not contain '/'")
  if (name.includes('%')) problems.push("may not contain '%'")
  return problems
}

/**
 * True when `value` is an IPv4 address in dotted-decimal form without leading zeros (what Go's
 * `net.ParseIP` accepts since Go 1.17).
 *
 * @example
 * isIPv4Address('10.0.0.1') // true
 * isIPv4Address('10.0.0.01') // false
 */
export function isIPv4Address(value: string): boolean {
  const parts = value.split('.')
  if (parts.length !== 4) return false
  for (const part of parts) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return false
  }
  return true
}

/**
 * True when `value` is an IPv6 address (RFC 4291 text form, `::` compression and a trailing
 * dotted IPv4 allowed, no zone and no brackets).
 *
 * @example
 * isIPv6Address('::1') // true
 * isIPv6Address('fe80::1%eth0') // false
 */
export function isIPv6Address(value: string): boolean {
  if (value.length < 2 || value.length > 45) return false
  const compressions = value.split('::').length - 1
  if (compressions > 1) return false
  let groups = 0
  const pieces = compressions === 1 ? value.split('::') : [value]
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index] ?? ''
    if (piece === '') continue
    const fields = piece.split(':')
    for (let field = 0; field < fields.length; field++) {
      const text = fields[field] ?? ''
      const last = index === pieces.length - 1 && field === fields.length - 1
      if (last && text.includes('.')) {
        if (!isIPv4Address(text)) return false
        groups += 2
      } else if (/^[0-9a-fA-F]{1,4}$/.test(text)) {
        groups += 1
      } else {
        return false
      }
    }
  }
  return compressions === 1 ? groups <= 7 : groups === 8
}

/**
 * True when `value` is an IPv4 or IPv6 address (apimachinery `IsValidIP`, strict form).
 *
 * @example
 * isIPAddress('10.0.0.1') // true
 * isIPAddress('2001:db8::1') // true
 * isIPAddress('node-1') // false
 */
export function isIPAddress(value: string): boolean {
  return isIPv4Address(value) || isIPv6Address(value)
}
