// Package e2e holds framsyn's browser tests: a real App on a free port with
// a fresh SQLite database and the demo network, driven by Debian's
// Chromium through chromedp. The tests skip when Chromium is missing,
// unless FRAMSYN_E2E_REQUIRED=1 (as in CI), and then they fail. The
// accessibility test also needs axe-core: FRAMSYN_AXE_JS, or
// e2e/node_modules/axe-core/axe.min.js from
// `npm install --no-save --prefix e2e axe-core@4`. Screenshots go to e2e/out/.
package e2e
