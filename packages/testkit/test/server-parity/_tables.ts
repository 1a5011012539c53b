// Every parity table, by the behaviour it covers.
import { accessReviews } from './access-reviews.js'
import { admissions } from './admission.js'
import { applies } from './apply.js'
import { builtInDefaults } from './built-in-defaults.js'
import { crdLifecycles } from './crd-lifecycle.js'
import { crdValidations } from './crd-validation.js'
import { discoveries } from './discovery.js'
import { lists } from './list.js'
import { patches } from './patch.js'
import { printers } from './printers.js'
import type { ParityRow } from './_scenario.js'
import { subresources } from './subresources.js'
import { serviceAccountTokens } from './service-account-tokens.js'
import { servicesTable } from './services.js'
import { validations } from './validation.js'
import { watches } from './watch.js'
import { writes } from './writes.js'

export const parityTables: Record<string, ParityRow[]> = {
  writes,
  patches,
  applies,
  lists,
  watches,
  subresources,
  serviceAccountTokens,
  validations,
  discoveries,
  accessReviews,
  crdLifecycles,
  printers,
  services: servicesTable,
  admissions,
  crdValidations,
  builtInDefaults,
}
