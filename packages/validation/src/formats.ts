import { RE2JS } from 're2js'
import { parseDuration } from './go-duration.js'
import { parseMailAddress } from './go-mail.js'
import { parseAddr } from './cel/library/netip.js'
import { requestURIError } from './cel/library/urls.js'
import { parseCidrSloppy, parseIpSloppy, parseMac } from './go-net.js'

// String formats: which ones the apiserver keeps on a custom resource schema
// (apiextensions-apiserver pkg/apiserver/validation/formats.go supportedVersionedFormats, applied by
// StripUnsupportedFormatsPostProcessorForVersion) and how kube-openapi pkg/validation/strfmt checks
// them. Names are compared with dashes removed, as strfmt's registry and the post-processor do.

const kept = new Set([
  'bsonobjectid',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'byte',
  'password',
  'date',
  'duration',
  'datetime',
  'k8sshortname',
  'k8slongname',
])

/**
 * The format the apiserver validates with, after StripUnsupportedFormatsPostProcessor: kept
 * string formats, int32/int64 on integers, float/double on numbers, nothing else ('' for a
 * format it does not recognize, which GetUnrecognizedFormats reports).
 *
 * @example
 * keptFormat('string', 'date-time') // 'date-time'
 * keptFormat('string', 'semver') // ''
 */
export function keptFormat(type: string | undefined, format: string | undefined): string {
  if (format === undefined || format === '') return ''
  switch (type ?? '') {
    case '':
    case 'string':
      return kept.has(format.replaceAll('-', '')) ? format : ''
    case 'integer':
      return format === 'int32' || format === 'int64' ? format : ''
    case 'number':
      return format === 'float' || format === 'double' ? format : ''
    default:
      return ''
  }
}

/** A DNS-1123 label, and a subdomain of them (apimachinery dns1123LabelFmt, dns1123SubdomainFmt). */
export const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
export const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`
const shortName = new RegExp(`^${dns1123LabelFmt}$`)
const longName = new RegExp(`^${dns1123SubdomainFmt}$`)

// kube-openapi internal/third_party/govalidator patterns.go, compiled as Go compiles them (RE2:
// `\s` and `\d` are ASCII classes there).
const govalidator = (pattern: string): ((s: string) => boolean) => {
  const re = RE2JS.compile(pattern)
  return (s) => re.test(s)
}
const hexcolor = govalidator('^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$')
const rgbcolor = govalidator(
  '^rgb\\(\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*,\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*,\\s*(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])\\s*\\)$',
)
const base64 = govalidator(
  '^(?:[A-Za-z0-9+\\/]{4})*(?:[A-Za-z0-9+\\/]{2}==|[A-Za-z0-9+\\/]{3}=|[A-Za-z0-9+\\/]{4})$',
)
const ssn = govalidator('^\\d{3}[- ]?\\d{2}[- ]?\\d{4}$')
const creditCard = govalidator(
  '^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\\d{3})\\d{11})$',
)
const isbn10 = govalidator('^(?:[0-9]{9}X|[0-9]{10})$')
const isbn13 = govalidator('^(?:[0-9]{13})$')
// strfmt default.go HostnamePattern and time.go DateTimePattern (Go's `.` is any rune but \n).
const hostname = govalidator(
  '^([a-zA-Z0-9\\p{S}\\p{L}]((-?[a-zA-Z0-9\\p{S}\\p{L}]{0,62})?)|([a-zA-Z0-9\\p{S}\\p{L}](([a-zA-Z0-9-\\p{S}\\p{L}]{0,61}[a-zA-Z0-9\\p{S}\\p{L}])?)(\\.)){1,}([a-zA-Z\\p{L}]){2,63})$',
)
/** strfmt time.go DateTimePattern: the time of day in a `date-time` (its size prices CEL rules). */
export const dateTimePattern =
  '^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$'
const timeOfDay = RE2JS.compile(dateTimePattern)

// strfmt default.go UUID patterns and govalidator checks, kubernetes-extensions.go
// IsShortName/IsLongName, date.go IsDate.
const checks: Record<string, (s: string) => boolean> = {
  hexcolor,
  rgbcolor,
  byte: base64,
  ssn: (s) => utf8Length(s) === 11 && ssn(s),
  uuid: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  uuid3: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  uuid4: (s) =>
    /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(s),
  uuid5: (s) =>
    /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i.test(s),
  password: () => true,
  k8sshortname: (s) => s.length <= 63 && shortName.test(s),
  k8slongname: (s) => utf8Length(s) <= 253 && longName.test(s),
  date: isDate,
  datetime: isDateTime,
  duration: (s) => parseDuration(s) !== undefined,
  hostname: isHostname,
  // default.go isIPv4 (netutils.ParseIPSloppy, and a `.`), govalidator IsIPv6 (net.ParseIP, and
  // a `:`), isCIDR (netutils.ParseCIDRSloppy), govalidator IsMAC (net.ParseMAC), IsRequestURI
  // (url.ParseRequestURI).
  ipv4: (s) => parseIpSloppy(s) && s.includes('.'),
  ipv6: (s) => isIp(s) && s.includes(':'),
  cidr: parseCidrSloppy,
  mac: parseMac,
  // bson.go IsBSONObjectID: hex.DecodeString gives 12 bytes.
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  isbn: (s) => isIsbn(s, 10) || isIsbn(s, 13),
  isbn10: (s) => isIsbn(s, 10),
  isbn13: (s) => isIsbn(s, 13),
  creditcard: isCreditCard,
  uri: (s) => requestURIError(s) === undefined,
  // default.go IsEmail: net/mail.ParseAddress.
  email: parseMailAddress,
}

/**
 * Whether this slice checks `format` (a kept format it has no check for passes unchecked).
 */
export function checksFormat(format: string): boolean {
  return format.replaceAll('-', '') in checks
}

/** strfmt `Registry.Validates`. Only called when checksFormat(format). */
export function formatValid(format: string, s: string): boolean {
  return checks[format.replaceAll('-', '')]?.(s) ?? true
}

// Go net.ParseIP: netip.ParseAddr, and no zone.
function isIp(s: string): boolean {
  try {
    return parseAddr(s).zone === ''
  } catch {
    return false
  }
}

// strfmt default.go IsHostname: the pattern, at most 255 bytes, labels of at most 63 bytes.
function isHostname(s: string): boolean {
  return hostname(s) && utf8Length(s) <= 255 && s.split('.').every((p) => utf8Length(p) <= 63)
}

// strfmt time.go IsDateTime (the validator of `date-time`; ParseDateTime is not used here): the
// lowercased text split at `t`, a date before the first `t` and a time of day after it, up to a
// second `t` if any, compared as two-digit strings.
function isDateTime(s: string): boolean {
  if (utf8Length(s) < 4) return false
  // Go's strings.ToLower maps İ (U+0130) to one rune, `i`; JavaScript's to two.
  const parts = s.replaceAll('\u0130', 'i').toLowerCase().split('t')
  if (parts.length < 2 || !isDate(parts[0]!)) return false
  const m = timeOfDay.matcher(parts[1]!)
  if (!m.find()) return false
  return m.group(1)! <= '23' && m.group(2)! <= '59' && m.group(3)! <= '59'
}

// govalidator validator.go IsISBN: spaces and dashes removed, the pattern, then the check digit.
function isIsbn(s: string, version: 10 | 13): boolean {
  const digits = s.replace(/[\t\n\f\r -]+/g, '')
  const d = (i: number): number => digits.charCodeAt(i) - 48
  if (version === 10) {
    if (!isbn10(digits)) return false
    let sum = digits[9] === 'X' ? 100 : 10 * d(9)
    for (let i = 0; i < 9; i++) sum += (i + 1) * d(i)
    return sum % 11 === 0
  }
  if (!isbn13(digits)) return false
  let sum = 0
  for (let i = 0; i < 12; i++) sum += (i % 2 === 0 ? 1 : 3) * d(i)
  return d(12) === (10 - (sum % 10)) % 10
}

// govalidator validator.go IsCreditCard: non-digits removed, the pattern, then the Luhn sum.
function isCreditCard(s: string): boolean {
  const digits = s.replace(/[^0-9]+/g, '')
  if (!creditCard(digits)) return false
  let sum = 0
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    const n = (digits.charCodeAt(i) - 48) * (double ? 2 : 1)
    sum += n >= 10 ? (n % 10) + 1 : n
  }
  return sum % 10 === 0
}

// time.Parse("2006-01-02", s): four-digit year, two-digit month 01-12, a day that exists.
function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (m === null) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0
  return day <= days
}

/**
 * Go `len(s)`: bytes in UTF-8, counted without encoding (a lone surrogate counts as the 3 bytes
 * of the U+FFFD it is encoded as, as TextEncoder does).
 */
export function utf8Length(s: string): number {
  let bytes = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) {
      bytes += 1
      continue
    }
    // Three bytes for one UTF-16 unit, or four for a surrogate pair's two.
    bytes += 2
    const next = s.charCodeAt(i + 1)
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++
  }
  return bytes
}

/** Go `utf8.RuneCountInString`: code points (a surrogate pair is one, a lone surrogate one). */
export function runeCount(s: string): number {
  let n = s.length
  for (let i = 0; i + 1 < s.length; i++) {
    const c = s.charCodeAt(i)
    const next = s.charCodeAt(i + 1)
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      n--
      i++
    }
  }
  return n
}
