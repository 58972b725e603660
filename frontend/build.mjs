// Compile Oversight's stylesheet from GOV.UK Frontend's Sass and copy the script it needs into oversight/static/dist (served by Django's staticfiles; not committed).
import { mkdirSync, writeFileSync, copyFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const out = join(root, 'oversight', 'static', 'dist')

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const result = sass.compile(join(root, 'frontend', 'scss', 'oversight.scss'), {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import']
})
writeFileSync(join(out, 'oversight.css'), result.css)
copyFileSync(join(govuk, 'govuk-frontend.min.js'), join(out, 'govuk-frontend.min.js'))
copyFileSync(join(root, 'frontend', 'oversight.mjs'), join(out, 'oversight.mjs'))
// The stylesheet's one asset (the footer's crest); collectstatic refuses a stylesheet whose
// url() names a file that is not there.
mkdirSync(join(out, 'assets', 'images'), { recursive: true })
copyFileSync(join(govuk, 'assets', 'images', 'govuk-crest.svg'), join(out, 'assets', 'images', 'govuk-crest.svg'))
console.log(`Built ${out}`)
