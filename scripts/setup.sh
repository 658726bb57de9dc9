#!/usr/bin/env bash
# Create or reuse .venv at the project root and install the pinned project into it (the README's two commands
# run this first). It says what it does: one line per step with how long it took (and a live package count on a
# terminal), then "done". Run again, it prints one line: it reinstalls only when pyproject.toml or
# constraints.txt changed. pip's own output goes to .venv/pip.log; when pip fails, that log is printed in full.
#
#   --quiet   print nothing when .venv is already set up (the test command: its output is the test run's)
set -euo pipefail
cd "$(dirname "$0")/.."

quiet=0
if [ "${1:-}" = "--quiet" ]; then quiet=1; fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "setup: Python 3.11 or newer is needed ('$python' is $("$python" --version 2>&1))" >&2
    exit 2
fi

stamp=.venv/.lenet-explain-installed
log=.venv/pip.log
want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)

# Material for MkDocs 9.x prints a boxed end-of-life notice on every mkdocs run unless NO_MKDOCS_2_WARNING is
# set: that variable is the theme's own switch (material/templates/__init__.py), read when mkdocs loads the theme,
# before any hook runs. A .pth file sets it for every Python started from .venv, so `mkdocs build` and
# `mkdocs serve` are quiet however they are called. The README says the date once, and what the project will do.
write_theme_switch() {
    local site_packages
    site_packages=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
    printf '%s\n' \
        "# Written by scripts/setup.sh: mkdocs-material's own switch for its end-of-life notice (see the README)." \
        'import os; os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")' \
        > "$site_packages/lenet_explain_setup.pth"
}

# Matplotlib lists the system's fonts on its first import. The figures need no CJK font (a Chinese character is
# measured as one em wide), so a font installed later changes nothing the build draws.
list_fonts='from matplotlib import font_manager'

if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    compgen -G ".venv/lib/python3*/site-packages/lenet_explain_setup.pth" > /dev/null || write_theme_switch
    if [ "$quiet" = 0 ]; then echo "setup: already set up (.venv is current with constraints.txt)"; fi
    exit 0
fi

pin() { sed -n "s/^$1==//p" constraints.txt; }  # the pinned version of a package
seconds() { echo "$(( SECONDS - $1 )) s"; }
on_terminal=0
if [ -t 1 ]; then on_terminal=1; fi
started=$SECONDS

if [ ! -x .venv/bin/python ]; then
    step=$SECONDS
    echo "setup: creating .venv with $("$python" --version)"
    "$python" -m venv .venv || { rm -rf .venv; exit 1; }  # no half-made .venv for the next run to trust
    echo "setup:   created in $(seconds "$step")"
fi

# Run pip with its whole output in $log. With "report", also one line per phase on ours: resolving (a live
# count on a terminal), then installing, each with its time. When pip fails, print its whole log on stderr.
run_pip() {
    local report=$1 step=$SECONDS phase=resolve count=0 line names commas status
    shift
    : > "$log"
    set +e
    .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off "$@" 2>&1 | {
        while IFS= read -r line; do
            printf '%s\n' "$line" >> "$log"
            [ "$report" = report ] || continue
            case "$line" in
                Collecting\ * | Processing\ * | "Requirement already satisfied"*)
                    count=$((count + 1))
                    if [ "$on_terminal" = 1 ]; then printf '\rsetup:   resolving packages: %d' "$count"; fi ;;
                "Installing collected packages: "*)
                    names=${line#*: }
                    commas=${names//[^,]/}
                    if [ "$on_terminal" = 1 ] && [ "$count" -gt 0 ]; then printf '\r\033[K'; fi
                    echo "setup:   resolved $count packages in $(seconds "$step");" \
                         "installing $(( ${#commas} + 1 )) of them into .venv …"
                    phase=install step=$SECONDS ;;
                "Successfully installed"*)
                    if [ "$phase" = install ]; then echo "setup:   installed in $(seconds "$step")"; fi ;;
            esac
        done
    }
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" != 0 ]; then
        if [ "$on_terminal" = 1 ]; then printf '\r\033[K'; fi
        echo "setup: pip failed (exit status $status); its whole output ($log) follows:" >&2
        cat "$log" >&2
        exit "$status"
    fi
}

step=$SECONDS
echo "setup: updating pip in .venv"
run_pip quietly --upgrade pip
echo "setup:   pip $(.venv/bin/python -m pip --version | cut -d' ' -f2) in $(seconds "$step")"

if [ -f "$stamp" ]; then
    echo "setup: pyproject.toml or constraints.txt changed: bringing .venv up to date (only what changed)"
else
    echo "setup: installing the project and its pinned dependencies into .venv:"
    echo "setup:   TensorFlow $(pin tensorflow_cpu) (CPU), Keras $(pin keras), mkdocs $(pin mkdocs)," \
         "mkdocs-material $(pin mkdocs-material), pytest, Playwright, ruff, mypy, … about 120 packages:" \
         "460 MB to download (less from pip's cache), about 2 GB installed"
fi
run_pip report -c constraints.txt -e ".[dev]"

# Matplotlib lists the system's fonts on its first import and, when that is slow, says "Matplotlib is building
# the font cache; this may take a moment.": build the list now, so that no later command prints it.
step=$SECONDS
echo "setup: building Matplotlib's font cache"
if ! fonts=$(.venv/bin/python -c "$list_fonts" 2>&1); then
    printf '%s\n' "$fonts" >&2
    exit 1
fi
echo "setup:   built in $(seconds "$step")"

write_theme_switch
echo "$want" > "$stamp"
megabytes=$(du -sm .venv | cut -f1)
echo "setup: done in $(seconds "$started"); .venv holds $((megabytes / 1024)).$((megabytes % 1024 * 10 / 1024)) GB"
