#include "ui/session/sessionconvert.h"

#include "core/io/micrograph.h"
#include "core/io/readers.h"
#include "core/pipeline/full_analysis.h"

#include <QColor>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstring>

namespace motifscope::ui {

namespace {

std::string utf8(const QString& s)
{
    return s.toUtf8().toStdString();
}

QString fromUtf8(const std::string& s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

/** Per-column float32 values as base64 (little-endian, as the session's own arrays). */
QString floatsToBase64(const std::vector<float>& values)
{
    const QByteArray bytes(reinterpret_cast<const char*>(values.data()), qsizetype(values.size() * sizeof(float)));
    return QString::fromLatin1(bytes.toBase64());
}

std::vector<float> floatsFromBase64(const QString& text, std::size_t expected)
{
    const QByteArray bytes = QByteArray::fromBase64(text.toLatin1());
    if (std::size_t(bytes.size()) != expected * sizeof(float))
        return {};
    std::vector<float> values(expected);
    std::memcpy(values.data(), bytes.constData(), std::size_t(bytes.size()));
    for (float v : values)
        if (!std::isfinite(v))
            return {};
    return values;
}

/**
 * The view state object. The session's own arrays have no place for the columns' orientations (they
 * register the motif averages after an edit) or for which columns the map left out; they go here.
 */
std::string viewStateJson(const SessionContent& c)
{
    const SessionViewState& v = c.view;
    QJsonObject o;
    o[QStringLiteral("zoom")] = v.zoom;
    o[QStringLiteral("centre")] = QJsonArray{v.centre.x(), v.centre.y()};
    o[QStringLiteral("fit_to_window")] = v.fitToWindow;
    o[QStringLiteral("contrast_low_percent")] = v.display.lowPercent;
    o[QStringLiteral("contrast_high_percent")] = v.display.highPercent;
    o[QStringLiteral("gamma")] = v.display.gamma;
    o[QStringLiteral("lookup_table")] = lookupName(v.display.lut);
    o[QStringLiteral("show_columns")] = v.showColumns;
    o[QStringLiteral("show_scale_bar")] = v.showScaleBar;
    o[QStringLiteral("refinement")] = int(c.detection.refine);
    if (!v.savedSessionPath.isEmpty())
        o[QStringLiteral("saved_session_path")] = v.savedSessionPath;
    if (c.columns.orientation.size() == c.columns.size() && !c.columns.empty())
        o[QStringLiteral("column_orientation")] = floatsToBase64(c.columns.orientation);
    if (c.columns.hasMap()) {
        QJsonArray unlearned;
        for (std::size_t i = 0; i < c.columns.size(); ++i)
            if (!c.columns.mapOf(i).learned())
                unlearned.append(qint64(i));
        o[QStringLiteral("map_unlearned")] = unlearned;
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

void readViewState(const std::string& json, SessionContent& c)
{
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
    SessionViewState& v = c.view;
    v.zoom = o.value(QStringLiteral("zoom")).toDouble(0.0);
    const QJsonArray centre = o.value(QStringLiteral("centre")).toArray();
    if (centre.size() == 2)
        v.centre = QPointF(centre[0].toDouble(), centre[1].toDouble());
    v.fitToWindow = o.value(QStringLiteral("fit_to_window")).toBool(true);
    v.display.lowPercent = o.value(QStringLiteral("contrast_low_percent")).toDouble(DisplaySettings::kDefaultLowPercent);
    v.display.highPercent = o.value(QStringLiteral("contrast_high_percent")).toDouble(DisplaySettings::kDefaultHighPercent);
    v.display.gamma = o.value(QStringLiteral("gamma")).toDouble(1.0);
    v.display.lut = lookupFromName(o.value(QStringLiteral("lookup_table")).toString());
    v.showColumns = o.value(QStringLiteral("show_columns")).toBool(true);
    v.showScaleBar = o.value(QStringLiteral("show_scale_bar")).toBool(true);
    v.savedSessionPath = o.value(QStringLiteral("saved_session_path")).toString();
    const int refine = o.value(QStringLiteral("refinement")).toInt(-1);
    if (refine >= int(RefineMode::Off) && refine <= int(RefineMode::GaussianFit))
        c.detection.refine = RefineMode(refine);
    const std::size_t n = c.columns.size();
    c.columns.orientation = floatsFromBase64(o.value(QStringLiteral("column_orientation")).toString(), n);
    if (c.columns.hasMap())
        for (const QJsonValue& i : o.value(QStringLiteral("map_unlearned")).toArray())
            if (i.toInteger(-1) >= 0 && std::size_t(i.toInteger()) < n)
                c.columns.map[std::size_t(i.toInteger())] = MapPoint{};
}

RefineMode refineModeOf(const DetectionParams& p)
{
    if (!p.refine)
        return RefineMode::Off;
    return p.correctScanJitter ? RefineMode::GaussianFit : RefineMode::CentreOfMass;
}

SessionHierarchy sessionHierarchy(const HierarchyResult& h)
{
    SessionHierarchy s;
    s.present = true;
    s.route = h.route;
    s.bondCutoff = h.bondCutoff;
    s.levels = h.levels;
    s.columnMotif = h.columnMotif;
    return s;
}

/** Bonds and rings are not saved: rebuilt from the columns as the hierarchy job does, then the saved tree. */
std::shared_ptr<const HierarchyResult> rebuiltHierarchy(const Session& s)
{
    const SessionHierarchy& saved = s.hierarchy;
    std::vector<Point2> points;
    std::vector<int> labels;
    bool anyLabel = false;
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
        points.push_back({s.columns.columns[i].x, s.columns.columns[i].y});
        labels.push_back(s.columns.classOf(i));
        anyLabel = anyLabel || labels.back() >= 0;
    }
    auto result = std::make_shared<HierarchyResult>();
    try {
        const HierarchyRoute route = saved.route == "cells" ? HierarchyRoute::Cells : HierarchyRoute::Polygons;
        *result = buildHierarchy(points, anyLabel ? &labels : nullptr, saved.params, route);
    } catch (const std::exception&) {
        *result = HierarchyResult{}; // the saved tree is still shown, without outlines
    }
    result->route = saved.route;
    result->bondCutoff = saved.bondCutoff;
    result->levels = saved.levels;
    if (!saved.columnMotif.empty())
        result->columnMotif = saved.columnMotif;
    return result;
}

} // namespace

bool isSessionFile(const QString& path)
{
    return QFileInfo(path).suffix().compare(QStringLiteral("motifscope"), Qt::CaseInsensitive) == 0;
}

Session toSession(const SessionContent& c)
{
    Session s;
    const std::string imagePath = utf8(c.imagePath);
    if (!c.micrograph || imagePath.empty())
        throw IoError(imagePath, "the micrograph has no file to refer to (open it from a file first)");
    s.image = makeImageRef(imagePath, *c.micrograph);
    s.detection = c.detection.params;
    s.detection.refine = c.detection.refine != RefineMode::Off;
    s.detection.correctScanJitter = c.detection.refine == RefineMode::GaussianFit;
    s.featureParams.nMax = c.learning.nMax;
    s.featureParams.patchSize = c.learning.patchSize;
    s.patchSizeUsed = c.motifs.patchSize;
    s.learning = c.learning.params;
    s.refineClasses = c.learning.refineClasses;
    const ColumnSet& set = c.columns;
    // The same table; the map and orientation travel in the view state and the embedding.
    s.columns.columns = set.columns;
    s.columns.classes.resize(set.size());
    s.columns.confidence.resize(set.size());
    s.columns.edits.resize(set.size());
    for (std::size_t i = 0; i < set.size(); ++i) {
        s.columns.classes[i] = set.classOf(i);
        s.columns.confidence[i] = std::clamp(set.confidenceOf(i), 0.0f, 1.0f);
        s.columns.edits[i] = set.editsOf(i);
    }
    if (set.hasMap()) {
        s.embedding.reserve(2 * set.size());
        for (std::size_t i = 0; i < set.size(); ++i) {
            const MapPoint p = set.mapOf(i);
            s.embedding.push_back(p.learned() ? p.x : 0.0f); // which ones are unlearned: view state
            s.embedding.push_back(p.learned() ? p.y : 0.0f);
        }
    }
    for (int id = 0; id < c.motifs.size(); ++id) {
        const MotifEntry& m = c.motifs.motifs[std::size_t(id)];
        SessionMotif sm;
        sm.id = id;
        sm.name = utf8(m.name);
        sm.colour = utf8(m.colour.name(QColor::HexRgb));
        sm.count = membersOf(set, id);
        const int p = c.motifs.patchSize;
        if (p > 0 && m.averagePatch.size() == std::size_t(p) * std::size_t(p)) {
            sm.patchSize = p;
            sm.averagePatch = m.averagePatch;
        }
        s.motifs.push_back(std::move(sm));
    }
    if (c.hierarchy)
        s.hierarchy = sessionHierarchy(*c.hierarchy);
    s.viewStateJson = viewStateJson(c);
    return s;
}

SessionContent fromSession(const Session& s, std::shared_ptr<const Micrograph> micrograph, const QString& imagePath)
{
    SessionContent c;
    c.micrograph = std::move(micrograph);
    c.imagePath = imagePath;
    c.detection.params = s.detection;
    c.detection.refine = refineModeOf(s.detection);
    c.learning.params = s.learning;
    c.learning.refineClasses = s.refineClasses;
    c.learning.nMax = s.featureParams.nMax;
    c.learning.patchSize = s.featureParams.patchSize;
    const std::size_t n = s.columns.size();
    ColumnSet& set = c.columns;
    // Empty per-column vectors mean "nothing learned" and "nothing edited" in the document.
    const auto& motif = s.columns.classes;
    const auto& edits = s.columns.edits;
    const bool anyMotif = std::any_of(motif.begin(), motif.end(), [](int m) { return m >= 0; });
    const bool anyEdit = std::any_of(edits.begin(), edits.end(), [](std::uint8_t e) { return e != 0; });
    set.columns = s.columns.columns;
    if (anyMotif || !s.motifs.empty()) {
        set.classes = motif;
        set.confidence = s.columns.confidence;
    }
    if (anyEdit)
        set.edits = edits;
    set.conform();
    if (s.embedding.size() == 2 * n && n > 0)
        for (std::size_t i = 0; i < n; ++i)
            set.map.push_back(MapPoint{s.embedding[2 * i], s.embedding[2 * i + 1]});
    c.motifs.patchSize = s.patchSizeUsed;
    for (const SessionMotif& m : s.motifs) {
        if (m.id != c.motifs.size())
            throw IoError("", "motif ids are not 0, 1, 2, ... in order");
        MotifEntry e;
        e.name = fromUtf8(m.name);
        e.colour = QColor(fromUtf8(m.colour));
        e.averagePatch = m.averagePatch;
        if (m.patchSize > 0)
            c.motifs.patchSize = m.patchSize;
        c.motifs.motifs.push_back(std::move(e));
    }
    readViewState(s.viewStateJson, c);
    set.conform();
    return c;
}

void writeSessionFile(const SessionContent& content, const QString& path)
{
    Session s;
    try {
        s = toSession(content);
    } catch (const IoError& e) {
        throw IoError(utf8(path), e.problem());
    }
    saveSession(s, utf8(path));
}

SessionContent readSessionFile(const QString& path)
{
    const std::string sessionPath = utf8(path);
    const Session s = loadSession(sessionPath);
    const std::string image = resolveSessionImage(s, sessionPath);
    if (image.empty())
        throw IoError(sessionPath, "its micrograph " + s.image.absolutePath + " was not found");
    Micrograph read = readMicrograph(image);
    // The scale the session was saved with wins over the file's (Image > Set Scale is kept).
    if (s.image.calibration.unit != read.calibration.unit || s.image.calibration.pixelSizeX != read.calibration.pixelSizeX
        || s.image.calibration.pixelSizeY != read.calibration.pixelSizeY)
        read.calibration = s.image.calibration;
    auto micrograph = std::make_shared<const Micrograph>(std::move(read));
    if (micrograph->width != s.image.width || micrograph->height != s.image.height)
        throw IoError(sessionPath, "its micrograph " + image + " is " + std::to_string(micrograph->width) + " x "
                                       + std::to_string(micrograph->height) + " pixels, the session expects "
                                       + std::to_string(s.image.width) + " x " + std::to_string(s.image.height));
    SessionContent c;
    try {
        c = fromSession(s, micrograph, fromUtf8(image));
    } catch (const IoError& e) {
        throw IoError(sessionPath, e.problem());
    }
    const std::string mismatch = imageMismatch(s.image, image);
    if (!mismatch.empty())
        c.warning = fromUtf8(image + ": " + mismatch + "; the columns may not fit");
    if (s.hierarchy.present)
        c.hierarchy = rebuiltHierarchy(s);
    return c;
}

} // namespace motifscope::ui
