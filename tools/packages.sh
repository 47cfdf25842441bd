# tools/packages.sh: the Debian packages the project needs, and a function
# that installs whichever are missing (apt-get update once, then install).
# Sourced by tools/test and tools/devstack.
# shellcheck shell=bash disable=SC2034

SCHED_BUILD_PACKAGES=(build-essential autoconf automake libtool pkg-config
	libfcgi-dev libjson-c-dev libcurl4-openssl-dev libmariadb-dev libssl-dev
	libcmocka-dev)
SCHED_RUN_PACKAGES=(mariadb-server-core mariadb-client-core nginx curl
	tzdata ca-certificates)
SCHED_TEST_PACKAGES=("${SCHED_RUN_PACKAGES[@]}" python3 python3-pytest
	python3-pymysql)
# The integration tests check every answer against docs/openapi.yaml
# (tests/integration/openapi_check.py).
SCHED_TEST_PACKAGES+=(python3-yaml python3-jsonschema)
# tools/test's other tiers: make lint (tools/lint), the fuzz targets
# (tests/fuzz/run) and the sanitizer build, all compiled by clang (its
# libFuzzer, ASan and UBSan runtimes come with it).
SCHED_CHECK_PACKAGES=(cppcheck clang)

# packages_ensure PKG...: installs the packages not yet installed.
packages_ensure() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null || { echo "apt-get update failed" >&2; return 1; }
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
		{ echo "apt-get install ${missing[*]} failed" >&2; return 1; }
}

# browser_tests_ensure: what the dashboard's real-browser test needs
# (tests/browser/, run by tests/integration/test_dashboard_in_browser.py):
# Debian's chromium, node and npm (only when the commands are missing: a
# machine's own Node.js may carry npm), and playwright-core pinned by
# tests/browser/package-lock.json (`npm ci`). Failing here is not fatal:
# that test then skips, saying why.
browser_tests_ensure() {
	local top=$1 pkgs=(chromium)
	command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
	command -v npm >/dev/null 2>&1 || pkgs+=(npm)
	packages_ensure "${pkgs[@]}" || {
		echo "browser tests: could not install ${pkgs[*]}; they will be skipped" >&2
		return 1
	}
	[ -d "$top/tests/browser/node_modules/playwright-core" ] &&
		[ "$top/tests/browser/node_modules/.package-lock.json" -nt "$top/tests/browser/package-lock.json" ] &&
		return 0
	(cd "$top/tests/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || {
		echo "browser tests: npm ci in tests/browser failed; they will be skipped" >&2
		return 1
	}
}

# openapi_lint_ensure: @redocly/cli, pinned by tests/openapi/package-lock.json
# (`npm ci`, once: kept while node_modules is newer than the lock file), for
# the lint of docs/openapi.yaml in tools/test. Needs node and npm, as the
# browser tests do (installed when the commands are missing).
openapi_lint_ensure() {
	local top=$1 pkgs=()
	command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
	command -v npm >/dev/null 2>&1 || pkgs+=(npm)
	[ ${#pkgs[@]} -eq 0 ] || packages_ensure "${pkgs[@]}" || return 1
	[ -x "$top/tests/openapi/node_modules/.bin/redocly" ] &&
		[ "$top/tests/openapi/node_modules/.package-lock.json" -nt "$top/tests/openapi/package-lock.json" ] &&
		return 0
	(cd "$top/tests/openapi" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}
