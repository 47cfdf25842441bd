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
