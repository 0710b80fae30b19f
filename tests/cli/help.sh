#!/usr/bin/env bash
# help.sh DCSIM - every subcommand's --help explains every option it takes,
# and says the default of each option that takes a value.
#
# The options of each command are listed here, as its parser accepts them;
# for each, `dcsim CMD --help` must have a line starting with the option
# (after its short form, if any), and the lines that explain an option
# taking a value, up to the next option, must say "default".
set -u
dcsim=$1
fail=0
check() {
  local cmd=$1; shift
  local text
  if ! text=$("$dcsim" "$cmd" --help); then echo "$cmd --help failed"; fail=1; return; fi
  for spec in "$@"; do
    local opt=${spec%:*} takes=${spec#*:}
    local block
    block=$(printf '%s\n' "$text" | awk -v o="$opt" '
      function starts(line) { return line ~ ("^  +(-[a-zA-Z], )?" o "([ =,]|$)") }
      found && /^  +-/ { exit }
      starts($0) { found = 1 }
      found { print }')
    if [ -z "$block" ]; then echo "dcsim $cmd --help does not explain $opt"; fail=1; continue; fi
    if [ "$takes" = value ] && ! printf '%s\n' "$block" | grep -qi "default"; then
      echo "dcsim $cmd --help gives no default for $opt:"; printf '%s\n' "$block"; fail=1
    fi
  done
}
common="-o:value -n:value -j:value --seed:value --trace:value --sample-every:value --set:value --shard:value -q:flag -h:flag"
# shellcheck disable=SC2086
check run $common
# shellcheck disable=SC2086
check sweep $common --precision:value --precision-metric:value --max-replications:value --batch:value
check validate --set:value --resolved:flag -h:flag
check report --format:value --sort:value --best:value --subject-to:value --html:value --force:flag -h:flag
check compare --metric:value --format:value --pair-anyway:flag -h:flag
check catalog --format:value --catalog:value -h:flag
check merge -o:value -f:flag -q:flag -h:flag
check hindcast -n:value --seed:value --set:value -o:value --force:flag -h:flag
exit $fail
