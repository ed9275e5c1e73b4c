# Sourced by tests/run.sh and tests/bench.sh.
# venv_install VENV REQUIREMENTS [pip options]: a virtual environment with the pinned
# requirements, (re)built only when the requirements file changed since.
venv_install() {
    local venv=$1 requirements=$2; shift 2
    local stamp="$venv/.requirements.sha256" want
    want=$(sha256sum "$requirements" | cut -d' ' -f1)
    if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "installing $requirements into $venv" >&2
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" -r "$requirements"
        echo "$want" > "$stamp"
    fi
}
