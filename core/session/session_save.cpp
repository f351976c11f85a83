#include "core/session/session.h"
#include "core/session/session_codec.h"

#include "core/io/file_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace motifscope {

using session_detail::encodeArray;
namespace fs = std::filesystem;

namespace {

const char* methodName(ClusterMethod m)
{
    switch (m) {
    case ClusterMethod::Gmm:
        return "gmm";
    case ClusterMethod::Kmeans:
        return "kmeans";
    case ClusterMethod::Segment:
        break;
    }
    return "segment";
}

/** A double, or null for NaN (JSON has no NaN; NaN means "automatic" for the detection threshold). */
nlohmann::ordered_json numberOrNull(double v)
{
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json parametersJson(const Session& s)
{
    const DetectionParams& d = s.detection;
    const LearnParams& l = s.learning;
    const HierarchyParams& h = s.hierarchy.params;
    nlohmann::ordered_json p;
    p["detection"] = {{"period", d.period},
                      {"smoothing_sigma", d.smoothingSigma},
                      {"min_separation", d.minSeparation},
                      {"threshold", numberOrNull(d.threshold)},
                      {"refine", d.refine},
                      {"correct_scan_jitter", d.correctScanJitter},
                      {"significance", d.significance},
                      {"residual_passes", d.residualPasses},
                      {"atomic_contrast_only", d.atomicContrastOnly},
                      {"joint_fit", d.jointFit}};
    p["features"] = {{"n_max", s.featureParams.nMax},
                     {"patch_size", s.featureParams.patchSize},
                     {"patch_size_used", s.patchSizeUsed},
                     {"normalization", s.featureParams.normalization == FeatureNormalization::UnitNorm ? "unit_norm" : "none"}};
    p["learning"] = {{"method", methodName(l.method)},
                     {"classes", l.classes},
                     {"k", l.k},
                     {"epochs", l.epochs},
                     {"seed", l.seed},
                     {"refine_classes", s.refineClasses},
                     {"metric", l.metric == KnnMetric::Euclidean ? "euclidean" : "correlation"},
                     {"snapshot_every", l.snapshotEvery},
                     {"max_classes", l.maxClasses},
                     {"segment",
                      {{"grid", l.segment.grid},
                       {"bandwidth", double(l.segment.bandwidth)},
                       {"saddle_ratio", double(l.segment.saddleRatio)},
                       {"min_fraction", double(l.segment.minFraction)},
                       {"min_points", l.segment.minPoints}}}};
    p["hierarchy"] = {{"bond_cutoff", h.bondCutoff},
                      {"max_ring_members", h.maxRingMembers},
                      {"detect_filled", h.detectFilled},
                      {"filled_radius_spread", h.filledRadiusSpread},
                      {"filled_centre_ratio", h.filledCentreRatio},
                      {"count_border_rings", h.countBorderRings}};
    return p;
}

nlohmann::ordered_json columnsJson(const Session& s, const std::string& path)
{
    const std::size_t n = s.columns.size();
    std::vector<double> x(n), y(n);
    std::vector<float> intensity(n), width(n), background(n), residual(n), confidence(n), sigma(n);
    std::vector<std::uint8_t> refinement(n), edits(n);
    std::vector<std::int32_t> motif(n);
    for (std::size_t i = 0; i < n; ++i) {
        const AtomColumn& c = s.columns.columns[i];
        if (!std::isfinite(c.x) || !std::isfinite(c.y))
            throw IoError(path, "cannot save: column " + std::to_string(i) + " has a non-finite position");
        x[i] = c.x;
        y[i] = c.y;
        intensity[i] = c.intensity;
        width[i] = c.width;
        background[i] = c.background;
        residual[i] = c.residual;
        sigma[i] = std::isfinite(c.positionSigma) ? std::max(0.0f, c.positionSigma) : 0.0f;
        refinement[i] = std::uint8_t(c.refinement);
        motif[i] = s.columns.classOf(i);
        confidence[i] = s.columns.confidenceOf(i);
        edits[i] = s.columns.editsOf(i);
    }
    nlohmann::ordered_json j;
    j["count"] = n;
    j["x"] = encodeArray(x);
    j["y"] = encodeArray(y);
    j["intensity"] = encodeArray(intensity);
    j["width"] = encodeArray(width);
    j["background"] = encodeArray(background);
    j["residual"] = encodeArray(residual);
    j["refinement"] = encodeArray(refinement);
    j["motif"] = encodeArray(motif);
    j["confidence"] = encodeArray(confidence);
    j["edits"] = encodeArray(edits);
    j["position_sigma"] = encodeArray(sigma);
    return j;
}

nlohmann::ordered_json hierarchyJson(const SessionHierarchy& h)
{
    if (!h.present)
        return nullptr;
    nlohmann::ordered_json j;
    j["route"] = h.route;
    j["bond_cutoff"] = h.bondCutoff;
    nlohmann::ordered_json levels = nlohmann::ordered_json::array();
    for (const HierarchyLevel& level : h.levels) {
        nlohmann::ordered_json motifs = nlohmann::ordered_json::array();
        for (const MotifNode& m : level.motifs)
            motifs.push_back({{"id", m.id},
                              {"name", m.name},
                              {"canonical", m.canonical},
                              {"members", m.members},
                              {"count", m.count},
                              {"fraction", m.fraction},
                              {"children", m.children},
                              {"parents", m.parents}});
        levels.push_back({{"level", level.level}, {"motifs", std::move(motifs)}});
    }
    j["levels"] = std::move(levels);
    j["column_motif"] = encodeArray(std::vector<std::int32_t>(h.columnMotif.begin(), h.columnMotif.end()));
    return j;
}

/** Image path relative to the session's folder (generic separators), or `fallback` when none exists. */
std::string relativeImagePath(const SessionImageRef& ref, const std::string& sessionPath)
{
    if (ref.absolutePath.empty())
        return ref.path;
    std::error_code ec;
    const fs::path sessionDir = fs::weakly_canonical(fs::absolute(sessionPath, ec), ec).parent_path();
    const fs::path image = fs::weakly_canonical(fs::path(ref.absolutePath), ec);
    if (ec)
        return ref.absolutePath;
    const fs::path rel = image.lexically_relative(sessionDir);
    return rel.empty() ? ref.absolutePath : rel.generic_string();
}

/** Writes `bytes` to a temporary sibling, fsyncs it, renames it over `path` and fsyncs the folder. */
void writeDurably(const std::string& path, const std::string& bytes)
{
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    const std::string temp = (dir / ("." + target.filename().string() + ".tmp" + std::to_string(::getpid()))).string();
    removeStaleTemporaries(path); // killed writers' leftovers (other, dead processes)
    ::unlink(temp.c_str()); // a stale temporary of ours from a crash; a directory in its way stays and fails below
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw IoError(path, "cannot create temporary file " + temp + ": " + std::strerror(errno)
                                + " (the previous file is unchanged)");
    auto fail = [&](const std::string& what) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        ::unlink(temp.c_str());
        throw IoError(path, what + ": " + reason + " (the previous file is unchanged)");
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            fail("write failed");
        done += std::size_t(w);
    }
    if (::fsync(fd) != 0)
        fail("fsync failed");
    if (::close(fd) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        throw IoError(path, "close failed: " + reason + " (the previous file is unchanged)");
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temp.c_str());
        throw IoError(path, "cannot replace the file: " + reason + " (the previous file is unchanged)");
    }
    const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) { // make the rename itself durable; best effort
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

} // namespace

std::string sessionToJsonText(const Session& s, const std::string& path)
{
    const std::size_t n = s.columns.size();
    if (s.featureDimension < 0 || s.features.size() != (s.features.empty() ? 0 : n * std::size_t(s.featureDimension)))
        throw IoError(path, "cannot save: features hold " + std::to_string(s.features.size()) + " values, expected "
                                + std::to_string(n) + " x " + std::to_string(s.featureDimension));
    if (!s.embedding.empty() && s.embedding.size() != 2 * n)
        throw IoError(path, "cannot save: embedding holds " + std::to_string(s.embedding.size())
                                + " values, expected 2 x " + std::to_string(n));
    if (!s.hierarchy.columnMotif.empty() && s.hierarchy.columnMotif.size() != n)
        throw IoError(path, "cannot save: hierarchy column motifs do not match the columns in number");
    nlohmann::ordered_json view;
    try {
        view = nlohmann::ordered_json::parse(s.viewStateJson.empty() ? std::string("{}") : s.viewStateJson);
    } catch (const nlohmann::json::exception&) {
        throw IoError(path, "cannot save: view state is not valid JSON");
    }
    if (!view.is_object())
        throw IoError(path, "cannot save: view state must be a JSON object");

    nlohmann::ordered_json root;
    root["format"] = kSessionFormatName;
    root["version"] = kSessionFormatVersion;
    const SessionImageRef& im = s.image;
    root["image"] = {{"path", relativeImagePath(im, path)},
                     {"absolute_path", im.absolutePath},
                     {"fnv1a64", im.fnv1a64},
                     {"file_size", im.fileSize},
                     {"width", im.width},
                     {"height", im.height},
                     {"dtype", im.dtype},
                     {"pixel_size", {im.calibration.pixelSizeX, im.calibration.pixelSizeY}},
                     {"unit", im.calibration.unit}};
    root["parameters"] = parametersJson(s);
    root["columns"] = columnsJson(s, path);
    root["features"] = {{"dimension", s.featureDimension}, {"values", encodeArray(s.features)}};
    root["embedding"] = encodeArray(s.embedding);
    nlohmann::ordered_json motifs = nlohmann::ordered_json::array();
    for (const SessionMotif& m : s.motifs) {
        if (m.patchSize < 0 || m.averagePatch.size() != std::size_t(m.patchSize) * std::size_t(m.patchSize))
            throw IoError(path, "cannot save: motif " + std::to_string(m.id) + " has an average patch of the wrong size");
        motifs.push_back({{"id", m.id},
                          {"name", m.name},
                          {"colour", m.colour},
                          {"count", m.count},
                          {"patch_size", m.patchSize},
                          {"average", encodeArray(m.averagePatch)}});
    }
    root["motifs"] = std::move(motifs);
    root["hierarchy"] = hierarchyJson(s.hierarchy);
    root["view_state"] = std::move(view);
    try {
        return root.dump(1) + "\n";
    } catch (const nlohmann::json::exception& e) { // invalid UTF-8 in a name
        throw IoError(path, std::string("cannot save: ") + e.what());
    }
}

void saveSession(const Session& session, const std::string& path)
{
    std::string text;
    try {
        text = sessionToJsonText(session, path);
    } catch (const std::bad_alloc&) {
        throw IoError(path, "cannot save: out of memory");
    }
    writeDurably(path, text);
}

std::string recoveryPathFor(const std::string& sessionPath)
{
    const fs::path p(sessionPath);
    return (p.parent_path() / ("." + p.filename().string() + ".recovery")).string();
}

std::string resolveSessionImage(const Session& session, const std::string& sessionPath)
{
    std::error_code ec;
    const fs::path rel(session.image.path);
    if (!rel.empty()) {
        const fs::path candidate = rel.is_absolute() ? rel : fs::absolute(sessionPath, ec).parent_path() / rel;
        if (!ec && fs::is_regular_file(candidate, ec))
            return candidate.lexically_normal().string();
    }
    if (!session.image.absolutePath.empty() && fs::is_regular_file(session.image.absolutePath, ec))
        return session.image.absolutePath;
    return {};
}

std::string hashFileFnv1a64(const std::string& path, std::uint64_t* size)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path, "cannot open for reading");
    std::uint64_t hash = session_detail::kFnvOffset, total = 0;
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        const std::size_t got = std::size_t(in.gcount());
        hash = session_detail::fnv1a64(buffer.data(), got, hash);
        total += got;
    }
    if (in.bad())
        throw IoError(path, "read failed");
    if (size)
        *size = total;
    return session_detail::hex64(hash);
}

SessionImageRef makeImageRef(const std::string& imagePath, const Micrograph& image)
{
    SessionImageRef ref;
    std::error_code ec;
    ref.absolutePath = fs::weakly_canonical(fs::absolute(imagePath, ec), ec).string();
    ref.path = ref.absolutePath;
    ref.fnv1a64 = hashFileFnv1a64(imagePath, &ref.fileSize);
    ref.width = image.width;
    ref.height = image.height;
    ref.dtype = image.dtype;
    ref.calibration = image.calibration;
    return ref;
}

std::string imageMismatch(const SessionImageRef& ref, const std::string& imagePath)
{
    std::uint64_t size = 0;
    std::string hash;
    try {
        hash = hashFileFnv1a64(imagePath, &size);
    } catch (const IoError& e) {
        return e.problem();
    }
    if (size != ref.fileSize)
        return "the image file has changed: " + std::to_string(size) + " bytes, the session expects "
            + std::to_string(ref.fileSize);
    if (hash != ref.fnv1a64)
        return "the image file has changed: its FNV-1a hash differs from the one in the session";
    return {};
}

} // namespace motifscope
