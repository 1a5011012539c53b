// String formats the apiserver keeps on a custom resource schema, each `want` the message a real
// kube-apiserver v1.37.2 answered (POST …/gadgets?dryRun=All; undefined = 201 Created) against the
// document it published (fixtures/gadgets-openapi-v3.json).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { validateObject, type OpenApiDocument } from '../src/index.js'

const document = JSON.parse(
  readFileSync(new URL('fixtures/gadgets-openapi-v3.json', import.meta.url), 'utf8'),
) as OpenApiDocument

const rows: { given: unknown; want: string | undefined }[] = [
  {
    given: {
      color: '#a0F',
      rgb: 'rgb( 0 ,255, 9)',
      data: 'aGk=',
      ssn: '123-45-6789',
      short: 'a-1',
      long: 'a.b-c',
      id: '0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d',
      secret: 'anything',
    },
    want: undefined,
  },
  {
    given: { color: '#12345' },
    want: 'Gadget.example.com "g" is invalid: spec.color: Invalid value: "#12345": spec.color in body must be of type hexcolor: "#12345"',
  },
  {
    given: { color: 'red' },
    want: 'Gadget.example.com "g" is invalid: spec.color: Invalid value: "red": spec.color in body must be of type hexcolor: "red"',
  },
  {
    given: { rgb: 'rgb(256,0,0)' },
    want: 'Gadget.example.com "g" is invalid: spec.rgb: Invalid value: "rgb(256,0,0)": spec.rgb in body must be of type rgbcolor: "rgb(256,0,0)"',
  },
  {
    given: { rgb: 'rgb(1,2,3)\n' },
    want: 'Gadget.example.com "g" is invalid: spec.rgb: Invalid value: "rgb(1,2,3)\\n": spec.rgb in body must be of type rgbcolor: "rgb(1,2,3)\\n"',
  },
  {
    given: { data: '' },
    want: 'Gadget.example.com "g" is invalid: spec.data: Invalid value: "": spec.data in body must be of type byte: ""',
  },
  {
    given: { data: 'aGk' },
    want: 'Gadget.example.com "g" is invalid: spec.data: Invalid value: "aGk": spec.data in body must be of type byte: "aGk"',
  },
  {
    given: { data: 'a b=' },
    want: 'Gadget.example.com "g" is invalid: spec.data: Invalid value: "a b=": spec.data in body must be of type byte: "a b="',
  },
  {
    given: { ssn: '123456789' },
    want: 'Gadget.example.com "g" is invalid: spec.ssn: Invalid value: "123456789": spec.ssn in body must be of type ssn: "123456789"',
  },
  { given: { ssn: '123 45 6789' }, want: undefined },
  {
    given: { short: 'A' },
    want: 'Gadget.example.com "g" is invalid: spec.short: Invalid value: "A": spec.short in body must be of type k8s-short-name: "A"',
  },
  {
    given: { short: 'a.b' },
    want: 'Gadget.example.com "g" is invalid: spec.short: Invalid value: "a.b": spec.short in body must be of type k8s-short-name: "a.b"',
  },
  {
    given: { long: 'a..b' },
    want: 'Gadget.example.com "g" is invalid: spec.long: Invalid value: "a..b": spec.long in body must be of type k8s-long-name: "a..b"',
  },
  {
    given: { id: '0a1b2c3d-4e5f-3a7b-8c9d-0e1f2a3b4c5d' },
    want: 'Gadget.example.com "g" is invalid: spec.id: Invalid value: "0a1b2c3d-4e5f-3a7b-8c9d-0e1f2a3b4c5d": spec.id in body must be of type uuid4: "0a1b2c3d-4e5f-3a7b-8c9d-0e1f2a3b4c5d"',
  },
]

describe('validateObject checks string formats as strfmt does', () => {
  it.each(rows)('$given', ({ given, want }) => {
    const got = validateObject(document, {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g' },
      spec: given,
    })
    expect(got?.message).toBe(want)
  })
})
