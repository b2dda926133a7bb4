// Progressive enhancement for the portal; every page works without it. Load with <script type="module">
// (browsers too old for modules skip it). The import path is rewritten to the bundle's hashed URL when the
// server starts.
import { initAll } from '../vendor/nhsuk/nhsuk-frontend.min.js'

// Start NHS.UK frontend's components (header menu, error summary focus, conditional radios and checkboxes,
// character count, skip link, tabs...). It does nothing unless js/frontend-supported.js marked the page.
// Filters are applied with their button, never on change: reloading the page under a keyboard or screen
// reader user as they tick boxes loses their place.
initAll()
