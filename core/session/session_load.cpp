#include "core/learn/cluster_method_name.h"
#include "core/session/session.h"
#include "core/session/session_codec.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>

namespace motifscope {

namespace {

using nlohmann::json;

/** Largest session file read (bytes). */
constexpr std::uintmax_t kMaxSessionBytes = std::uintmax_t(4) << 30;
/** Deepest JSON nesting accepted (the format needs 6). */
constexpr int kMaxDepth = 64;

/** Typed access to the JSON tree; every failure is an IoError naming the file and the key. */
class Fields
{
public:
    explicit Fields(std::string file) : mFile(std::move(file)) {}

    [[noreturn]] void fail(const std::string& problem) const { throw IoError(mFile, problem); }

    /** Whether an optional key (added after version 1 first shipped) is present. */
    static bool has(const json& obj, const char* key) { return obj.is_object() && obj.contains(key); }

    const json& member(const json& obj, const char* key, const std::string& where) const
    {
        if (!obj.is_object())
            fail(where + " is not an object");
        const auto it = obj.find(key);
        if (it == obj.end())
            fail("missing " + where + "." + key);
        return *it;
    }
    double number(const json& obj, const char* key, const std::string& where, bool allowNull = false) const
    {
        const json& v = member(obj, key, where);
        if (allowNull && v.is_null())
            return std::numeric_limits<double>::quiet_NaN();
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            fail(where + "." + key + " must be a finite number");
        return v.get<double>();
    }
    long long integer(const json& obj, const char* key, const std::string& where, long long lo, long long hi) const
    {
        const json& v = member(obj, key, where);
        if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(hi))
            || v.get<long long>() < lo || v.get<long long>() > hi)
            fail(where + "." + key + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
        return v.get<long long>();
    }
    std::uint64_t unsignedInteger(const json& obj, const char* key, const std::string& where) const
    {
        const json& v = member(obj, key, where);
        if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<long long>() >= 0))
            fail(where + "." + key + " must be a non-negative whole number");
        return v.get<std::uint64_t>();
    }
    bool boolean(const json& obj, const char* key, const std::string& where) const
    {
        const json& v = member(obj, key, where);
        if (!v.is_boolean())
            fail(where + "." + key + " must be true or false");
        return v.get<bool>();
    }
    std::string text(const json& obj, const char* key, const std::string& where) const
    {
        const json& v = member(obj, key, where);
        if (!v.is_string())
            fail(where + "." + key + " must be a string");
        return v.get<std::string>();
    }
    std::vector<std::string> texts(const json& obj, const char* key, const std::string& where) const
    {
        const json& v = member(obj, key, where);
        std::vector<std::string> out;
        if (!v.is_array())
            fail(where + "." + key + " must be an array of strings");
        for (const json& e : v) {
            if (!e.is_string())
                fail(where + "." + key + " must be an array of strings");
            out.push_back(e.get<std::string>());
        }
        return out;
    }
    template <typename T>
    std::vector<T> array(const json& obj, const char* key, const std::string& where, long long expected) const
    {
        std::vector<T> out;
        std::string problem;
        if (!session_detail::decodeArray(member(obj, key, where), expected, out, problem))
            fail(where + "." + key + " " + problem);
        return out;
    }
    template <typename T> void requireFinite(const std::vector<T>& v, const std::string& what) const
    {
        for (std::size_t i = 0; i < v.size(); ++i)
            if (!std::isfinite(double(v[i])))
                fail(what + " has a non-finite value at index " + std::to_string(i));
    }

private:
    std::string mFile;
};

/** Refuses nesting deeper than kMaxDepth before parsing (brackets outside strings). */
bool nestingTooDeep(const std::string& text)
{
    int depth = 0;
    bool inString = false, escaped = false;
    for (char c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth)
                return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

void readParameters(const Fields& f, const json& root, Session& s)
{
    const json& p = f.member(root, "parameters", "session");
    const json& d = f.member(p, "detection", "parameters");
    const std::string dw = "parameters.detection";
    s.detection.period = f.number(d, "period", dw);
    s.detection.smoothingSigma = f.number(d, "smoothing_sigma", dw);
    s.detection.minSeparation = f.number(d, "min_separation", dw);
    s.detection.threshold = f.number(d, "threshold", dw, true);
    s.detection.refine = f.boolean(d, "refine", dw);
    s.detection.correctScanJitter = f.boolean(d, "correct_scan_jitter", dw);
    // Optional (sessions saved before the statistical detection lack them: the defaults apply).
    if (Fields::has(d, "significance")) {
        s.detection.significance = f.number(d, "significance", dw);
        if (s.detection.significance < 0.0)
            f.fail(dw + ".significance must be 0 (automatic) or more");
    }
    if (Fields::has(d, "residual_passes"))
        s.detection.residualPasses = f.boolean(d, "residual_passes", dw);
    if (Fields::has(d, "atomic_contrast_only"))
        s.detection.atomicContrastOnly = f.boolean(d, "atomic_contrast_only", dw);
    if (Fields::has(d, "joint_fit"))
        s.detection.jointFit = f.boolean(d, "joint_fit", dw);

    const json& fe = f.member(p, "features", "parameters");
    const std::string fw = "parameters.features";
    s.featureParams.nMax = int(f.integer(fe, "n_max", fw, 0, 100));
    s.featureParams.patchSize = int(f.integer(fe, "patch_size", fw, 0, 100000));
    s.patchSizeUsed = int(f.integer(fe, "patch_size_used", fw, 0, 100000));
    const std::string norm = f.text(fe, "normalization", fw);
    if (norm != "none" && norm != "unit_norm")
        f.fail(fw + ".normalization must be \"none\" or \"unit_norm\", not \"" + norm + "\"");
    s.featureParams.normalization = norm == "unit_norm" ? FeatureNormalization::UnitNorm : FeatureNormalization::None;

    const json& l = f.member(p, "learning", "parameters");
    const std::string lw = "parameters.learning";
    const std::string method = f.text(l, "method", lw);
    if (const std::optional<ClusterMethod> named = clusterMethodFromName(method))
        s.learning.method = *named;
    else
        f.fail(lw + ".method must be segment, gmm or kmeans, not \"" + method + "\"");
    s.learning.classes = int(f.integer(l, "classes", lw, 0, 1000));
    s.learning.k = int(f.integer(l, "k", lw, 1, 10000));
    s.learning.epochs = int(f.integer(l, "epochs", lw, 0, 100000000));
    s.learning.seed = f.unsignedInteger(l, "seed", lw);
    if (Fields::has(l, "refine_classes"))
        s.refineClasses = f.boolean(l, "refine_classes", lw);
    const std::string metric = f.text(l, "metric", lw);
    if (metric != "correlation" && metric != "euclidean")
        f.fail(lw + ".metric must be correlation or euclidean, not \"" + metric + "\"");
    s.learning.metric = metric == "euclidean" ? KnnMetric::Euclidean : KnnMetric::Correlation;
    s.learning.snapshotEvery = int(f.integer(l, "snapshot_every", lw, 0, 100000000));
    s.learning.maxClasses = int(f.integer(l, "max_classes", lw, 1, 1000));
    const json& seg = f.member(l, "segment", lw);
    const std::string sw = lw + ".segment";
    s.learning.segment.grid = int(f.integer(seg, "grid", sw, 1, 1 << 16));
    s.learning.segment.bandwidth = float(f.number(seg, "bandwidth", sw));
    s.learning.segment.saddleRatio = float(f.number(seg, "saddle_ratio", sw));
    s.learning.segment.minFraction = float(f.number(seg, "min_fraction", sw));
    s.learning.segment.minPoints = int(f.integer(seg, "min_points", sw, 0, 1 << 30));

    const json& h = f.member(p, "hierarchy", "parameters");
    const std::string hw = "parameters.hierarchy";
    HierarchyParams& hp = s.hierarchy.params;
    hp.bondCutoff = f.number(h, "bond_cutoff", hw);
    hp.maxRingMembers = int(f.integer(h, "max_ring_members", hw, 3, 1000));
    hp.detectFilled = f.boolean(h, "detect_filled", hw);
    hp.filledRadiusSpread = f.number(h, "filled_radius_spread", hw);
    hp.filledCentreRatio = f.number(h, "filled_centre_ratio", hw);
    hp.countBorderRings = f.boolean(h, "count_border_rings", hw);
}

void readColumns(const Fields& f, const json& root, Session& s)
{
    const json& c = f.member(root, "columns", "session");
    const long long n = (long long)f.integer(c, "count", "columns", 0, 1LL << 32);
    const auto x = f.array<double>(c, "x", "columns", n);
    const auto y = f.array<double>(c, "y", "columns", n);
    const auto intensity = f.array<float>(c, "intensity", "columns", n);
    const auto width = f.array<float>(c, "width", "columns", n);
    const auto background = f.array<float>(c, "background", "columns", n);
    const auto residual = f.array<float>(c, "residual", "columns", n);
    const auto refinement = f.array<std::uint8_t>(c, "refinement", "columns", n);
    const auto motif = f.array<std::int32_t>(c, "motif", "columns", n);
    const auto confidence = f.array<float>(c, "confidence", "columns", n);
    const auto edits = f.array<std::uint8_t>(c, "edits", "columns", n);
    f.requireFinite(x, "columns.x");
    f.requireFinite(y, "columns.y");
    f.requireFinite(intensity, "columns.intensity");
    f.requireFinite(width, "columns.width");
    f.requireFinite(background, "columns.background");
    f.requireFinite(residual, "columns.residual");
    // Optional: older sessions have no position uncertainty (0 = not known).
    std::vector<float> sigma;
    if (Fields::has(c, "position_sigma")) {
        sigma = f.array<float>(c, "position_sigma", "columns", n);
        f.requireFinite(sigma, "columns.position_sigma");
    }
    ColumnTable& table = s.columns;
    table.columns.resize(std::size_t(n));
    table.classes.resize(std::size_t(n));
    table.confidence.resize(std::size_t(n));
    table.edits.resize(std::size_t(n));
    for (std::size_t i = 0; i < table.size(); ++i) {
        const std::string at = " of column " + std::to_string(i);
        if (refinement[i] > std::uint8_t(Refinement::GaussianFit))
            f.fail("columns.refinement" + at + " is " + std::to_string(refinement[i]) + ", not 0, 1 or 2");
        if (motif[i] < -1)
            f.fail("columns.motif" + at + " is " + std::to_string(motif[i]) + " (must be -1 or more)");
        if (!(confidence[i] >= 0.0f && confidence[i] <= 1.0f))
            f.fail("columns.confidence" + at + " is not in [0, 1]");
        if (edits[i] > 7)
            f.fail("columns.edits" + at + " has unknown bits");
        if (!sigma.empty() && sigma[i] < 0.0f)
            f.fail("columns.position_sigma" + at + " is negative");
        table.columns[i] = {x[i], y[i], intensity[i], width[i], background[i], residual[i], Refinement(refinement[i]),
                            sigma.empty() ? 0.0f : sigma[i]};
        table.classes[i] = motif[i];
        table.confidence[i] = confidence[i];
        table.edits[i] = edits[i];
    }
}

void readHierarchy(const Fields& f, const json& root, Session& s)
{
    const json& h = f.member(root, "hierarchy", "session");
    if (h.is_null())
        return;
    s.hierarchy.present = true;
    s.hierarchy.route = f.text(h, "route", "hierarchy");
    if (s.hierarchy.route != "polygons" && s.hierarchy.route != "cells")
        f.fail("hierarchy.route must be \"polygons\" or \"cells\"");
    s.hierarchy.bondCutoff = f.number(h, "bond_cutoff", "hierarchy");
    const json& levels = f.member(h, "levels", "hierarchy");
    if (!levels.is_array())
        f.fail("hierarchy.levels must be an array");
    for (const json& l : levels) {
        HierarchyLevel level;
        level.level = int(f.integer(l, "level", "hierarchy.levels[]", 1, 100));
        const json& motifs = f.member(l, "motifs", "hierarchy.levels[]");
        if (!motifs.is_array())
            f.fail("hierarchy.levels[].motifs must be an array");
        for (const json& m : motifs) {
            const std::string w = "hierarchy motif";
            MotifNode node;
            node.id = f.text(m, "id", w);
            node.name = f.text(m, "name", w);
            node.canonical = f.text(m, "canonical", w);
            node.members = int(f.integer(m, "members", w, 0, 1 << 30));
            node.count = f.integer(m, "count", w, 0, std::numeric_limits<long long>::max());
            node.fraction = f.number(m, "fraction", w);
            node.children = f.texts(m, "children", w);
            node.parents = f.texts(m, "parents", w);
            level.motifs.push_back(std::move(node));
        }
        s.hierarchy.levels.push_back(std::move(level));
    }
    const auto columnMotif = f.array<std::int32_t>(h, "column_motif", "hierarchy", -1);
    if (!columnMotif.empty() && columnMotif.size() != s.columns.size())
        f.fail("hierarchy.column_motif has " + std::to_string(columnMotif.size()) + " values for "
               + std::to_string(s.columns.size()) + " columns");
    const long long level1 = s.hierarchy.levels.empty() ? 0 : (long long)s.hierarchy.levels[0].motifs.size();
    for (std::int32_t m : columnMotif)
        if (m < -1 || m >= level1)
            f.fail("hierarchy.column_motif value " + std::to_string(m) + " is not a level-1 motif");
    s.hierarchy.columnMotif.assign(columnMotif.begin(), columnMotif.end());
}

bool isHexColour(const std::string& c)
{
    if (c.size() != 7 || c[0] != '#')
        return false;
    for (std::size_t i = 1; i < 7; ++i)
        if (!std::isxdigit(static_cast<unsigned char>(c[i])))
            return false;
    return true;
}

Session parseSession(const json& root, const Fields& f)
{
    if (!root.is_object())
        f.fail("not a MotifScope session (the top level is not a JSON object)");
    const auto format = root.find("format");
    if (format == root.end() || !format->is_string() || format->get<std::string>() != kSessionFormatName)
        f.fail("not a MotifScope session (\"format\" is not \"motifscope-session\")");
    const auto version = root.find("version");
    if (version == root.end() || !version->is_number_integer())
        f.fail("session has no valid \"version\"");
    const long long v = version->get<long long>();
    if (v > kSessionFormatVersion)
        f.fail("session format version " + std::to_string(v) + " is newer than this MotifScope reads (up to "
               + std::to_string(kSessionFormatVersion) + "); please update MotifScope");
    if (v < 1)
        f.fail("session format version " + std::to_string(v) + " is not valid");

    Session s;
    const json& im = f.member(root, "image", "session");
    s.image.path = f.text(im, "path", "image");
    s.image.absolutePath = f.text(im, "absolute_path", "image");
    s.image.fnv1a64 = f.text(im, "fnv1a64", "image");
    s.image.fileSize = f.unsignedInteger(im, "file_size", "image");
    s.image.width = int(f.integer(im, "width", "image", 0, kMaxSide));
    s.image.height = int(f.integer(im, "height", "image", 0, kMaxSide));
    s.image.dtype = f.text(im, "dtype", "image");
    const json& px = f.member(im, "pixel_size", "image");
    if (!px.is_array() || px.size() != 2 || !px[0].is_number() || !px[1].is_number()
        || !(px[0].get<double>() > 0) || !(px[1].get<double>() > 0) || !std::isfinite(px[0].get<double>())
        || !std::isfinite(px[1].get<double>()))
        f.fail("image.pixel_size must be two positive numbers");
    s.image.calibration.pixelSizeX = px[0].get<double>();
    s.image.calibration.pixelSizeY = px[1].get<double>();
    s.image.calibration.unit = f.text(im, "unit", "image");

    readParameters(f, root, s);
    readColumns(f, root, s);
    const long long n = (long long)s.columns.size();

    const json& fe = f.member(root, "features", "session");
    s.featureDimension = int(f.integer(fe, "dimension", "features", 0, 100000));
    s.features = f.array<float>(fe, "values", "features", -1);
    if (!s.features.empty() && s.features.size() != std::size_t(n) * std::size_t(s.featureDimension))
        f.fail("features.values has " + std::to_string(s.features.size()) + " values, expected " + std::to_string(n)
               + " columns x " + std::to_string(s.featureDimension));
    f.requireFinite(s.features, "features.values");
    s.embedding = f.array<float>(root, "embedding", "session", -1);
    if (!s.embedding.empty() && s.embedding.size() != 2 * std::size_t(n))
        f.fail("embedding has " + std::to_string(s.embedding.size()) + " values, expected 2 x " + std::to_string(n));
    f.requireFinite(s.embedding, "embedding");

    const json& motifs = f.member(root, "motifs", "session");
    if (!motifs.is_array())
        f.fail("session.motifs must be an array");
    for (const json& m : motifs) {
        SessionMotif motif;
        motif.id = int(f.integer(m, "id", "motif", 0, 1 << 20));
        motif.name = f.text(m, "name", "motif");
        motif.colour = f.text(m, "colour", "motif");
        if (!isHexColour(motif.colour))
            f.fail("motif " + std::to_string(motif.id) + " colour \"" + motif.colour + "\" is not #rrggbb");
        motif.count = f.integer(m, "count", "motif", 0, std::numeric_limits<long long>::max());
        motif.patchSize = int(f.integer(m, "patch_size", "motif", 0, 4096));
        motif.averagePatch = f.array<float>(m, "average", "motif", (long long)motif.patchSize * motif.patchSize);
        // Ids are the motifs' places in the table: 0, 1, 2, ... in order (a repeated id is refused here,
        // for the CLI and the window alike).
        if (motif.id != int(s.motifs.size()))
            f.fail("motif id " + std::to_string(motif.id) + " where " + std::to_string(s.motifs.size())
                   + " was due (motif ids must be 0, 1, 2, ... in order, each once)");
        s.motifs.push_back(std::move(motif));
    }
    // Every column's motif must name a motif of the table (or be -1): views index the table by it.
    for (std::size_t i = 0; i < s.columns.size(); ++i)
        if (s.columns.classes[i] >= int(s.motifs.size()))
            f.fail("columns.motif[" + std::to_string(i) + "] is " + std::to_string(s.columns.classes[i]) + " but the session has "
                   + std::to_string(s.motifs.size()) + " motifs (ids 0.." + std::to_string(int(s.motifs.size()) - 1) + ")");
    readHierarchy(f, root, s);
    const json& view = f.member(root, "view_state", "session");
    if (!view.is_object())
        f.fail("view_state must be a JSON object");
    s.viewStateJson = view.dump();
    return s;
}

} // namespace

Session sessionFromJsonText(const std::string& text, const std::string& path)
{
    const Fields f(path);
    if (nestingTooDeep(text))
        f.fail("not a MotifScope session (JSON nested deeper than " + std::to_string(kMaxDepth) + " levels)");
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& e) {
        f.fail("not valid JSON at byte " + std::to_string(e.byte) + " (truncated or damaged file?)");
    } catch (const json::exception&) {
        f.fail("not valid JSON (truncated or damaged file?)");
    }
    try {
        return parseSession(root, f);
    } catch (const json::exception& e) { // a type surprise the checks above missed: still one IoError
        f.fail(std::string("malformed session: ") + e.what());
    }
}

Session loadSession(const std::string& path)
{
    try {
        std::error_code ec;
        const std::uintmax_t size = std::filesystem::file_size(path, ec);
        if (ec)
            throw IoError(path, "cannot open session: " + ec.message());
        if (size > kMaxSessionBytes)
            throw IoError(path, "session file is " + std::to_string(size) + " bytes, larger than the 4 GiB limit");
        std::ifstream in(path, std::ios::binary);
        if (!in)
            throw IoError(path, "cannot open session for reading");
        std::string text(std::size_t(size), '\0');
        in.read(text.data(), std::streamsize(size));
        if (std::uintmax_t(in.gcount()) != size)
            throw IoError(path, "read failed (file changed while reading?)");
        return sessionFromJsonText(text, path);
    } catch (const std::bad_alloc&) {
        throw IoError(path, "out of memory reading the session");
    }
}

} // namespace motifscope
