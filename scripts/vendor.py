#!/usr/bin/env python3
"""Refresh the dashboard's vendored JavaScript and data from the npm registry.

Reads src/communique/web/vendor.json; for each package downloads its tarball from the registry,
checks the tarball against the pinned `integrity` (sha512, as npm's lock files record it), and
copies the listed files and the package's licence into
src/communique/web/static/vendor/<package>/ (the directory is emptied first, so a file dropped
from the list disappears). Python's standard library only; no node, no npm.

    python scripts/vendor.py            # download, verify, copy
    python scripts/vendor.py --check    # download, verify, and report files that differ (exit 1)

To move a package to a new version: change `version` and `integrity` in vendor.json (the registry
publishes the integrity in the version's `dist.integrity`), run this script, look at the diff.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "communique" / "web"
MANIFEST = WEB / "vendor.json"
VENDOR = WEB / "static" / "vendor"
LICENCE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENCE.md", "COPYING")
MAX_TARBALL = 50 * 1024 * 1024


class VendorError(Exception):
    pass


def tarball_url(registry: str, name: str, version: str) -> str:
    """The registry's tarball address: /<name>/-/<basename>-<version>.tgz (scoped names too)."""
    basename = name.rsplit("/", 1)[-1]
    return f"{registry.rstrip('/')}/{name}/-/{basename}-{version}.tgz"


def download(url: str, timeout: float = 60) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "communique-vendor/1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_TARBALL + 1)
    except urllib.error.HTTPError as exc:
        raise VendorError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise VendorError(f"{url}: {getattr(exc, 'reason', exc)}") from None
    if len(data) > MAX_TARBALL:
        raise VendorError(f"{url}: larger than {MAX_TARBALL} bytes")
    return data


def verify(data: bytes, integrity: str, what: str) -> None:
    """Subresource-integrity check: 'sha512-<base64>' (several space-separated hashes allowed)."""
    for item in integrity.split():
        algorithm, _, expected = item.partition("-")
        if algorithm not in ("sha512", "sha384", "sha256"):
            continue
        actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
        if actual != expected:
            raise VendorError(f"{what}: {algorithm} integrity mismatch (expected {expected}, got {actual})")
        return
    raise VendorError(f"{what}: no sha512/sha384/sha256 hash in integrity {integrity!r}")


def members(data: bytes) -> dict[str, bytes]:
    """The tarball's regular files by path without npm's leading 'package/' folder."""
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            path = member.name.split("/", 1)[1] if "/" in member.name else member.name
            out[path] = tar.extractfile(member).read()
    return out


def wanted(spec: dict, files: dict[str, bytes]) -> dict[str, bytes]:
    """Output name -> content: the listed files (by base name) and the licence."""
    name = f"{spec['package']}@{spec['version']}"
    out = {}
    for path in spec["files"]:
        if path not in files:
            raise VendorError(f"{name}: no {path} in the tarball")
        target = Path(path).name
        if target in out:
            raise VendorError(f"{name}: two listed files are both named {target}")
        out[target] = files[path]
    licence = next((n for n in LICENCE_NAMES if n in files), None)
    if licence is None:
        raise VendorError(f"{name}: the tarball has no licence file ({', '.join(LICENCE_NAMES)})")
    out["LICENSE"] = files[licence]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the vendored files")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--dest", type=Path, default=VENDOR)
    args = parser.parse_args(argv)

    manifest = json.loads(args.manifest.read_text())
    registry = manifest.get("registry", "https://registry.npmjs.org")
    differ = []
    try:
        for spec in manifest["packages"]:
            name, version = spec["package"], spec["version"]
            url = tarball_url(registry, name, version)
            data = download(url)
            verify(data, spec["integrity"], f"{name}@{version}")
            out = wanted(spec, members(data))
            folder = args.dest / name
            if args.check:
                present = {p.name for p in folder.glob("*")} if folder.is_dir() else set()
                for target, content in out.items():
                    path = folder / target
                    if not path.is_file() or path.read_bytes() != content:
                        differ.append(str(path))
                differ += [str(folder / p) for p in sorted(present - set(out))]
                continue
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            for target, content in out.items():
                (folder / target).write_bytes(content)
            size = sum(len(c) for c in out.values())
            print(f"{name}@{version} ({spec.get('license', '?')}): {', '.join(sorted(out))} "
                  f"-> {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder} ({size:,} bytes)")
    except VendorError as exc:
        print(f"vendor: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if differ:
            print("vendor: these files differ from the pinned packages:\n  " + "\n  ".join(differ), file=sys.stderr)
            return 1
        print(f"vendor: {len(manifest['packages'])} packages match their pinned tarballs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
