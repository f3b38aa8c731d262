#!/usr/bin/env bash
# swift-format over every tracked Swift file with the repository's .swift-format (4 spaces,
# 140 columns); fails on any finding. Fix with:
#   swift-format format --configuration .swift-format -i $(git ls-files '*.swift')
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.swift')
swift-format lint --strict --configuration .swift-format "${files[@]}"
echo "lint: ${#files[@]} Swift files swift-format-clean"
