// Reads the Lighthouse JSON reports that scripts/check-pages.sh wrote, prints a table of scores, and prints one
// "FAIL ..." line per page and category under its threshold, naming the audits that cost the points.
//
//   node lighthouse-summary.mjs MANIFEST
//
// MANIFEST has one tab-separated line per report: label, path, form factor, "scored" or "excluded" (SEO), file.
// Exit status: 0 when every page meets every threshold, 1 when one does not.
import { readFileSync } from 'node:fs'

const thresholds = { performance: 98, accessibility: 100, 'best-practices': 95, seo: 95 }
const columns = ['performance', 'accessibility', 'best-practices', 'seo']
const short = { performance: 'perf', accessibility: 'a11y', 'best-practices': 'best', seo: 'seo' }

const rows = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map(line => {
  const [label, path, factor, seo, file] = line.split('\t')
  return { label, path, factor, seo, report: JSON.parse(readFileSync(file, 'utf8')) }
})

// Why a category lost points: its weighted audits that did not pass, heaviest first; for performance also the
// biggest opportunity, because the metrics alone do not say what to change.
function reasons (report, category) {
  const audits = report.audits
  const failing = report.categories[category].auditRefs
    .filter(ref => ref.weight > 0 && audits[ref.id] && audits[ref.id].score !== null && audits[ref.id].score < 1)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 4)
    .map(ref => ref.id + (audits[ref.id].displayValue ? ` ${audits[ref.id].displayValue}` : ''))
  if (category === 'performance') {
    const opportunity = Object.values(audits)
      .filter(a => a.details && a.details.type === 'opportunity' && a.details.overallSavingsMs > 0)
      .sort((a, b) => b.details.overallSavingsMs - a.details.overallSavingsMs)[0]
    if (opportunity) failing.push(`opportunity ${opportunity.id} (saves ${Math.round(opportunity.details.overallSavingsMs)} ms)`)
    // Total blocking time is measured on this machine's CPU: a low index means a busy or slow host, not a slow page.
    failing.push(`host CPU benchmark index ${report.environment?.benchmarkIndex ?? '?'}`)
  }
  return failing.join('; ')
}

const width = Math.max(...rows.map(r => `${r.label} (${r.path})`.length), 4)
const cell = (s, n) => String(s).padEnd(n)
console.log(cell('page', width), cell('form', 8), columns.map(c => cell(short[c], 5)).join(' '))
console.log('-'.repeat(width + 9 + columns.length * 6))
const failures = []
for (const row of rows) {
  const scores = columns.map(category => {
    if (category === 'seo' && row.seo === 'excluded') return 'n/a'
    const c = row.report.categories[category]
    if (!c || c.score === null) {
      failures.push(`${row.label} (${row.path}) ${row.factor}: no ${category} score (${row.report.runtimeError?.message ?? 'Lighthouse gave none'})`)
      return '?'
    }
    const score = Math.round(c.score * 100)
    if (score < thresholds[category]) {
      failures.push(`${row.label} (${row.path}) ${row.factor}: ${category} ${score} < ${thresholds[category]}: ${reasons(row.report, category)}`)
    }
    return score
  })
  console.log(cell(`${row.label} (${row.path})`, width), cell(row.factor, 8), scores.map(s => cell(s, 5)).join(' '))
}
console.log(`thresholds: ${columns.map(c => `${short[c]} >= ${thresholds[c]}`).join(', ')}; seo n/a: the page answers 404 or says noindex`)
const indexes = rows.map(r => r.report.environment?.benchmarkIndex).filter(Number.isFinite)
if (indexes.length) console.log(`host CPU benchmark index ${Math.min(...indexes)} to ${Math.max(...indexes)} (Lighthouse's measure of this machine; under 1000 it warns the CPU is slower than it expects, and performance scores drop)`)
for (const f of failures) console.log(`FAIL ${f}`)
process.exit(failures.length ? 1 : 0)
