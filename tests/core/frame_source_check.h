#pragma once
// FrameSource against readMicrographFrame, for the reader tests' multi-frame files: every frame
// from one FrameSource is the frame readMicrographFrame reads (pixels bit for bit, calibration,
// metadata), a frame past the end and frame -1 give readMicrographFrame's error word for word, and a
// source that holds the file's bytes still gives every frame once the file is gone from disk.
#include "core/io/frame_source.h"

#include <QtTest>

#include <cstring>
#include <filesystem>

namespace motifscope::test {

/** readMicrographFrame(path, index)'s IoError text ("" when it reads the frame). */
inline std::string frameError(const std::string& path, int index)
{
    try {
        readMicrographFrame(path, index);
    } catch (const IoError& e) {
        return e.what();
    }
    return {};
}

/** Checks FrameSource(path) against readMicrographFrame for a file of `frames` frames (see above). */
inline void checkFrameSource(const std::string& path, int frames)
{
    std::vector<Micrograph> expected;
    for (int k = 0; k < frames; ++k)
        expected.push_back(readMicrographFrame(path, k));
    const std::string pastEnd = frameError(path, frames), negative = frameError(path, -1);
    QVERIFY2(pastEnd.rfind(path + ": ", 0) == 0, pastEnd.c_str());
    QVERIFY2(pastEnd.find("frame " + std::to_string(frames)) != std::string::npos, pastEnd.c_str());

    const FrameSource source(path);
    if (source.format() != FileFormat::Tiff) { // the bytes are held: the file is not read again
        QVERIFY(source.heldBytes() >= std::filesystem::file_size(path)); // with a SER file's .emi
        std::filesystem::remove(path);
    }
    for (int k = frames - 1; k >= 0; --k) { // in any order
        const Micrograph m = source.frame(k), &e = expected[std::size_t(k)];
        QCOMPARE(m.frames, frames);
        QCOMPARE(m.width, e.width);
        QCOMPARE(m.height, e.height);
        QCOMPARE(m.pixels.size(), e.pixels.size());
        QVERIFY(std::memcmp(m.pixels.data(), e.pixels.data(), e.pixels.size() * sizeof(float)) == 0);
        QCOMPARE(m.dtype, e.dtype);
        QCOMPARE(m.calibration.pixelSizeX, e.calibration.pixelSizeX);
        QCOMPARE(m.calibration.unit, e.calibration.unit);
        QVERIFY(m.metadata == e.metadata);
    }
    for (const auto& [index, error] : {std::pair{frames, pastEnd}, std::pair{-1, negative}}) {
        try {
            source.frame(index);
            QFAIL(qPrintable(QStringLiteral("frame %1 of %2 was read").arg(index).arg(frames)));
        } catch (const IoError& e) {
            QCOMPARE(std::string(e.what()), error);
        }
    }
}

} // namespace motifscope::test
