# Sourced by ./mvnw and bin/warden: exports JAVA_HOME pointing at a JDK >= 21.
# Order: WARDEN_JAVA_HOME, JAVA_HOME, the `java` on PATH, then well-known install folders;
# the first candidate with major version >= 21 wins (install folders: the newest wins).
# Prints one line naming what to install and returns 1 when there is none.

warden_jdk_major() {
  # $1: a JDK home. Prints its feature version (17, 21, 25...) or nothing.
  local home=$1 v=
  [ -x "$home/bin/java" ] || return 0
  if [ -r "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  [ "$v" = 1 ] && v=8
  printf '%s' "$v"
}

warden_find_jdk() {
  local min=21 cand major best="" best_major=0 onpath noglob=0
  case $- in *f*) noglob=1; set +f ;; esac
  for cand in "${WARDEN_JAVA_HOME:-}" "${JAVA_HOME:-}"; do
    [ -n "$cand" ] || continue
    major=$(warden_jdk_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      export JAVA_HOME=$cand
      return 0
    fi
  done
  if onpath=$(command -v java 2>/dev/null); then
    onpath=$(readlink -f "$onpath" 2>/dev/null || printf '%s' "$onpath")
    cand=${onpath%/bin/java}
    major=$(warden_jdk_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      export JAVA_HOME=$cand
      return 0
    fi
  fi
  for cand in /usr/lib/jvm/* /usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home \
              /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* \
              /opt/java/* /opt/jdk*; do
    [ -d "$cand" ] || continue
    major=$(warden_jdk_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
      best=$cand best_major=$major
    fi
  done
  [ "$noglob" = 1 ] && set -f
  if [ -n "$best" ]; then
    export JAVA_HOME=$best
    return 0
  fi
  echo "error: Warden needs a JDK $min or newer and found none; install one (Debian: apt-get install openjdk-21-jdk-headless, or https://adoptium.net) or set JAVA_HOME to it" >&2
  return 1
}
