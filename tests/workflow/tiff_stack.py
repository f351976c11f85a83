#!/usr/bin/env python3
"""tiff_stack.py IN.tif... OUT.tif: the pages of classic (not Big-) TIFF files as one multi-page TIFF,
each page's bytes and tags unchanged (offsets moved). For the workflow test: no TIFF library needed."""
import struct
import sys

TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
OFFSET_TAGS = {273, 324}  # StripOffsets, TileOffsets: values that point into the file


def relocate(data, shift):
    """`data` (one TIFF, little-endian) with every offset moved by `shift`; also the last IFD's position."""
    if data[:4] != b"II*\0":
        raise SystemExit("tiff_stack.py: only little-endian classic TIFF files")
    out = bytearray(data)
    first = struct.unpack_from("<I", data, 4)[0]
    offset, last = first, None
    while offset:
        count = struct.unpack_from("<H", data, offset)[0]
        for i in range(count):
            at = offset + 2 + 12 * i
            tag, kind, n = struct.unpack_from("<HHI", data, at)
            size = TYPE_SIZES.get(kind, 1) * n
            values = at + 8
            if size > 4:  # the value is elsewhere: move the pointer
                values = struct.unpack_from("<I", data, at + 8)[0]
                struct.pack_into("<I", out, at + 8, values + shift)
            if tag in OFFSET_TAGS:
                fmt = "<H" if kind == 3 else "<I"
                step = 2 if kind == 3 else 4
                for k in range(n):
                    v = struct.unpack_from(fmt, data, values + k * step)[0]
                    struct.pack_into(fmt, out, values + k * step, v + shift)
        next_at = offset + 2 + 12 * count
        nxt = struct.unpack_from("<I", data, next_at)[0]
        if nxt:
            struct.pack_into("<I", out, next_at, nxt + shift)
        last, offset = next_at, nxt
    return out, first + shift, last + shift


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    stack = bytearray()
    previous_next = None
    for path in argv[1:-1]:
        with open(path, "rb") as f:
            data = f.read()
        if stack and len(stack) % 2:
            stack += b"\0"  # IFDs start on a word boundary
        shift = len(stack)
        moved, first_ifd, last_next = relocate(data, shift)
        if previous_next is None:
            stack += moved
        else:
            stack += moved
            struct.pack_into("<I", stack, previous_next, first_ifd)
        previous_next = last_next
    with open(argv[-1], "wb") as f:
        f.write(stack)


if __name__ == "__main__":
    main(sys.argv)
