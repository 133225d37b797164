#!/bin/sh
# `make test` builds the dbt project on Apache Spark (tests/test_spark.py), which needs a Java
# 17+ runtime.  Install Debian's headless JRE when it is missing and we can (root with apt-get,
# as in CI); otherwise stop with how to install it.  Never skipped: the Spark test fails without.
set -eu
if command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "java: installing Debian's openjdk-17-jre-headless package (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        openjdk-17-jre-headless
    exit 0
fi
echo "error: Java 17+ is needed by the Spark build test and is not installed; install it with" \
    "\`sudo apt-get install openjdk-17-jre-headless\` (Debian/Ubuntu), run \`make test\` as root" \
    "(it installs it), or set JAVA_HOME" >&2
exit 1
