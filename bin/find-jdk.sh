# shellcheck shell=bash disable=SC2034 # sets variables for the scripts that source it
# Finds a JDK 21 or newer. Sourced by ./braid, ./test.sh and .ci/run so all three agree.
#
#   braid_find_jdk      sets BRAID_JDK (a JDK home) and BRAID_JDK_MAJOR; returns 1 if none
#   braid_require_jdk   the same, or prints one line to stderr and exits 2
#   braid_maven_opts    prints MAVEN_OPTS suited to BRAID_JDK (caller's MAVEN_OPTS kept)
#
# Order: $JAVA_HOME if it is 21+; else the newest 21+ under /usr/lib/jvm (and macOS's
# JavaVirtualMachines); else `java` on PATH if it is 21+. A JDK must have javac: Maven needs it.

BRAID_MIN_JAVA=21

# Sets BRAID_REPLY to the feature version ("17", "21", "25") of the JDK at home $1, or
# returns 1. Builtins only, no subshell: the launcher runs this on every start.
braid_jdk_major() {
  local home=$1 line='' key v
  BRAID_REPLY=
  [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 1
  # The release file avoids starting a JVM (~40 ms each); every JDK since 9 has one.
  if [[ -r "$home/release" ]]; then
    while IFS='=' read -r key v; do
      if [[ $key == JAVA_VERSION ]]; then
        line=$v
        break
      fi
    done <"$home/release"
  fi
  if [[ -z $line ]]; then
    line=$("$home/bin/java" -version 2>&1 | grep -m1 ' version "') || return 1
    line=${line#*\"}
  fi
  v=${line#\"}
  v=${v%%\"*}
  [[ $v == 1.* ]] && v=${v#1.} # 1.8.0_292 -> 8
  v=${v%%[!0-9]*}              # 25.0.1 -> 25, 26-ea -> 26
  [[ -n $v ]] || return 1
  BRAID_REPLY=$v
}

braid_find_jdk() {
  local home best='' best_major=0 java
  BRAID_JDK=
  BRAID_JDK_MAJOR=
  if [[ -n ${JAVA_HOME:-} ]] && braid_jdk_major "$JAVA_HOME" &&
    ((BRAID_REPLY >= BRAID_MIN_JAVA)); then
    BRAID_JDK=$JAVA_HOME BRAID_JDK_MAJOR=$BRAID_REPLY
    return 0
  fi
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [[ -d $home ]] || continue
    braid_jdk_major "$home" || continue
    if ((BRAID_REPLY >= BRAID_MIN_JAVA && BRAID_REPLY > best_major)); then
      best=$home best_major=$BRAID_REPLY
    fi
  done
  if [[ -n $best ]]; then
    BRAID_JDK=$best BRAID_JDK_MAJOR=$best_major
    return 0
  fi
  if java=$(command -v java); then
    # /usr/bin/java -> /etc/alternatives/java -> <home>/bin/java
    java=$(readlink -f "$java" 2>/dev/null || printf '%s' "$java")
    home=${java%/bin/java}
    if braid_jdk_major "$home" && ((BRAID_REPLY >= BRAID_MIN_JAVA)); then
      BRAID_JDK=$home BRAID_JDK_MAJOR=$BRAID_REPLY
      return 0
    fi
  fi
  return 1
}

braid_require_jdk() {
  if ! braid_find_jdk; then
    echo "braid: needs a JDK $BRAID_MIN_JAVA or newer; set JAVA_HOME to one" \
      "(looked at \$JAVA_HOME, /usr/lib/jvm and java on PATH)" >&2
    exit 2
  fi
}

braid_maven_opts() {
  local opts=${MAVEN_OPTS:-}
  # Maven 3.8's bundled Guice/jansi use sun.misc.Unsafe; JDK 24+ warns about it. The flag
  # exists since JDK 23 and older JVMs refuse to start with an unknown flag.
  if ((BRAID_JDK_MAJOR >= 23)) && [[ $opts != *--sun-misc-unsafe-memory-access* ]]; then
    opts="${opts:+$opts }--sun-misc-unsafe-memory-access=allow"
  fi
  printf '%s\n' "$opts"
}
