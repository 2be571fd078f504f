#!/bin/sh
# Builds src/aldea/static/vendor/plotly/plotly-aldea.min.js: plotly.js with only the trace types
# Aldea's pages draw, and its Spanish and Brazilian Portuguese locales. The full plotly.min.js is
# 4.8 MB; this is about a third of it (figures in docs/benchmarks.md).
#
# Run it again after adding a trace type to a chart (grep 'trace("' src/aldea) or upgrading the
# plotly Python package of the dev extra, which checks the figures the charts write as dicts
# (tests/core/test_chart_figures.py): PLOTLY_JS must be the plotly.js version that package bundles
# (head -3 .venv/lib/python3*/site-packages/plotly/package_data/plotly.min.js), so the figures
# Python writes are the ones the browser reads; refresh src/aldea/core/plotly_template.json too. Needs node and npm; installs into a temporary folder.
set -eu

PLOTLY_JS=${PLOTLY_JS:-4.1.1}
ESBUILD=${ESBUILD:-0.25.12}
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT="$HERE/src/aldea/static/vendor/plotly"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm init -y >/dev/null
# --ignore-scripts: nothing from the registry runs on this machine; esbuild's binary comes as
# an optional dependency, so it needs no install script either.
npm install --no-audit --no-fund --ignore-scripts "plotly.js@$PLOTLY_JS" "esbuild@$ESBUILD"

cat > entry.js <<'JS'
// Scatter is part of the core. Keep this list to the go.* traces in src/aldea.
var Plotly = require('plotly.js/lib/core');
Plotly.register([
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/funnel'),
  require('plotly.js/lib/scatterpolar'),
  require('plotly.js/lib/scattergeo'),
  require('plotly.js/lib/choropleth'),
  require('plotly.js/lib/locales/es'),
  require('plotly.js/lib/locales/pt-br'),
]);
module.exports = Plotly;
JS

# The options of plotly.js's own esbuild-config.js; CSS files are maplibre's, needed by map
# traces only, so they load empty.
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly \
  --define:global=window --define:define.amd=false --target=es2016 --loader:.css=empty \
  --legal-comments=none \
  --banner:js="/* plotly.js v$PLOTLY_JS partial bundle for Aldea (bar, funnel, scatter, scatterpolar, scattergeo, choropleth; locales es, pt-br). MIT licence: LICENSE.txt. Built by tools/build_plotly.sh */" \
  --outfile=plotly-aldea.min.js

mkdir -p "$OUT"
cp plotly-aldea.min.js "$OUT/plotly-aldea.min.js"
cp node_modules/plotly.js/LICENSE "$OUT/LICENSE.txt"
ls -l "$OUT"
