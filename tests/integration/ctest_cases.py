"""Writes one CTest test per pytest case (as gtest_discover_tests does for GoogleTest), so that
`deploy/test` reports every integration case by name, passed or failed.

Run at build time by tests/CMakeLists.txt:
    ctest_cases.py OUT BASETEMP NAME=VALUE... -- TEST_FILE...
OUT is the CTest include file written (only when its content changes); each case runs in its
own pytest process, with its own --basetemp under BASETEMP and the NAME=VALUE environment.
"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def cmake_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def collect(files):
    """The node ids of every case in `files`, in file order."""
    r = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                        "-p", "no:cacheprovider"] + [os.path.basename(f) for f in files],
                       cwd=HERE, capture_output=True, text=True,
                       env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    ids = [line for line in r.stdout.splitlines() if "::" in line]
    if r.returncode != 0 or not ids:
        sys.exit(f"collecting the integration tests failed:\n{r.stdout}\n{r.stderr}")
    return ids


def main():
    out, basetemp, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    split = rest.index("--")
    environment, files = ";".join(rest[:split]), rest[split + 1:]
    lines = []
    for node in collect(files):
        module, case = node.split("::", 1)
        name = f"integration.{module[:-3]}::{case}"
        # One level under BASETEMP (pytest makes --basetemp, not its parents).
        scratch = os.path.join(basetemp, module[:-3] + "." + re.sub(r"[^A-Za-z0-9_.-]", "_", case))
        lines.append(f"add_test({cmake_quote(name)} /usr/bin/python3 -m pytest -q "
                     f"-p no:cacheprovider {cmake_quote('--basetemp=' + scratch)} "
                     f"{cmake_quote(node)})")
        lines.append(f"set_tests_properties({cmake_quote(name)} PROPERTIES "
                     f"WORKING_DIRECTORY {cmake_quote(HERE)} "
                     f"ENVIRONMENT {cmake_quote(environment)} "
                     f"LABELS integration TIMEOUT 900)")
    text = "\n".join(lines) + "\n"
    try:
        with open(out) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
