#!/bin/bash
# Same-run A/B of benchmarks/pages.py: an earlier commit against the working tree, alternating,
# on one database (the machines are shared and noisy: read the ratios, not the absolute figures).
#
#   benchmarks/compare_pages.sh BASE_COMMIT ROUNDS [pages.py options...]
#   benchmarks/compare_pages.sh 318be76 2 --scale 100000 --repeat 30 --no-analytics \
#       --data-dir /tmp/aldea-big --page "consultancy board" --page village
#
# With ALDEA_DATABASE_URL set, both run on that PostgreSQL database. The base runs from a
# temporary worktree with this checkout's venv; the database keeps the newer migrations.
set -euo pipefail
base=$1 rounds=$2; shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$(mktemp -d)/base
git -C "$here" worktree add -q --detach "$tree" "$base"
trap 'git -C "$here" worktree remove --force "$tree"' EXIT
for round in $(seq "$rounds"); do
  for version in "$base" HEAD; do
    dir=$here; [ "$version" = "$base" ] && dir=$tree
    echo "== $version, round $round, $(date +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg)"
    (cd "$dir" && PYTHONPATH="$dir/src" "$here/.venv/bin/python" benchmarks/pages.py "$@" | sed -n '/^page /,$p')
  done
done
