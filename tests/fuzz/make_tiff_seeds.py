#!/usr/bin/python3
"""Writes small valid TIFF files into a folder: the fuzz_tiff target's seed corpus.

Every pixel type the TIFF reader knows (unsigned and signed 8/16/32/64-bit integers, float16/32/64,
complex64/128, 1-bit, RGB 8/16-bit contiguous and planar), stripped and tiled, uncompressed,
PackBits and Deflate (with and without the horizontal predictor), several pages, BigTIFF, both
byte orders, MinIsWhite, and the calibration sources (resolution tags, an ImageJ description).
Written byte by byte (standard library only), so libtiff reads what the TIFF 6.0 / BigTIFF
specifications say rather than what another writer chose.

    tests/fuzz/make_tiff_seeds.py OUTPUT_DIR
"""
import math
import os
import struct
import sys
import zlib

# TIFF field types: (code, struct letter, size)
SHORT, LONG, RATIONAL, ASCII, LONG8 = 3, 4, 5, 2, 16
TYPE_SIZE = {2: 1, 3: 2, 4: 4, 5: 8, 16: 8}

# Sample formats
UINT, INT, IEEEFP, COMPLEXIEEEFP = 1, 2, 3, 6


def pixel_values(width, height, samples):
    """A smooth pattern with structure (a lattice of bright spots) in 0..1."""
    values = []
    for y in range(height):
        for x in range(width):
            v = 0.5 + 0.25 * math.cos(x * 1.3) * math.cos(y * 1.1) + 0.2 * ((x + 2 * y) % 5) / 5
            values.extend([v] * samples)
    return values


def pack_samples(values, bits, fmt, order):
    """Packs values in 0..1 as the given sample type."""
    if bits == 1:  # one bit per pixel, rows padded to whole bytes by the caller (width % 8 == 0)
        out = bytearray()
        for i in range(0, len(values), 8):
            byte = 0
            for j, v in enumerate(values[i:i + 8]):
                byte |= (v > 0.5) << (7 - j)
            out.append(byte)
        return bytes(out)
    if fmt == COMPLEXIEEEFP:
        letter = "f" if bits == 64 else "d"
        return b"".join(struct.pack(order + letter * 2, v, 1.0 - v) for v in values)
    if fmt == IEEEFP:
        letter = {16: "e", 32: "f", 64: "d"}[bits]
        return struct.pack(order + letter * len(values), *[v * 100 - 20 for v in values])
    letter = {8: "b", 16: "h", 32: "i", 64: "q"}[bits]
    if fmt == UINT:
        letter = letter.upper()
        top = (1 << bits) - 1
        return struct.pack(order + letter * len(values), *[int(v * top) for v in values])
    top = (1 << (bits - 1)) - 1
    return struct.pack(order + letter * len(values), *[int((v - 0.5) * 2 * top) for v in values])


def packbits(data):
    """PackBits: literal runs only (valid, simple)."""
    out = bytearray()
    for i in range(0, len(data), 128):
        chunk = data[i:i + 128]
        out.append(len(chunk) - 1)
        out += chunk
    return bytes(out)


def horizontal_difference(row, bytes_per_sample, samples, order):
    """The horizontal predictor (2) for integer samples of 8 or 16 bits."""
    if bytes_per_sample == 1:
        out = bytearray(row)
        for i in range(len(row) - 1, samples - 1, -1):
            out[i] = (row[i] - row[i - samples]) & 0xFF
        return bytes(out)
    n = len(row) // 2
    vals = list(struct.unpack(order + "H" * n, row))
    diff = vals[:samples] + [(vals[i] - vals[i - samples]) & 0xFFFF for i in range(samples, n)]
    return struct.pack(order + "H" * n, *diff)


def compress(block, compression):
    if compression == 1:
        return block
    if compression == 8:
        return zlib.compress(block, 6)
    if compression == 32773:
        return packbits(block)
    raise ValueError(compression)


class Page:
    """One image file directory's image: pixel bytes cut into strips or tiles."""

    def __init__(self, width=24, height=20, bits=16, fmt=UINT, samples=1, photometric=1, planar=1,
                 compression=1, predictor=1, tile=None, rows_per_strip=6, extra_tags=None):
        self.__dict__.update(locals())
        del self.__dict__["self"]
        self.extra_tags = extra_tags or []

    def blocks(self, order):
        bps = max(self.bits // 8, 1)
        planes = self.samples if self.planar == 2 else 1
        per_pixel = 1 if self.planar == 2 else self.samples
        blocks = []
        for plane in range(planes):
            values = pixel_values(self.width, self.height, self.samples)
            if self.planar == 2:
                values = values[plane::self.samples]
            data = pack_samples(values, self.bits, self.fmt, order)
            row_bytes = (self.width * per_pixel * self.bits + 7) // 8
            rows = [data[y * row_bytes:(y + 1) * row_bytes] for y in range(self.height)]
            predict = (lambda r: horizontal_difference(r, bps, per_pixel, order)) if self.predictor == 2 else bytes
            if self.tile:
                tw, th = self.tile
                tile_row_bytes = tw * per_pixel * bps
                for ty in range(0, self.height, th):
                    for tx in range(0, self.width, tw):
                        tile = bytearray()
                        for y in range(ty, ty + th):
                            src = rows[y][tx * per_pixel * bps:(tx + tw) * per_pixel * bps] if y < self.height else b""
                            tile += predict(src + bytes(tile_row_bytes - len(src)))  # tiles are padded
                        blocks.append(compress(bytes(tile), self.compression))
            else:
                for y in range(0, self.height, self.rows_per_strip):
                    strip = b"".join(predict(r) for r in rows[y:y + self.rows_per_strip])
                    blocks.append(compress(strip, self.compression))
        return blocks

    def tags(self, offsets, counts, big):
        offset_type = LONG8 if big else LONG
        t = [(256, LONG, [self.width]), (257, LONG, [self.height]),
             (258, SHORT, [self.bits] * self.samples), (259, SHORT, [self.compression]),
             (262, SHORT, [self.photometric]), (277, SHORT, [self.samples]),
             (284, SHORT, [self.planar]), (339, SHORT, [self.fmt] * self.samples)]
        if self.predictor != 1:
            t.append((317, SHORT, [self.predictor]))
        if self.tile:
            t += [(322, LONG, [self.tile[0]]), (323, LONG, [self.tile[1]]),
                  (324, offset_type, offsets), (325, offset_type, counts)]
        else:
            t += [(273, offset_type, offsets), (278, LONG, [self.rows_per_strip]), (279, offset_type, counts)]
        return t + self.extra_tags


def write_tiff(path, pages, big=False, order="<"):
    """Pixel data first, then each page's directory; values that do not fit in a tag go after it."""
    out = bytearray(16 if big else 8)
    page_blocks = [p.blocks(order) for p in pages]
    page_offsets = []
    for blocks in page_blocks:
        offsets = []
        for b in blocks:
            offsets.append(len(out))
            out += b
            if len(out) % 2:
                out.append(0)
        page_offsets.append(offsets)
    entry_size, count_letter, inline = (20, "Q", 8) if big else (12, "I", 4)
    ifd_positions = []
    next_pointer_at = None
    for page, blocks, offsets in zip(pages, page_blocks, page_offsets):
        tags = sorted(page.tags(offsets, [len(b) for b in blocks], big), key=lambda t: t[0])
        ifd_at = len(out)
        ifd_positions.append(ifd_at)
        if next_pointer_at is not None:
            struct.pack_into(order + count_letter, out, next_pointer_at, ifd_at)
        head = struct.pack(order + ("Q" if big else "H"), len(tags))
        table_size = len(head) + entry_size * len(tags) + (8 if big else 4)
        extra_at = ifd_at + table_size
        entries, extra = bytearray(), bytearray()
        for code, kind, values in tags:
            if kind == ASCII:
                payload = values.encode("latin-1") + b"\0"
                count = len(payload)
            elif kind == RATIONAL:
                payload = b"".join(struct.pack(order + "II", n, d) for n, d in values)
                count = len(values)
            else:
                letter = {SHORT: "H", LONG: "I", LONG8: "Q"}[kind]
                payload = struct.pack(order + letter * len(values), *values)
                count = len(values)
            entry = struct.pack(order + "HH" + count_letter, code, kind, count)
            if len(payload) <= inline:
                entry += payload + bytes(inline - len(payload))
            else:
                entry += struct.pack(order + count_letter, extra_at + len(extra))
                extra += payload + (b"\0" if len(payload) % 2 else b"")
            entries += entry
        out += head + entries
        next_pointer_at = len(out)
        out += bytes(8 if big else 4)
        out += extra
    if big:
        out[0:16] = (b"II" if order == "<" else b"MM") + struct.pack(order + "HHHQ", 43, 8, 0, ifd_positions[0])
    else:
        out[0:8] = (b"II" if order == "<" else b"MM") + struct.pack(order + "HI", 42, ifd_positions[0])
    with open(path, "wb") as f:
        f.write(out)


def seeds():
    """(name, pages, bigtiff, byte order)"""
    types = [(8, UINT), (8, INT), (16, UINT), (16, INT), (32, UINT), (32, INT), (64, UINT), (64, INT),
             (16, IEEEFP), (32, IEEEFP), (64, IEEEFP), (64, COMPLEXIEEEFP), (128, COMPLEXIEEEFP)]
    names = {UINT: "uint", INT: "int", IEEEFP: "float", COMPLEXIEEEFP: "complex"}
    for bits, fmt in types:
        name = f"{names[fmt]}{bits}"
        yield f"{name}_strips", [Page(bits=bits, fmt=fmt)], False, "<"
        yield f"{name}_tiles", [Page(bits=bits, fmt=fmt, tile=(16, 16))], False, "<"
        yield f"{name}_strips_be", [Page(bits=bits, fmt=fmt)], False, ">"
        yield f"{name}_bigtiff", [Page(bits=bits, fmt=fmt)], True, "<"
        yield f"{name}_deflate", [Page(bits=bits, fmt=fmt, compression=8)], False, "<"
    yield "bilevel", [Page(width=24, bits=1, fmt=UINT)], False, "<"
    yield "uint8_miniswhite", [Page(bits=8, photometric=0)], False, "<"
    yield "uint8_packbits", [Page(bits=8, compression=32773)], False, "<"
    yield "uint16_packbits_tiles", [Page(bits=16, compression=32773, tile=(16, 16))], False, ">"
    yield "uint8_deflate_predictor", [Page(bits=8, compression=8, predictor=2)], False, "<"
    yield "uint16_deflate_predictor_tiles", [Page(bits=16, compression=8, predictor=2, tile=(16, 16))], False, "<"
    yield "float32_deflate_tiles_bigtiff", [Page(bits=32, fmt=IEEEFP, compression=8, tile=(16, 16))], True, "<"
    yield "rgb8", [Page(bits=8, samples=3, photometric=2)], False, "<"
    yield "rgb16_tiles", [Page(bits=16, samples=3, photometric=2, tile=(16, 16))], False, ">"
    yield "rgb8_planar", [Page(bits=8, samples=3, photometric=2, planar=2)], False, "<"
    yield "gray_alpha8", [Page(bits=8, samples=2, extra_tags=[(338, SHORT, [2])])], False, "<"
    stack = [Page(bits=16), Page(bits=16, compression=8), Page(bits=16, tile=(16, 16))]
    yield "uint16_three_pages", stack, False, "<"
    yield "float32_three_pages_bigtiff", [Page(bits=32, fmt=IEEEFP) for _ in range(3)], True, ">"
    # Calibration: resolution tags in centimetres, and an ImageJ description with a unit.
    yield "uint16_resolution_cm", [Page(bits=16, extra_tags=[
        (282, RATIONAL, [(5000000, 1)]), (283, RATIONAL, [(5000000, 1)]), (296, SHORT, [3])])], False, "<"
    imagej = "ImageJ=1.53t\nimages=2\nslices=2\nunit=nm\nspacing=0.05\nloop=false\n"
    yield "float32_imagej_nm", [Page(bits=32, fmt=IEEEFP, extra_tags=[
        (270, ASCII, imagej), (282, RATIONAL, [(20, 1)]), (283, RATIONAL, [(20, 1)])]),
        Page(bits=32, fmt=IEEEFP)], False, ">"
    yield "uint8_description", [Page(bits=8, extra_tags=[(270, ASCII, "pixel size 0.1 nm")])], False, "<"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_tiff_seeds.py OUTPUT_DIR")
    os.makedirs(sys.argv[1], exist_ok=True)
    count = 0
    for name, pages, big, order in seeds():
        write_tiff(os.path.join(sys.argv[1], f"seed_{name}.tif"), pages, big, order)
        count += 1
    print(f"make_tiff_seeds: {count} files in {sys.argv[1]}")


if __name__ == "__main__":
    main()
