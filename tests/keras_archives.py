"""Keras configs and .keras archives made at test time, hostile ones included (duplicate members, bad CRC-32s, names
outside the archive, directories larger than the file, zip64 end records, inflation bombs), shared by the tests
that compare the calculator page with the command line."""

from __future__ import annotations

import io
import json
import struct
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any


def tensor(ref: str, index: int = 0) -> dict[str, Any]:
    """A serialised Keras tensor reading ``ref`` ("name" or "name#k", a shared layer's k-th call)."""
    source, _, node = ref.partition("#")
    return {"class_name": "__keras_tensor__",
            "config": {"shape": None, "dtype": "float32", "keras_history": [source, int(node or 0), index]}}


def layer(class_name: str, name: Any, calls: list[list[str]], module: str = "keras.layers",
          **config: Any) -> dict[str, Any]:
    """A Functional layer entry: each call reads the listed outputs."""
    return {"module": module, "class_name": class_name, "config": {"name": name, **config},
            "inbound_nodes": [{"args": [tensor(ref) for ref in call] if len(call) > 1 else [tensor(call[0])],
                               "kwargs": {}} for call in calls]}


def dense(name: str, calls: list[list[str]], units: int = 3) -> dict[str, Any]:
    """A Dense layer entry (3 units: it can read its own output)."""
    return layer("Dense", name, calls, units=units, activation="relu", use_bias=True)


def functional(layers: list[dict[str, Any]], shape: list[Any] | None = None) -> dict[str, Any]:
    """A Functional model config: an input called ``x`` of ``shape`` (batch first), then ``layers``."""
    entry = {"module": "keras.layers", "class_name": "InputLayer",
             "config": {"name": "x", "batch_shape": shape or [None, 4, 4, 3]}, "inbound_nodes": []}
    return {"module": "keras", "class_name": "Functional",
            "config": {"name": "graph", "layers": [entry, *layers], "input_layers": ["x", 0, 0],
                       "output_layers": [layers[-1]["config"]["name"], 0, 0] if layers else []}}


def keras_archive(path: Path, config: Any = None, config_bytes: bytes | None = None, members: int = 0) -> Path:
    """Write a .keras-like zip: the given config.json (or raw bytes), plus ``members`` empty extra files."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("config.json", config_bytes if config_bytes is not None else json.dumps(config))
        for i in range(members):
            archive.writestr(f"extra/{i}.bin", b"")
    return path


def archive_of(path: Path, members: list[tuple[str, bytes]]) -> Path:
    """Write a zip of ``members`` in this order, duplicate names kept (zipfile reads the last one)."""
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # "Duplicate name": the point
        for name, data in members:
            archive.writestr(name, data)
    return path


def entry_offsets(data: bytes) -> dict[str, int]:
    """Where each central directory entry starts, by name (the last of a name)."""
    end = data.rfind(b"PK\x05\x06")
    size, offset = struct.unpack("<II", data[end + 12 : end + 20])
    found, at = {}, offset
    while at < offset + size:
        name_size, extra_size, comment_size = struct.unpack("<HHH", data[at + 28 : at + 34])
        found[data[at + 46 : at + 46 + name_size].decode()] = at
        at += 46 + name_size + extra_size + comment_size
    return found


def with_bad_crc(path: Path, config: Any) -> Path:
    """A .keras whose config.json's CRC-32 in the central directory is off by one."""
    data = bytearray(keras_archive(path, config).read_bytes())
    at = entry_offsets(bytes(data))["config.json"] + 16
    data[at : at + 4] = struct.pack("<I", (struct.unpack("<I", data[at : at + 4])[0] + 1) & 0xFFFFFFFF)
    path.write_bytes(bytes(data))
    return path


def with_directory_size(path: Path, config: Any, size: int) -> Path:
    """A .keras whose end record declares a central directory of ``size`` bytes."""
    data = bytearray(keras_archive(path, config).read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 12 : end + 16] = struct.pack("<I", size)
    path.write_bytes(bytes(data))
    return path


def with_zip64_end(path: Path, config: Any) -> Path:
    """A .keras whose real numbers are in a zip64 end record (the plain one says 0xFFFF and 0xFFFFFFFF)."""
    data = keras_archive(path, config).read_bytes()
    end = data.rfind(b"PK\x05\x06")
    count, size, offset = struct.unpack("<HII", data[end + 10 : end + 20])
    record = b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, count, count, size, offset)
    locator = b"PK\x06\x07" + struct.pack("<IQI", 0, end, 1)
    plain = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path.write_bytes(data[:end] + record + locator + plain)
    return path


def archive_with_directory(path: Path, entries: int, declared: int, zip64_offset: int | None = None) -> Path:
    """Write a .keras whose central directory holds ``entries`` copies of one entry while its end record declares
    ``declared``; with ``zip64_offset``, a zip64 locator pointing there (and no zip64 record) before the end record."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", "{}")
    data = buffer.getvalue()
    end = data.rfind(b"PK\x05\x06")
    size, offset = struct.unpack("<II", data[end + 12 : end + 20])
    body, directory = data[:offset], data[offset : offset + size] * entries
    count = min(declared, 0xFFFF)
    record = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, count, count, len(directory), len(body), 0)
    locator = b"" if zip64_offset is None else b"PK\x06\x07" + struct.pack("<IQI", 0, zip64_offset, 1)
    path.write_bytes(body + directory + locator + record)
    return path


def spaces_crc32(count: int) -> int:
    """Return the CRC-32 of ``count`` spaces, 16 MiB at a time (not a 4 GiB string for a header that declares it)."""
    chunk, crc = b" " * (1 << 24), 0
    while count:
        size = min(count, len(chunk))
        crc = zlib.crc32(chunk if size == len(chunk) else chunk[:size], crc)
        count -= size
    return crc


def deflate_bomb(path: Path, inflated: int, declared: int) -> Path:
    """A .keras whose config.json says it is ``declared`` bytes but inflates to ``inflated`` spaces."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (1 << 20)
    parts = [packer.compress(chunk) for _ in range(inflated // len(chunk))]
    packed = b"".join(parts) + packer.flush()
    name = b"config.json"
    crc = spaces_crc32(declared)  # what the first ``declared`` bytes would need: the rest is the bomb
    local = b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0, crc, len(packed), declared, len(name), 0)
    central = b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", 20, 20, 0, 8, 0, 0, crc, len(packed), declared,
                                          len(name), 0, 0, 0, 0, 0, 0)
    body = local + name + packed
    directory = central + name
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(directory), len(body), 0)
    path.write_bytes(body + directory + end)
    return path


def patched(path: Path, config: Any, change: Any, stored: bool = False) -> Path:
    """A .keras (config.json stored or deflated) changed by ``change(data, central, local)``, where ``central`` and
    ``local`` are where config.json's directory entry and local header start; it returns the new bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.json", "{}")
        archive.writestr("config.json", json.dumps(config))
    data = bytearray(path.read_bytes())
    central = entry_offsets(bytes(data))["config.json"]
    local = struct.unpack("<I", data[central + 42 : central + 46])[0]
    path.write_bytes(bytes(change(data, central, local)))
    return path


def mutated_archives(folder: Path, config: Any, count: int, seed: int) -> list[Path]:
    """.keras files (config.json deflated or stored) with one or two bytes changed in the end record, config.json's
    directory entry, its local header and data, or the first member's header."""
    import random

    rng = random.Random(seed)
    bases = [keras_archive(folder / "deflated.keras", config).read_bytes()]
    with zipfile.ZipFile(folder / "stored.keras", "w") as archive:
        archive.writestr("metadata.json", "{}")
        archive.writestr("config.json", json.dumps(config))
    bases.append((folder / "stored.keras").read_bytes())
    paths = []
    for i in range(count):
        data = bytearray(rng.choice(bases))
        end = data.rfind(b"PK\x05\x06")
        central = entry_offsets(bytes(data))["config.json"]
        local = struct.unpack("<I", data[central + 42 : central + 46])[0]
        start, stop = rng.choice([(end, len(data)), (central, central + 57), (0, 60), (local, local + 41),
                                  (local + 41, local + 200)])
        for _ in range(rng.choice([1, 2])):
            data[rng.randrange(start, stop)] = rng.randrange(256)
        paths.append(folder / f"mutated-{i}.keras")
        paths[-1].write_bytes(bytes(data))
    return paths
