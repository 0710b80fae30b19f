#!/usr/bin/env bash
# validators.sh DCSIM CASES BASE WORKDIR - `validate` refuses everything
# `run` would: for each case of CASES (data/rules.txt: a validator's name,
# its message, the --set arguments that break its rule on BASE), both
# `dcsim validate` and `dcsim run -o` must exit 2 and print exactly that
# message, and run must write no file. A case whose --set line starts with
# base=FILE is applied to FILE, beside BASE, instead (itself valid).
set -u
dcsim=$1 cases=$2 base=$3 work=$4
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
dcsim=$(abs "$dcsim") cases=$(abs "$cases") base=$(abs "$base")
data=$(dirname "$base")
mkdir -p "$work" && cd "$work" || exit 1
fail=0 n=0
check() { # name want [base=FILE] sets...
  local name=$1 want=$2 base=$base; shift 2
  case "${1-}" in base=*)
    base=$data/${1#base=}; shift
    "$dcsim" validate "$base" >/dev/null || { echo "$name: the base $base does not validate"; fail=1; }
  esac
  local sets=() s
  for s in "$@"; do sets+=(--set "$s"); done
  rm -f out.h5
  local verr rerr vrc rrc
  verr=$("$dcsim" validate "$base" "${sets[@]}" 2>&1 >/dev/null); vrc=$?
  rerr=$("$dcsim" run "$base" -n 2 -q -o out.h5 "${sets[@]}" 2>&1 >/dev/null); rrc=$?
  verr=${verr//"$data/"/} rerr=${rerr//"$data/"/} # a position in a base: its name alone
  [ "$vrc" -eq 2 ] || { echo "$name: validate exited $vrc, not 2: $verr"; fail=1; }
  [ "$rrc" -eq 2 ] || { echo "$name: run exited $rrc, not 2: $rerr"; fail=1; }
  [ "$verr" = "$want" ] || { echo "$name: validate said: $verr"; echo "  expected: $want"; fail=1; }
  [ "$rerr" = "$want" ] || { echo "$name: run said: $rerr"; echo "  expected: $want"; fail=1; }
  if [ -e out.h5 ] || compgen -G "out.h5.tmp*" >/dev/null; then echo "$name: run wrote out.h5"; fail=1; fi
  n=$((n + 1))
}
# The base itself is valid: each case breaks only its own rule.
"$dcsim" validate "$base" >/dev/null || { echo "the base $base does not validate"; exit 1; }
name="" want=""
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in \#*) continue ;; esac
  if [ -z "$line" ]; then name="" want=""; continue; fi
  if [ -z "$name" ]; then name=$line
  elif [ -z "$want" ]; then want=$line
  else read -r -a sets <<<"$line"; check "$name" "$want" "${sets[@]}"
  fi
done <"$cases"
[ "$n" -gt 0 ] || { echo "no cases in $cases"; exit 1; }
[ "$fail" -ne 0 ] || echo "$n validators: validate and run refuse alike"
exit $fail
