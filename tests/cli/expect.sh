#!/usr/bin/env bash
# expect.sh - runs one dcsim command and checks what a user would see.
#
#   expect.sh [--status N] [--stderr REGEX] [--stdout REGEX] [--absent FILE]
#             [--exists FILE] [--workdir DIR] -- COMMAND [ARGS...]
#
# Fails (exit 1, with the reason and the command's output) when the exit
# status differs from N (default 0), when standard error or standard output
# does not match its extended regular expression, when FILE exists after an
# --absent check (bad input must write nothing) or is missing after --exists.
set -u
status=0 err_re="" out_re="" absent=() exists=() workdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --status) status=$2; shift 2 ;;
    --stderr) err_re=$2; shift 2 ;;
    --stdout) out_re=$2; shift 2 ;;
    --absent) absent+=("$2"); shift 2 ;;
    --exists) exists+=("$2"); shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "expect.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -n "$workdir" ]; then mkdir -p "$workdir" && cd "$workdir" || exit 1; fi
# Files the command must write or must not write are removed first: the
# check is about this run, and dcsim keeps an existing result (no --force).
for f in "${absent[@]+"${absent[@]}"}" "${exists[@]+"${exists[@]}"}"; do rm -f "$f"; done
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
got=$?
fail=0
if [ "$got" -ne "$status" ]; then echo "exit status $got, expected $status"; fail=1; fi
if [ -n "$err_re" ] && ! grep -Eq -- "$err_re" "$err"; then echo "stderr does not match: $err_re"; fail=1; fi
if [ -n "$out_re" ] && ! grep -Eq -- "$out_re" "$out"; then echo "stdout does not match: $out_re"; fail=1; fi
for f in "${absent[@]+"${absent[@]}"}"; do
  if [ -e "$f" ] || compgen -G "$f.tmp*" >/dev/null; then echo "$f was written"; fail=1; fi
done
for f in "${exists[@]+"${exists[@]}"}"; do
  if [ ! -e "$f" ]; then echo "$f is missing"; fail=1; fi
done
if [ "$fail" -ne 0 ]; then
  echo "command: $*"
  echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"
  exit 1
fi
exit 0
