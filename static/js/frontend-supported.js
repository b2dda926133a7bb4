// NHS.UK frontend's template snippet, as a file because the CSP allows no inline script. It tells NHS.UK
// frontend's CSS and JS that they may switch on enhanced behaviour: `js-enabled`, and
// `nhsuk-frontend-supported` in browsers that run ES modules. Load it as the first child of <body>, without
// defer or async, so the classes are set before the first paint (no layout shift).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '')
