#pragma once
/** Session files for the session tests: whole-file reading and writing, and a session with every field set. */

#include "core/learn/motifs.h"
#include "core/session/session.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

namespace motifscope::test {

inline std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeAll(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

/** A session with every field set to a value different from its default, floats with full mantissas. */
inline Session richSession(const std::string& imagePath, int columns = 7)
{
    Session s;
    s.image.absolutePath = imagePath;
    s.image.path = imagePath;
    s.image.fnv1a64 = "0123456789abcdef";
    s.image.fileSize = 123456789012ULL;
    s.image.width = 2048;
    s.image.height = 1536;
    s.image.dtype = "uint16";
    s.image.calibration = {0.0123456789, 0.0234567891, "nm"};
    s.detection.period = 12.345678901234;
    s.detection.smoothingSigma = 1.2345;
    s.detection.minSeparation = 6.1728394;
    s.detection.threshold = 0.0421;
    s.detection.refine = false;
    s.detection.correctScanJitter = false;
    s.detection.significance = 4.75;
    s.detection.residualPasses = false;
    s.detection.atomicContrastOnly = false;
    s.detection.jointFit = false;
    s.featureParams.nMax = 12;
    s.featureParams.patchSize = 31;
    s.featureParams.normalization = FeatureNormalization::UnitNorm;
    s.patchSizeUsed = 29;
    s.learning.method = ClusterMethod::Gmm;
    s.learning.classes = 5;
    s.learning.k = 17;
    s.learning.epochs = 333;
    s.learning.seed = 0xfedcba9876543210ULL;
    s.learning.metric = KnnMetric::Euclidean;
    s.learning.snapshotEvery = 7;
    s.learning.maxClasses = 11;
    s.refineClasses = false; // not the default, so the round trip shows
    s.learning.segment = {300, 0.0333f, 0.271828f, 0.00731f, 9};
    s.hierarchy.params = {14.5, 9, false, 0.3141, 0.9876, true};
    for (int i = 0; i < columns; ++i) {
        s.columns.columns.push_back({10.0 + i / 3.0, 20.0 + std::sqrt(2.0) * i, 1.0f / float(i + 3), 2.5f + i / 7.0f,
                                     -0.125f / float(i + 1), 1e-7f * float(i), Refinement(i % 3),
                                     i % 3 == 2 ? 0.0123f * float(i) : 0.0f});
        s.columns.classes.push_back(i % 4 - 1);
        s.columns.confidence.push_back(float(i) / float(columns));
        s.columns.edits.push_back(std::uint8_t(i % 8));
    }
    s.columns.columns[0].intensity = -0.0f;
    s.columns.columns[1].width = std::numeric_limits<float>::denorm_min();
    s.featureDimension = 3;
    for (int i = 0; i < columns * 3; ++i)
        s.features.push_back(std::sin(float(i) * 0.7f) / 3.0f);
    for (int i = 0; i < columns * 2; ++i)
        s.embedding.push_back(std::cos(float(i) * 1.3f) * 1e3f);
    for (int m = 0; m < 3; ++m) {
        SessionMotif motif;
        motif.id = m;
        motif.name = m == 1 ? "Se vacancy \xc3\x85" : "motif " + std::to_string(m);
        motif.colour = motifColour(m);
        motif.count = 100 + m;
        motif.patchSize = m == 2 ? 0 : 3;
        for (int p = 0; p < motif.patchSize * motif.patchSize; ++p)
            motif.averagePatch.push_back(float(p) / 9.0f + float(m));
        s.motifs.push_back(motif);
    }
    s.hierarchy.present = true;
    s.hierarchy.route = "polygons";
    s.hierarchy.bondCutoff = 15.25;
    HierarchyLevel l1;
    l1.level = 1;
    l1.motifs.push_back({"L1-0", "hexagon (hollow)", "6:000000", 6, 40, 0.8, {}, {"L2-0"}});
    l1.motifs.push_back({"L1-1", "pentagon (filled)", "5f:00000", 5, 10, 0.2, {}, {"L2-0"}});
    HierarchyLevel l2;
    l2.level = 2;
    l2.motifs.push_back({"L2-0", "hexagon + pentagon", "6|5", 9, 8, 1.0, {"L1-0", "L1-1"}, {}});
    s.hierarchy.levels = {l1, l2};
    for (int i = 0; i < columns; ++i)
        s.hierarchy.columnMotif.push_back(i % 3 - 1);
    s.viewStateJson = R"({"centre":[512.25,300.5],"contrast":[0.1,0.9],"layers":{"columns":true,"labels":false},"zoom":2.5})";
    return s;
}

} // namespace motifscope::test
