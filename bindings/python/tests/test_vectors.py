"""Every vector and the Wycheproof suites through the installed package."""

from runner import run_vectors, run_wycheproof


def test_vectors_python() -> None:
    line, failures = run_vectors("python")
    print(line)
    assert failures == []


def test_wycheproof_python() -> None:
    line, failures = run_wycheproof("python")
    print(line)
    assert failures == []
