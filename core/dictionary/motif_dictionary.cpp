#include "core/dictionary/motif_dictionary.h"

#include "core/io/file_util.h"
#include "core/io/micrograph.h"
#include "core/io/readers.h"

#include <Eigen/Cholesky>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace motifscope {

namespace {

using Json = nlohmann::ordered_json;

/// Largest dictionary file read (a dictionary with 64 motifs at n_max 20 is about 10 MB).
constexpr std::size_t kMaxDictionaryBytes = std::size_t(64) << 20;

std::string normalizationName(FeatureNormalization n)
{
    return n == FeatureNormalization::UnitNorm ? "unit-norm" : "none";
}

Json vectorJson(const Eigen::VectorXd& v)
{
    Json a = Json::array();
    for (Eigen::Index i = 0; i < v.size(); ++i)
        a.push_back(v[i]);
    return a;
}

/** Row-major matrix as an array of rows. */
Json matrixJson(const Eigen::MatrixXd& m)
{
    Json rows = Json::array();
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        rows.push_back(vectorJson(m.row(r).transpose()));
    return rows;
}

/** Reading with one error type: every problem names the field. */
class Reader
{
public:
    explicit Reader(std::string path) : mPath(std::move(path)) {}

    [[noreturn]] void fail(const std::string& problem) const { throw IoError(mPath, problem); }

    const Json& field(const Json& object, const char* key, const std::string& where) const
    {
        if (!object.is_object() || !object.contains(key))
            fail("missing \"" + std::string(key) + "\"" + where);
        return object.at(key);
    }
    double number(const Json& object, const char* key, const std::string& where = "") const
    {
        const Json& v = field(object, key, where);
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            fail("\"" + std::string(key) + "\"" + where + " is not a finite number");
        return v.get<double>();
    }
    long long integer(const Json& object, const char* key, long long lo, long long hi, const std::string& where = "") const
    {
        const Json& v = field(object, key, where);
        if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
            fail("\"" + std::string(key) + "\"" + where + " must be a whole number from " + std::to_string(lo) +
                 " to " + std::to_string(hi));
        return v.get<long long>();
    }
    std::string text(const Json& object, const char* key, const std::string& where = "") const
    {
        const Json& v = field(object, key, where);
        if (!v.is_string())
            fail("\"" + std::string(key) + "\"" + where + " is not a string");
        return v.get<std::string>();
    }
    Eigen::VectorXd vector(const Json& v, Eigen::Index length, const std::string& what) const
    {
        if (!v.is_array() || Eigen::Index(v.size()) != length)
            fail(what + " must hold " + std::to_string(length) + " numbers");
        Eigen::VectorXd out(length);
        for (Eigen::Index i = 0; i < length; ++i) {
            if (!v[std::size_t(i)].is_number() || !std::isfinite(v[std::size_t(i)].get<double>()))
                fail(what + " holds a value that is not a finite number");
            out[i] = v[std::size_t(i)].get<double>();
        }
        return out;
    }
    Eigen::MatrixXd matrix(const Json& v, Eigen::Index rows, Eigen::Index cols, const std::string& what) const
    {
        if (!v.is_array() || Eigen::Index(v.size()) != rows)
            fail(what + " must hold " + std::to_string(rows) + " rows");
        Eigen::MatrixXd out(rows, cols);
        for (Eigen::Index r = 0; r < rows; ++r)
            out.row(r) = vector(v[std::size_t(r)], cols, what).transpose();
        return out;
    }

private:
    std::string mPath;
};

DictionaryMotif readMotif(const Reader& in, const Json& j, int features, int patchSize, std::size_t index)
{
    const std::string where = " in motif " + std::to_string(index);
    DictionaryMotif m;
    m.id = int(in.integer(j, "id", 0, 1 << 20, where));
    m.name = in.text(j, "name", where);
    m.colour = in.text(j, "colour", where);
    m.count = in.integer(j, "count", 0, 1LL << 50, where);
    m.fraction = in.number(j, "fraction", where);
    const Eigen::VectorXd average =
        in.vector(in.field(j, "average", where), Eigen::Index(patchSize) * patchSize, "\"average\"" + where);
    m.average.assign(average.data(), average.data() + average.size());
    m.mean = in.vector(in.field(j, "mean", where), features, "\"mean\"" + where);
    m.covariance = in.matrix(in.field(j, "covariance", where), features, features, "\"covariance\"" + where);
    m.noveltyDistance2 = in.number(j, "novelty_distance2", where);
    if (m.noveltyDistance2 <= 0.0)
        in.fail("\"novelty_distance2\"" + where + " must be positive");
    if (!m.covariance.isApprox(m.covariance.transpose(), 1e-9) || m.covariance.llt().info() != Eigen::Success)
        in.fail("\"covariance\"" + where + " is not symmetric positive definite");
    return m;
}

} // namespace

void shapeFeatures(const float* features, int count, double* out)
{
    double mean = 0.0;
    for (int i = 0; i < count; ++i)
        mean += features[i];
    mean /= std::max(count, 1);
    double norm2 = 0.0;
    for (int i = 0; i < count; ++i) {
        out[i] = features[i] - mean;
        norm2 += out[i] * out[i];
    }
    const double scale = norm2 > 0.0 ? 1.0 / std::sqrt(norm2) : 0.0;
    for (int i = 0; i < count; ++i)
        out[i] *= scale;
}

void writeMotifDictionary(const MotifDictionary& d, const std::string& path)
{
    Json doc;
    doc["format"] = kDictionaryFormat;
    doc["version"] = kDictionaryVersion;
    Json features;
    features["n_max"] = d.nMax;
    features["normalization"] = normalizationName(d.normalization);
    features["shape"] = "centred, unit length";
    features["count"] = d.featureCount();
    features["patch_size_px"] = d.patchSize;
    features["pixel_size"] = d.pixelSize;
    features["unit"] = d.unit;
    features["patch_size_calibrated"] = d.patchSizeCalibrated();
    features["column_spacing_px"] = d.columnSpacing;
    doc["features"] = features;
    Json model;
    model["kind"] = "gaussian per motif";
    model["novelty_quantile"] = d.noveltyQuantile;
    model["novelty_margin"] = d.noveltyMargin;
    model["map_projection"] = matrixJson(d.mapProjection);
    doc["model"] = model;
    Json motifs = Json::array();
    for (const DictionaryMotif& m : d.motifs) {
        Json j;
        j["id"] = m.id;
        j["name"] = m.name;
        j["colour"] = m.colour;
        j["count"] = m.count;
        j["fraction"] = m.fraction;
        j["novelty_distance2"] = m.noveltyDistance2;
        j["mean"] = vectorJson(m.mean);
        j["covariance"] = matrixJson(m.covariance);
        Json average = Json::array();
        for (float v : m.average)
            average.push_back(v);
        j["average"] = average;
        motifs.push_back(j);
    }
    doc["motifs"] = motifs;
    Json hierarchy;
    hierarchy["route"] = d.route;
    Json names = Json::array();
    for (const DictionaryHierarchyName& n : d.hierarchyNames)
        names.push_back(Json{{"level", n.level}, {"canonical", n.canonical}, {"name", n.name}});
    hierarchy["names"] = names;
    doc["hierarchy"] = hierarchy;
    doc["sources"] = d.sources;
    writeFileAtomically(path, doc.dump(1) + "\n");
}

MotifDictionary readMotifDictionary(const std::string& path)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path);
    const Reader in(path);
    if (bytes.size() > kMaxDictionaryBytes)
        in.fail("too large for a motif dictionary (" + std::to_string(bytes.size()) + " bytes)");
    const Json doc = Json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        in.fail("not a motif dictionary (not valid JSON)");
    if (!doc.contains("format") || doc["format"] != kDictionaryFormat)
        in.fail("not a motif dictionary (\"format\" is not \"" + std::string(kDictionaryFormat) + "\")");
    const long long version = in.integer(doc, "version", 1, 1 << 20);
    if (version > kDictionaryVersion)
        in.fail("motif dictionary version " + std::to_string(version) + " is newer than this program reads (" +
                std::to_string(kDictionaryVersion) + ")");

    MotifDictionary d;
    const Json& f = in.field(doc, "features", "");
    d.nMax = int(in.integer(f, "n_max", 2, 20, " in features"));
    const std::string normalization = in.text(f, "normalization", " in features");
    if (normalization != "none" && normalization != "unit-norm")
        in.fail("\"normalization\" must be none or unit-norm, not \"" + normalization + "\"");
    d.normalization = normalization == "unit-norm" ? FeatureNormalization::UnitNorm : FeatureNormalization::None;
    d.patchSize = int(in.integer(f, "patch_size_px", 3, 401, " in features"));
    if (d.patchSize % 2 == 0)
        in.fail("\"patch_size_px\" must be odd");
    d.pixelSize = in.number(f, "pixel_size", " in features");
    if (d.pixelSize <= 0.0)
        in.fail("\"pixel_size\" must be positive");
    d.unit = in.text(f, "unit", " in features");
    d.columnSpacing = in.number(f, "column_spacing_px", " in features");
    const int features = int(invariantIndices(d.nMax).size());
    if (in.integer(f, "count", 1, 1 << 16, " in features") != features)
        in.fail("\"count\" in features does not match n_max " + std::to_string(d.nMax) + " (" +
                std::to_string(features) + " features)");

    const Json& model = in.field(doc, "model", "");
    d.noveltyQuantile = in.number(model, "novelty_quantile", " in model");
    d.noveltyMargin = in.number(model, "novelty_margin", " in model");
    d.mapProjection = in.matrix(in.field(model, "map_projection", " in model"), 2, features, "\"map_projection\"");

    const Json& motifs = in.field(doc, "motifs", "");
    if (!motifs.is_array() || motifs.empty())
        in.fail("\"motifs\" must be a non-empty array");
    std::set<int> ids;
    for (std::size_t i = 0; i < motifs.size(); ++i) {
        d.motifs.push_back(readMotif(in, motifs[i], features, d.patchSize, i));
        if (!ids.insert(d.motifs.back().id).second || (i > 0 && d.motifs.back().id < d.motifs[i - 1].id))
            in.fail("motif ids must be distinct and ascending (motif " + std::to_string(i) + ")");
    }
    const Json& h = in.field(doc, "hierarchy", "");
    d.route = in.text(h, "route", " in hierarchy");
    if (d.route != "auto" && d.route != "polygons" && d.route != "cells")
        in.fail("\"route\" must be auto, polygons or cells, not \"" + d.route + "\"");
    const Json& names = in.field(h, "names", " in hierarchy");
    if (!names.is_array())
        in.fail("\"names\" in hierarchy must be an array");
    for (const Json& n : names)
        d.hierarchyNames.push_back({int(in.integer(n, "level", 1, 16, " in hierarchy names")),
                                    in.text(n, "canonical", " in hierarchy names"),
                                    in.text(n, "name", " in hierarchy names")});
    if (doc.contains("sources") && doc["sources"].is_array())
        for (const Json& s : doc["sources"])
            if (s.is_string())
                d.sources.push_back(s.get<std::string>());
    return d;
}

} // namespace motifscope
