#!/bin/sh
# `make test` drives a real headless Chromium (tests/test_dashboard.py).  Install Debian's
# `chromium` when it is missing and we can (root with apt-get, as in CI); otherwise stop with
# how to install it.  Never skipped: the browser test fails without it.
set -eu
if [ -n "${AUDIFI_CHROMIUM:-}" ] && [ -x "${AUDIFI_CHROMIUM}" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium: installing Debian's chromium package (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
    exit 0
fi
echo "error: Chromium is needed by the dashboard browser test and is not installed;" \
    "install it with \`sudo apt-get install chromium\` (Debian/Ubuntu), run \`make test\` as root" \
    "(it installs it), or set AUDIFI_CHROMIUM to a Chromium binary" >&2
exit 1
