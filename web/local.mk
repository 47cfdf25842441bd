# web/: the dashboard (README "Dashboard", issue 4): static HTML, CSS and
# JavaScript written here, served by nginx at /dashboard/ (the stack's
# template points DASHBOARD_ROOT at this folder; a production server block
# points it at the installed copy, $(pkgdatadir)/web). Nothing is loaded
# from the internet at run time.
dashboarddir = $(pkgdatadir)/web
dist_dashboard_DATA = web/index.html web/app.js web/cron_words.js web/style.css

# The real-browser tests and the unit tests of web/cron_words.js (both
# run by tests/integration/test_dashboard_in_browser.py) ship with their
# pinned playwright-core, without node_modules.
EXTRA_DIST += tests/browser/package.json tests/browser/package-lock.json \
	tests/browser/dashboard.test.mjs tests/browser/cron_words.test.mjs
