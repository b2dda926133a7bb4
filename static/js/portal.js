// Progressive enhancement for the portal; every page works without it. Load with <script type="module">
// (browsers too old for modules skip it). The import path is rewritten to the bundle's hashed URL when the
// server starts.
import { initAll } from '../vendor/nhsuk/nhsuk-frontend.min.js'

// Start NHS.UK frontend's components (header menu, error summary focus, conditional radios and checkboxes,
// character count, skip link, tabs...). It does nothing unless js/frontend-supported.js marked the page.
// Filters are applied with their button, never on change: reloading the page under a keyboard or screen
// reader user as they tick boxes loses their place.
initAll()

// On small screens the search filters fold behind a "Filter jobs" button (portal.css hides them as soon as
// the page is marked as supported, so nothing jumps), putting the results first on the screen.
for (const button of document.querySelectorAll('.app-filters-toggle[aria-controls]')) {
  const target = document.getElementById(button.getAttribute('aria-controls'))
  if (!target) continue
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true'
    button.setAttribute('aria-expanded', String(open))
    target.classList.toggle('app-facets--open', open)
  })
}
