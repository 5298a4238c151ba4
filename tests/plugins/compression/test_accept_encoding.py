"""Reading Accept-Encoding: tokens, case, q-values, wildcards and malformed weights."""

import gzip
import random
import zlib

import pytest
from kernel_compression import COMPRESSION_LEVEL, MEMORY_LEVEL, accepts_gzip, gzip_bytes


@pytest.mark.parametrize(
    "value",
    [
        "gzip",
        "GZIP",
        "Gzip",
        "x-gzip",
        "gzip, deflate, br",
        "br;q=1.0, gzip;q=0.8, *;q=0.1",
        "deflate,gzip",
        " gzip ; q=1 ",
        "gzip;Q=0.5",
        "gzip;q=0.001",
        "gzip;q=1.000",
        "gzip;q=1.",
        "gzip;level=9",
        "*",
        "*;q=0.2",
        "identity, *;q=0.5",
        "br, *",
    ],
)
def test_accepted(value):
    assert accepts_gzip(value) is True


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        " ",
        ",,,",
        "identity",
        "br, deflate",
        "compress",
        "gzip;q=0",
        "gzip;q=0.0",
        "gzip;q=0.000",
        "GZIP;Q=0",
        "*;q=0",
        "gzip;q=0, *",
        "*, gzip;q=0",
        "gzip, gzip;q=0",
        "br, *;q=0",
        "gzipx",
        "x-gzipper",
        "gzip-ish",
        "ggzip",
        "gzip;q=abc",
        "gzip;q=",
        "gzip;q=1.5",
        "gzip;q=-1",
        "gzip;q=0.0001",
        "gzip;q=2",
        "*;q=nan",
    ],
)
def test_refused(value):
    assert accepts_gzip(value) is False


def test_surrounding_whitespace_is_not_part_of_the_token():
    assert accepts_gzip("\tgzip\t") is True


def test_gzip_bytes_is_a_deterministic_gzip_member():
    data = b'{"items":[' + b'{"id":1,"name":"x"},' * 50 + b"]}"
    out = gzip_bytes(data)
    assert out[:2] == b"\x1f\x8b"
    assert out[4:8] == b"\x00\x00\x00\x00"  # no timestamp: the same body always compresses the same
    assert gzip.decompress(out) == data
    assert gzip_bytes(data) == out
    assert len(out) < len(data) // 4


@pytest.mark.parametrize("size", [0, 1, 249, 250, 251, 770, 4_980, 7_930, 7_931, 16_000, 32_506, 32_507, 200_000])
def test_gzip_bytes_sized_window_compresses_as_the_full_window_does(size):
    # Bodies of every size around the window steps (a window holds 262 bytes fewer than its size).
    data = bytes(random.Random(size).choice(b'abcde{}:,"0123') for _ in range(size))
    out = gzip_bytes(data)
    full = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16, MEMORY_LEVEL)
    assert out == full.compress(data) + full.flush()
    assert gzip.decompress(out) == data
