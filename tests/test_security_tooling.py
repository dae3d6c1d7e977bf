"""`make audit` never counts an audit that could not run as a pass."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "audit-dependencies"


def run_with_fake_pip_audit(tmp_path, output: str, exit_code: int) -> subprocess.CompletedProcess:
    fake = tmp_path / "python"
    fake.write_text(f"#!/bin/sh\ncat <<'OUT'\n{output}\nOUT\nexit {exit_code}\n")
    fake.chmod(0o755)
    return subprocess.run(  # noqa: S603  (our own script with a fake interpreter)
        [str(SCRIPT)], env={"PY": str(fake), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=30
    )


@pytest.mark.parametrize(
    "output",
    [
        "ERROR:pip_audit._cli:Django: Dependency not found on PyPI and could not be audited: django (5.2.19)",
        "requests.exceptions.ConnectionError: Max retries exceeded with url: /pypi/django/5.2.19/json",
    ],
)
def test_an_unreachable_advisory_service_is_a_failure_to_check(tmp_path, output):
    result = run_with_fake_pip_audit(tmp_path, output, exit_code=0)
    assert result.returncode == 2
    assert "AUDIT NOT DONE" in result.stderr


def test_a_known_vulnerability_fails(tmp_path):
    result = run_with_fake_pip_audit(tmp_path, "Found 1 known vulnerability in 1 package\ndjango 5.2.19 PYSEC-1", 1)
    assert result.returncode == 1
    assert "AUDIT FAILED" in result.stderr


def test_a_complete_clean_audit_passes(tmp_path):
    result = run_with_fake_pip_audit(tmp_path, "No known vulnerabilities found", 0)
    assert result.returncode == 0
    assert "every pinned dependency checked" in result.stdout


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        name, sep, version = line.split(" ")[0].partition("==")
        if sep and not line.startswith(("#", " ", "-")):
            pins[name.lower().replace("_", "-").replace(".", "-")] = version
    return pins


@pytest.mark.parametrize(
    ("inputs", "lock"), [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
)
def test_the_lock_files_match_the_pins_and_hash_every_dependency(inputs, lock):
    """`make install` installs from the locks with --require-hashes; they must follow the human-edited inputs
    (run `make lock` after editing those) and hash every transitive dependency."""
    wanted = _pins(ROOT / inputs) | (_pins(ROOT / "requirements.txt") if inputs != "requirements.txt" else {})
    locked = _pins(ROOT / lock)
    assert {name: locked.get(name) for name in wanted} == wanted
    text = (ROOT / lock).read_text()
    hashed = re.findall(r"^(\S+)==\S+(?: \\\n +--hash=sha256:[0-9a-f]{64})+", text, re.MULTILINE)
    assert len(hashed) == len(locked) > len(wanted)  # every entry hashed; transitive dependencies locked too
