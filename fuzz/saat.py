#!/usr/bin/env python3
"""Writes the seed inputs of the four fuzz targets into fuzz/saat/<target>/ (not
committed): the example portal's content/, the bad-input corpus tests/corpus/ and the XSS
payloads of tests/xss.rs, each in the input format of its target (see
src/pruefstand.rs). scripts/fuzz minimises them with `cargo fuzz cmin` into
fuzz/corpus/<target>/."""

import hashlib
import pathlib
import re
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "saat"

KINDS = ["stadtteile", "ags", "projekte", "foren", "vorlagen", "seiten"]

# The paths of pruefstand::PFADE, in the same order.
PFADE = re.findall(
    r'"([^"]+)"',
    re.search(r"pub const PFADE: &\[&str\] = &\[(.*?)\];",
              (ROOT / "src" / "pruefstand.rs").read_text(), re.S).group(1),
)


def write(target, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def body(text):
    m = re.match(rb"---\r?\n.*?\n---\r?\n", text, re.S)
    return text[m.end():] if m else text


def entity_files():
    roots = [ROOT / "content"] + sorted(
        p / "content" for p in (ROOT / "tests" / "corpus").iterdir() if p.is_dir())
    for r in roots:
        for f in sorted(r.rglob("*")):
            if f.is_file() and f.suffix in (".md", ".yaml", ".yml") and f.stat().st_size < 64 * 1024:
                rel = f.relative_to(r).parts
                yield rel, f.read_bytes()


def pfad_fuer(rel):
    """The path of PFADE a file of a portal is written to: itself, or the first one
    in the same folder with the same extension."""
    p = "/".join(rel)
    if p in PFADE:
        return p
    ext = pathlib.PurePath(p).suffix
    top = "/".join(rel[:2])
    for q in PFADE:
        if q.startswith(top + "/") and q.endswith(ext):
            return q
    return None


def kodieren(files):
    out = b""
    for pfad, data in files:
        data = data[:0xFFFF]
        out += bytes([PFADE.index(pfad)]) + struct.pack("<H", len(data)) + data
    return out


def main():
    for rel, data in entity_files():
        kind = rel[0] if rel[0] in KINDS else None
        if rel[-1].endswith(".md"):
            write("frontmatter", data)
            write("markdown", b"\x00" + body(data))
            write("markdown", b"\x01" + body(data))
        if kind:
            sel = KINDS.index(kind) | (8 if rel[-1].endswith(".md") else 0)
            write("yaml_eintraege", bytes([sel]) + data)
    xss = (ROOT / "tests" / "xss.rs").read_text()
    for m in re.finditer(r'const \w+: &str = r#"(.*?)"#;', xss, re.S):
        payload = m.group(1).encode()
        write("markdown", b"\x00" + payload)
        write("markdown", b"\x01" + payload)
        write("frontmatter", b'---\ntitel: "' + payload.replace(b'"', b"'")[:200] + b'"\n---\n' + payload)
    # Whole portals: each case of the bad-input corpus, and the example's portal.yaml.
    for case in sorted((ROOT / "tests" / "corpus").iterdir()):
        if not case.is_dir():
            continue
        files = []
        for f in sorted(case.rglob("*")):
            if not f.is_file() or f.name == "erwartet.txt":
                continue
            pfad = pfad_fuer(f.relative_to(case).parts)
            if pfad and f.stat().st_size < 64 * 1024:
                files.append((pfad, f.read_bytes()))
        if files:
            write("portal", kodieren(files))
    write("portal", kodieren([("portal.yaml", (ROOT / "portal.yaml").read_bytes())]))
    vorlage = next((ROOT / "content" / "vorlagen").glob("*.md"), None)
    if vorlage:
        write("portal", kodieren([("content/vorlagen/i0264-09.md", vorlage.read_bytes())]))


if __name__ == "__main__":
    main()
