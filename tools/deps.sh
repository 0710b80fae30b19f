#!/usr/bin/env bash
# deps.sh - installs the Debian packages dcsim needs to build, test and
# benchmark, when any is missing (apt-get update runs first then). Run as
# root on Debian 12.
set -euo pipefail
# The python3-* packages: the reader, plots and notebooks of analysis/ and
# their tests (python3-ipykernel brings the python3 kernel spec nbclient runs).
pkgs=(build-essential cmake pkg-config libgsl-dev libhdf5-dev hdf5-tools libyaml-dev
      librandom123-dev libcriterion-dev clang-format time
      python3 python3-h5py python3-numpy python3-pandas python3-matplotlib
      python3-nbclient python3-nbformat python3-ipykernel)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
