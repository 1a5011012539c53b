// k8s.io/apiserver pkg/cel/library/format.go (kubernetes.format, since 1.31): the named formats
// `format.dns1123Label()` … `format.datetime()`, `format.named(name)`, and
// `<format>.validate(s)`, which gives optional.none() for a valid string or optional.of(the
// errors apimachinery's validation gives).
import { celFunc, celMethod, CelScalar } from '@bufbuild/cel'
import { dateTimePattern, formatValid } from '../../formats.js'
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  maskTrailingDash,
} from '../../name-rules.js'
import { isLabelValue, isQualifiedName } from '../../object-meta.js'
import { listOf, opaque } from './_values.js'
import { setFormatNameReader, setFormatRegexSize } from './cost.js'
import { optionalOf, optionalType } from './optional.js'
import { requestURIError } from './urls.js'

interface Format {
  /** The key in format.go ConstantFormats (`dns1123Label`). */
  readonly key: string
  /** apiservercel.Format.Name (`DNS1123Label`). */
  readonly name: string
  readonly validate: (s: string) => string[]
  /** format.go MaxRegexSize, which prices `validate` (cost.go). */
  readonly maxRegexSize: number
}

// kube-openapi pkg/validation/strfmt default.go UUIDPattern.
const uuidPattern = '(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'

const check = (ok: (s: string) => boolean, message: string) => (s: string) =>
  ok(s) ? [] : [message]

// format.go ConstantFormats.
const formats: Format[] = [
  { key: 'dns1123Label', name: 'DNS1123Label', validate: isDns1123Label, maxRegexSize: 30 },
  {
    key: 'dns1123Subdomain',
    name: 'DNS1123Subdomain',
    validate: (s) => isDns1123Subdomain(s),
    maxRegexSize: 60,
  },
  { key: 'dns1035Label', name: 'DNS1035Label', validate: isDns1035Label, maxRegexSize: 30 },
  { key: 'qualifiedName', name: 'QualifiedName', validate: isQualifiedName, maxRegexSize: 60 },
  {
    key: 'dns1123LabelPrefix',
    name: 'DNS1123LabelPrefix',
    validate: (s) => isDns1123Label(maskTrailingDash(s)),
    maxRegexSize: 30,
  },
  {
    key: 'dns1123SubdomainPrefix',
    name: 'DNS1123SubdomainPrefix',
    validate: (s) => isDns1123Subdomain(maskTrailingDash(s)),
    maxRegexSize: 60,
  },
  {
    key: 'dns1035LabelPrefix',
    name: 'DNS1035LabelPrefix',
    validate: (s) => isDns1035Label(maskTrailingDash(s)),
    maxRegexSize: 30,
  },
  { key: 'labelValue', name: 'LabelValue', validate: isLabelValue, maxRegexSize: 40 },
  {
    key: 'uri',
    name: 'URI',
    validate: (s) => {
      const error = requestURIError(s)
      return error === undefined ? [] : [error]
    },
    maxRegexSize: 1103,
  },
  {
    key: 'uuid',
    name: 'uuid',
    validate: check((s) => formatValid('uuid', s), 'does not match the UUID format'),
    maxRegexSize: uuidPattern.length,
  },
  {
    key: 'byte',
    name: 'byte',
    validate: check((s) => formatValid('byte', s), 'invalid base64'),
    maxRegexSize: 84,
  },
  {
    key: 'date',
    name: 'date',
    validate: check((s) => formatValid('date', s), 'invalid date'),
    maxRegexSize: dateTimePattern.length,
  },
  {
    key: 'datetime',
    name: 'datetime',
    validate: check((s) => formatValid('datetime', s), 'invalid datetime'),
    maxRegexSize: dateTimePattern.length,
  },
]

/** The CEL type `kubernetes.NamedFormat`. */
export const formatType = opaque<Format>(
  'kubernetes.NamedFormat',
  (f) => f.name,
  (f) => `format("${f.name}")`,
)
const F = formatType.type
const { STRING } = CelScalar
const byKey = new Map(formats.map((f) => [f.key, f]))

for (const f of formats) setFormatRegexSize(f.name, f.maxRegexSize)
setFormatNameReader((v) => formatType.unwrap(v)?.name)

/**
 * `format.<name>()` for each named format, `format.named(name)`, and `<format>.validate(s)`.
 *
 * @example
 * run("format.dns1123Label().validate('Nope').hasValue()", {}, { funcs: formatFunctions }) // true
 */
export const formatFunctions = [
  ...formats.map((f) => celFunc(`format.${f.key}`, [], F, () => formatType.wrap(f))),
  celFunc('format.named', [STRING], optionalType.type, (name) => {
    const f = byKey.get(name)
    return optionalOf(f === undefined ? undefined : formatType.wrap(f))
  }),
  celMethod('validate', F, [STRING], optionalType.type, function (s) {
    const f = formatType.unwrap(this)
    const errors = f?.validate(s) ?? []
    return optionalOf(errors.length === 0 ? undefined : listOf(errors))
  }),
]
