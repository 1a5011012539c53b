// apimachinery pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor, the part that checks
// names: a custom resource's name and generateName are DNS-1123 subdomains
// (NameIsDNSSubdomain, as apiextensions-apiserver's customResourceValidator passes it).
import { invalid, required, type FieldError } from './field-error.js'
import { utf8Length } from './formats.js'

const labelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const subdomainFmt = `${labelFmt}(\\.${labelFmt})*`
const subdomain = new RegExp(`^${subdomainFmt}$`)

// apimachinery pkg/util/validation/validation.go IsDNS1123Subdomain, MaxLenError, RegexError.
function isDns1123Subdomain(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > 253) errs.push('must be no more than 253 characters')
  if (!subdomain.test(value)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" +
        subdomainFmt +
        "')",
    )
  }
  return errs
}

// generic.go NameIsDNSSubdomain with maskTrailingDash: a prefix may end in '-' (its last two
// characters become "a" before the check, as the server does).
function nameIsDnsSubdomain(name: string, prefix: boolean): string[] {
  const masked = prefix && name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name
  return isDns1123Subdomain(masked)
}

/**
 * The name errors of a custom resource's metadata on create. The server generates a name from
 * generateName before validating; this checks generateName and, when set, name.
 */
export function validateObjectMetaNames(metadata: {
  name?: unknown
  generateName?: unknown
}): FieldError[] {
  const errs: FieldError[] = []
  const generateName = typeof metadata.generateName === 'string' ? metadata.generateName : ''
  const name = typeof metadata.name === 'string' ? metadata.name : ''
  if (generateName !== '') {
    for (const msg of nameIsDnsSubdomain(generateName, true))
      errs.push(invalid('metadata.generateName', generateName, msg))
  }
  if (name === '') {
    if (generateName === '')
      errs.push(required('metadata.name', 'name or generateName is required'))
  } else {
    for (const msg of nameIsDnsSubdomain(name, false))
      errs.push(invalid('metadata.name', name, msg))
  }
  return errs
}
