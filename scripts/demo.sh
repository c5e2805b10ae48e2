#!/usr/bin/env bash
# The main job on the bundled demo evidence: installs what is missing (apt), builds `custos`, generates the
# demo seized-laptop image (demo/evidence/laptop.E01, see tests/fixtures/make-demo-evidence.sh), triages it
# into demo/demo.custos and prints what was found.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target custos
custos=build/triage/custos

if [ ! -f demo/evidence/laptop.E01 ]; then
  echo "== Making the demo evidence (demo/evidence/laptop.E01)"
  tests/fixtures/make-demo-evidence.sh demo/evidence >/dev/null
fi
rm -f demo/demo.custos demo/demo.custos-wal demo/demo.custos-shm

echo "== Triage"
set +e
"$custos" triage --case demo/demo.custos --exhibit JD/1 --case-ref OP-ELM-2026-0042 --operation ELM \
  --officer "DC 4127 Smith" --custody-start "$(date -u +%Y-%m-%dT%H:%M:%SZ)" demo/evidence/laptop.E01
rc=$?
set -e
# 0: clean; 3: done, with errors recorded in the case file (shown below). Anything else is a failure.
if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then exit $rc; fi

echo
echo "== What triage found (custos info demo/demo.custos)"
"$custos" info demo/demo.custos
echo
echo "== Deleted files (custos files demo/demo.custos --deleted)"
"$custos" files demo/demo.custos --deleted
echo
echo "== Content that does not match its extension (custos files demo/demo.custos --mismatch)"
"$custos" files demo/demo.custos --mismatch
