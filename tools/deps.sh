#!/usr/bin/env bash
# deps.sh - installs the Debian packages dcsim needs to build, test and
# benchmark, when any is missing (apt-get update runs first then). Run as
# root on Debian 12.
set -euo pipefail
# The python3-* packages: dcsim's Python package (analysis/python: reader,
# figures, HTML report), its notebooks and their tests (python3-ipykernel
# brings the python3 kernel spec nbclient runs; jupyter-notebook lets a user
# run `jupyter notebook analysis/notebooks`); chromium renders the HTML
# report in the tests; libopenmpi-dev and openmpi-bin: the MPI path (mpirun -n K
# dcsim ...) and its tests (docs/cluster.md); dcsim builds without them;
# clang-14 and libomp-14-dev: the libFuzzer targets (tests/fuzz, tools/fuzz.sh).
pkgs=(build-essential cmake pkg-config libgsl-dev libhdf5-dev hdf5-tools libyaml-dev
      librandom123-dev libcriterion-dev clang-format time git libopenmpi-dev openmpi-bin zlib1g-dev
      clang-14 libomp-14-dev
      python3 python3-pip python3-h5py python3-numpy python3-pandas python3-matplotlib
      python3-xarray python3-yaml python3-nbclient python3-nbformat python3-ipykernel
      jupyter-notebook chromium)
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

# dcsim's Python package (import dcsim_reader, the dcsim-plot command) for
# Debian's python3, so that `dcsim report --html`, dcsim-plot and the
# notebooks work. Debian marks its python3 as externally managed (PEP 668)
# and pip refuses to install into it without --break-system-packages; that
# flag is sound here because nothing Debian manages is touched: --no-deps and
# --no-index keep pip from installing or downloading anything else, the
# package's names (dcsim, dcsim_reader, dcsim-plot) are in no Debian package,
# and pip writes to /usr/local, where apt never does. Its build needs nothing
# from an index (analysis/python/_backend). Reinstalled at every set-up, so it
# follows the checkout; the tests use their own copy (tests/python).
/usr/bin/python3 -m pip install --quiet --no-deps --no-index --force-reinstall --root-user-action=ignore \
  --break-system-packages "$(dirname "$0")/../analysis/python"
