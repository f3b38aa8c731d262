#!/usr/bin/env bash
# Checks the graph views with the real parsers:
#   1. `topoc build --only graph` for every examples/*.yaml and the hostile-label fixture
#      (Tests/topocTests/Fixtures/graph-hostile.yaml): overview, routing, one cluster view per
#      cluster template and one table view per table, each in Mermaid and DOT;
#   2. every .mmd parsed and laid out by mermaid.js (PyPI mermaidx, mermaid.js in QuickJS, no
#      browser; pinned below, installed into .build-tools/venv on first use);
#   3. every .dot rendered by Graphviz `dot -Tsvg` (Debian graphviz, scripts/install-deps.sh);
#   4. the hostile fixture's labels read back as text from both SVGs;
#   5. each example's overview as PNG (dot -Tpng) into GRAPH_PNG_DIR (default .build/graph-pngs).
# Usage: scripts/check-graphs.sh [TOPOC]   (default .build/debug/topoc). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

mermaidx_version=0.10.1
venv=.build-tools/venv
topoc=${1:-.build/debug/topoc}
pngs=${GRAPH_PNG_DIR:-.build/graph-pngs}
fixture=Tests/topocTests/Fixtures/graph-hostile.yaml

command -v dot >/dev/null || { echo "check-graphs: Graphviz dot is missing (scripts/install-deps.sh)" >&2; exit 1; }
if [[ ! -x $venv/bin/python ]]; then
    echo "check-graphs: creating $venv"
    python3 -m venv "$venv"
fi
if [[ $("$venv/bin/python" -m pip show mermaidx 2>/dev/null | sed -n 's/^Version: //p') != "$mermaidx_version" ]]; then
    echo "check-graphs: installing mermaidx $mermaidx_version"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "mermaidx==$mermaidx_version"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$pngs"
for file in examples/*.yaml "$fixture"; do
    name=$(basename "$file" .yaml)
    "$topoc" build "$file" -o "$work/$name" --only graph --quiet 2>/dev/null
done

mermaid=()
while IFS= read -r file; do mermaid+=("$file"); done < <(find "$work" -name '*.mmd' | sort)
dots=()
while IFS= read -r file; do dots+=("$file"); done < <(find "$work" -name '*.dot' | sort)
echo "check-graphs: ${#mermaid[@]} Mermaid and ${#dots[@]} DOT files from $(ls examples/*.yaml | wc -l) examples and the hostile fixture"

started=$SECONDS
failed=0
for file in "${dots[@]}"; do
    if ! dot -Tsvg "$file" -o "$file.svg" 2>"$file.err" || [[ -s $file.err ]]; then
        echo "check-graphs: dot: ${file#"$work"/}: $(cat "$file.err")" >&2
        failed=$((failed + 1))
    fi
done
echo "check-graphs: dot -Tsvg: $((${#dots[@]} - failed)) rendered, $failed failed ($((SECONDS - started))s)"

# Two mermaid.js processes, one per core, each over half the files.
half=$(((${#mermaid[@]} + 1) / 2))
"$venv/bin/python" scripts/check-mermaid.py "${mermaid[@]:0:half}" &
first=$!
"$venv/bin/python" scripts/check-mermaid.py "${mermaid[@]:half}" || failed=$((failed + 1))
wait "$first" || failed=$((failed + 1))

# The hostile labels come out as the text they are, in both renderings (SVG escapes < and &).
for expected in '&lt;script&gt;x&lt;/script&gt;, &amp;lt;, `md`, style: x#quot;;' '&lt;b&gt;&amp;x&lt;/b&gt;'; do
    for svg in "$work/graph-hostile/graph/tables/items.mmd.svg" "$work/graph-hostile/graph/tables/items.dot.svg"; do
        if ! grep -qF -- "$expected" "$svg"; then
            echo "check-graphs: ${svg#"$work"/} does not show the label text $expected" >&2
            failed=$((failed + 1))
        fi
    done
done

for file in examples/*.yaml; do
    name=$(basename "$file" .yaml)
    dot -Tpng "$work/$name/graph/overview.dot" -o "$pngs/$name-overview.png"
done
echo "check-graphs: overview PNGs in $pngs"
if ((failed)); then
    echo "check-graphs: $failed failures" >&2
    exit 1
fi
echo "check-graphs: ok"
