"""Reading Accept-Encoding: tokens, case, q-values, wildcards and malformed weights."""

import gzip
import random
import zlib

import pytest
from kernel_compression import accepts_gzip, gzip_bytes


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


@pytest.mark.parametrize("size", [0, 1, 250, 4_980, 32_507, 200_000])
@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_gzip_bytes_is_read_back_by_any_gzip_reader_at_every_level(size, level):
    data = bytes(random.Random(size).choice(b'abcde{}:,"0123') for _ in range(size))
    out = gzip_bytes(data, level)
    assert out[:4] == b"\x1f\x8b\x08\x00"  # gzip, deflate, no file name
    assert gzip.decompress(out) == data
    assert zlib.decompress(out, zlib.MAX_WBITS | 16) == data


def test_gzip_bytes_levels_are_isa_l_s():
    with pytest.raises(ValueError, match="gzip level 9 is not one of ISA-L's, 0 to 3"):
        gzip_bytes(b"{}", 9)


def test_gzip_bytes_at_the_default_level_is_about_as_small_as_zlib_s_fastest():
    data = b"[" + b",".join(b'{"id":%d,"name":"item-%d","tags":["new","popular"]}' % (i, i) for i in range(300)) + b"]"
    zlib_fastest = zlib.compressobj(1, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    assert len(gzip_bytes(data)) <= 1.05 * len(zlib_fastest.compress(data) + zlib_fastest.flush())
