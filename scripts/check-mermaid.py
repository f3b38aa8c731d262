"""Renders Mermaid files with mermaid.js (mermaidx: mermaid.js in QuickJS, no browser).

Usage: python check-mermaid.py FILE.mmd...   Each file is parsed and laid out by mermaid.js;
its SVG is written beside it (FILE.mmd.svg). Prints one line per failure and exits 1 if any file
failed, 0 when all rendered. mermaid.js's parse errors come back as exceptions.
"""

import sys
import time

import mermaidx


def main(paths):
    failures = 0
    started = time.monotonic()
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        try:
            svg = mermaidx.render(source).svg()
        except Exception as error:  # mermaid.js parse or render error
            failures += 1
            print(f"check-mermaid: {path}: {str(error).strip()}", file=sys.stderr)
            continue
        if "<svg" not in svg or "Syntax error" in svg:
            failures += 1
            print(f"check-mermaid: {path}: mermaid.js drew an error diagram", file=sys.stderr)
            continue
        with open(path + ".svg", "w", encoding="utf-8") as handle:
            handle.write(svg)
    elapsed = time.monotonic() - started
    print(f"check-mermaid: {len(paths) - failures} rendered, {failures} failed ({elapsed:.1f}s, mermaid {mermaidx_version()})")
    return 1 if failures else 0


def mermaidx_version():
    return f"mermaidx {mermaidx.__version__}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
