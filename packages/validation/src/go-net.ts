// Go's IP and MAC address parsers, as the string formats use them: the forked pre-Go-1.17 parser
// of k8s.io/utils internal/third_party/forked/golang/net ip.go (ParseIP, ParseCIDR, which accept
// leading zeros: netutils.ParseIPSloppy / ParseCIDRSloppy) and Go net.ParseMAC (net/mac.go).
// Today's net.ParseIP is netip.ParseAddr without a zone (cel/library/netip.ts). Each returns
// whether the text parses; the bytes are not needed.

// net/parse.go `big`: dtoi and xtoi give up at this value.
const big = 0xffffff

// net/parse.go dtoi / xtoi: the value of the leading decimal (hex) digits and how many there are.
function dtoi(s: string): { n: number; i: number; ok: boolean } {
  let n = 0
  let i = 0
  for (; i < s.length && s[i]! >= '0' && s[i]! <= '9'; i++) {
    n = n * 10 + s.charCodeAt(i) - 48
    if (n >= big) return { n: big, i, ok: false }
  }
  return { n, i, ok: i > 0 }
}

function xtoi(s: string): { n: number; i: number; ok: boolean } {
  let n = 0
  let i = 0
  for (; i < s.length; i++) {
    if (!/[0-9a-fA-F]/.test(s[i]!)) break
    n = n * 16 + parseInt(s[i]!, 16)
    if (n >= big) return { n: 0, i, ok: false }
  }
  return { n, i, ok: i > 0 }
}

// forked ip.go parseIPv4: four decimal fields up to 255, leading zeros allowed.
function parseIpv4(s: string): boolean {
  let rest = s
  for (let field = 0; field < 4; field++) {
    if (rest.length === 0) return false
    if (field > 0) {
      if (rest[0] !== '.') return false
      rest = rest.slice(1)
    }
    const { n, i, ok } = dtoi(rest)
    if (!ok || n > 0xff) return false
    rest = rest.slice(i)
  }
  return rest.length === 0
}

// forked ip.go parseIPv6: hex fields of any length up to 0xffff, one `::`, an IPv4 tail.
function parseIpv6(text: string): boolean {
  let s = text
  let ellipsis = -1
  if (s.startsWith('::')) {
    ellipsis = 0
    s = s.slice(2)
    if (s.length === 0) return true
  }
  let i = 0
  while (i < 16) {
    const { n, i: c, ok } = xtoi(s)
    if (!ok || n > 0xffff) return false
    if (c < s.length && s[c] === '.') {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return false
      if (!parseIpv4(s)) return false
      s = ''
      i += 4
      break
    }
    i += 2
    s = s.slice(c)
    if (s.length === 0) break
    if (s[0] !== ':' || s.length === 1) return false
    s = s.slice(1)
    if (s[0] === ':') {
      if (ellipsis >= 0) return false
      ellipsis = i
      s = s.slice(1)
      if (s.length === 0) break
    }
  }
  if (s.length !== 0) return false
  return i < 16 ? ellipsis >= 0 : ellipsis < 0
}

/**
 * Whether netutils.ParseIPSloppy (the forked ip.go ParseIP) parses `s`: IPv4 at the first `.`,
 * IPv6 at the first `:`, leading zeros allowed.
 *
 * @example
 * parseIpSloppy('010.0.0.1') // true
 */
export function parseIpSloppy(s: string): boolean {
  for (const c of s) {
    if (c === '.') return parseIpv4(s)
    if (c === ':') return parseIpv6(s)
  }
  return false
}

/**
 * Whether netutils.ParseCIDRSloppy (the forked ip.go ParseCIDR) parses `s`: an address, `/`, and
 * a decimal prefix length of at most 32 (IPv4) or 128 (IPv6).
 *
 * @example
 * parseCidrSloppy('10.0.0.0/8') // true
 * parseCidrSloppy('10.0.0.0/33') // false
 */
export function parseCidrSloppy(s: string): boolean {
  const slash = s.indexOf('/')
  if (slash < 0) return false
  const address = s.slice(0, slash)
  const mask = s.slice(slash + 1)
  const bits = parseIpv4(address) ? 32 : parseIpv6(address) ? 128 : 0
  const { n, i, ok } = dtoi(mask)
  return bits > 0 && ok && i === mask.length && n <= bits
}

// net/mac.go xtoi2: two hex digits, then the separator `e` or the end.
function xtoi2(s: string, e: string | undefined): boolean {
  if (s.length > 2 && s[2] !== e) return false
  const { i, ok } = xtoi(s.slice(0, 2))
  return ok && i === 2
}

/**
 * Whether Go net.ParseMAC parses `s`: 6, 8 or 20 bytes as `xx:xx…`, `xx-xx…` or `xxxx.xxxx…`.
 *
 * @example
 * parseMac('00:00:5e:00:53:01') // true
 * parseMac('0000.5e00.5301') // true
 */
export function parseMac(s: string): boolean {
  if (s.length < 14) return false
  const sizes = new Set([6, 8, 20])
  if (s[2] === ':' || s[2] === '-') {
    if ((s.length + 1) % 3 !== 0 || !sizes.has((s.length + 1) / 3)) return false
    for (let x = 0; x < s.length; x += 3) if (!xtoi2(s.slice(x), s[2])) return false
    return true
  }
  if (s[4] === '.') {
    if ((s.length + 1) % 5 !== 0 || !sizes.has((2 * (s.length + 1)) / 5)) return false
    for (let x = 0; x < s.length; x += 5)
      if (!xtoi2(s.slice(x, x + 2), undefined) || !xtoi2(s.slice(x + 2), '.')) return false
    return true
  }
  return false
}
