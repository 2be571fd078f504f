"""Every ALDEA_ variable the code reads is in docs/deploy.md and .env.example."""

import re
from pathlib import Path

import aldea

SOURCE = Path(aldea.__file__).parent
ROOT = SOURCE.parent.parent
READ = re.compile(r'"(ALDEA_[A-Z_]+)"')
SECRET = re.compile(r'env_secret\("(ALDEA_[A-Z_]+)"')


def variables_read() -> set[str]:
    names = set()
    for path in SOURCE.rglob("*.py"):
        names |= set(READ.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_variable_is_documented_and_in_the_example_file():
    names = variables_read()
    assert {"ALDEA_SECRET_KEY", "ALDEA_PUBLIC_URL", "ALDEA_LOG_FORMAT"} <= names
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert sorted(n for n in names if f"`{n}`" not in deploy and f"`{n}` /" not in deploy) == []
    assert sorted(n for n in names if f"\n{n}=" not in example) == []


def test_every_secret_read_from_a_file_says_so_in_the_docs():
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    secrets = set()
    for path in SOURCE.rglob("*.py"):
        secrets |= set(SECRET.findall(path.read_text(encoding="utf-8")))
    assert secrets >= {"ALDEA_SECRET_KEY", "ALDEA_DATABASE_URL"}
    assert sorted(s for s in secrets if f"`{s}_FILE`" not in deploy) == []
