#!/usr/bin/env bash
# Runs the whole build, as CI does: format check, strict compile, tests, packaged jar.
# Finds a JDK 21+ itself (the machine's default java may be older). Extra args go to Maven.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

# shellcheck source=bin/find-jdk.sh
. bin/find-jdk.sh
braid_require_jdk
JAVA_HOME=$BRAID_JDK
MAVEN_OPTS=$(braid_maven_opts)
export JAVA_HOME MAVEN_OPTS

exec mvn -B -ntp -Dstyle.color=never verify "$@"
