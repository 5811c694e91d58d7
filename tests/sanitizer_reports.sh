# Sourced by tests/sanitize.sh and tests/tsan.sh: a folder that collects sanitizer reports
# from the tests and from every program they start. An e2e test may not look at how the
# daemon it started exited, so the folder is checked after ctest, whatever ctest said.
#   reports_dir BUILD     prints BUILD/sanitizer-reports, emptied and world-writable
#   reports_found DIR     prints every report and returns 0 if there are any
reports_dir() {
  local dir="$PWD/$1/sanitizer-reports"
  # World-writable: the consultation-trail tests run the CLI as other users.
  rm -rf "$dir" && mkdir "$dir" && chmod 1777 "$dir"
  echo "$dir"
}
reports_found() {
  compgen -G "$1/*" >/dev/null || return 1
  echo "sanitizer reports (from tests or the programs they started):" >&2
  local f
  for f in "$1"/*; do echo "== $f" >&2; cat "$f" >&2; done
}
