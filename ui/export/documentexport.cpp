#include "ui/export/documentexport.h"

#include "ui/hierarchy/nodenames.h"

#include "core/detect/column_detector.h"
#include "core/features/patches.h"
#include "core/features/zernike_features.h"
#include "core/hierarchy/hierarchy.h"
#include "core/image/finite_image.h"
#include "core/learn/motifs.h"
#include "core/pipeline/analysis_output.h"

#include <QColor>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

constexpr std::size_t kHierarchyEntriesPerLevel = 4; // as the figure of a session shows

std::string nativePath(const QString& path)
{
    return QFile::encodeName(path).toStdString();
}

/** The micrograph's pixels inside `r` (already clipped to the image). */
Micrograph cropped(const Micrograph& m, const QRect& r)
{
    Micrograph out;
    out.width = r.width();
    out.height = r.height();
    out.dtype = m.dtype;
    out.format = m.format;
    out.calibration = m.calibration;
    out.pixels.resize(out.pixelCount());
    for (int y = 0; y < r.height(); ++y)
        std::copy_n(m.pixels.begin() + std::ptrdiff_t(std::size_t(r.y() + y) * std::size_t(m.width) + std::size_t(r.x())),
                    r.width(), out.pixels.begin() + std::ptrdiff_t(std::size_t(y) * std::size_t(r.width())));
    return out;
}

ColumnLabels labelsOf(const ColumnSet& set)
{
    ColumnLabels labels;
    for (std::size_t i = 0; i < set.size(); ++i) {
        labels.motif.push_back(set.classOf(i));
        labels.confidence.push_back(set.confidenceOf(i));
    }
    return labels;
}

} // namespace

FigureContent figureContentOf(const SessionContent& c, const QRect& region, const ColumnValueMap* map)
{
    FigureContent f;
    const Micrograph* image = c.micrograph.get();
    QRect frame = image ? QRect(0, 0, image->width, image->height) : QRect();
    if (!region.isEmpty() && image)
        frame = frame.intersected(region);
    if (image) {
        f.image = frame == QRect(0, 0, image->width, image->height) ? *image : cropped(*image, frame);
        f.width = f.image.width;
        f.height = f.image.height;
        f.calibration = image->calibration;
    }
    std::vector<long long> counts(std::size_t(std::max(0, c.motifs.size())), 0);
    const bool mapped = map && !map->isEmpty() && map->values.size() == c.columns.size();
    if (mapped) {
        f.valueName = map->name.toStdString();
        f.valueLow = map->low;
        f.valueHigh = map->high;
    }
    for (std::size_t i = 0; i < c.columns.size(); ++i) {
        const AtomColumn& col = c.columns.columns[i];
        const double x = col.x - frame.x(), y = col.y - frame.y();
        if (image && (x < -0.5 || y < -0.5 || x > frame.width() - 0.5 || y > frame.height() - 0.5))
            continue;
        const int motif = c.columns.classOf(i);
        f.columns.push_back({x, y, motif, mapped ? map->values[i] : std::nan("")});
        if (motif >= 0 && std::size_t(motif) < counts.size())
            ++counts[std::size_t(motif)];
    }
    for (int id = 0; id < c.motifs.size(); ++id) {
        const MotifEntry& m = c.motifs.motifs[std::size_t(id)];
        const bool haveAverage = c.motifs.patchSize > 0
                                 && m.averagePatch.size() == std::size_t(c.motifs.patchSize * c.motifs.patchSize);
        f.motifs.push_back({id, m.name.toStdString(), m.colour.name(QColor::HexRgb).toStdString(),
                            counts[std::size_t(id)], haveAverage ? c.motifs.patchSize : 0,
                            haveAverage ? m.averagePatch : std::vector<float>{}});
    }
    if (c.hierarchy) {
        f.hierarchyRoute = c.hierarchy->route;
        const QStringList names = motifNamesOf(c.motifs); // the user's words, as the tree shows them
        for (const HierarchyLevel& level : c.hierarchy->levels)
            for (std::size_t i = 0; i < level.motifs.size() && i < kHierarchyEntriesPerLevel; ++i)
                f.hierarchy.push_back({level.level, plainNodeName(level.motifs[i].name, names).toStdString(),
                                       level.motifs[i].count, level.motifs[i].fraction});
    }
    return f;
}

QStringList writeDataFolder(const SessionContent& c, const QString& folder)
{
    const QDir dir(folder);
    if (!QDir().mkpath(folder))
        throw IoError(nativePath(folder), "cannot create the folder");
    QStringList written;
    const auto file = [&](const char* name) { return nativePath(dir.filePath(QString::fromLatin1(name))); };

    AnalysisResult result;
    result.detection.columns = c.columns.columns;
    const ColumnLabels labels = labelsOf(c.columns);
    if (c.micrograph && !c.columns.empty()) {
        int patchSize = c.learning.patchSize > 0 ? c.learning.patchSize
                                                 : automaticPatchSize(medianNearestNeighbourDistance(c.columns.columns));
        if (patchSize % 2 == 0)
            ++patchSize;
        FeatureParams params;
        params.nMax = c.learning.nMax;
        params.patchSize = patchSize;
        // The document's finite copy when the content carries it; else one made here (off the GUI thread).
        const std::shared_ptr<const FloatImage> raw =
            c.finiteImage ? c.finiteImage : std::make_shared<const FloatImage>(withFiniteValues(*c.micrograph));
        result.patchSize = patchSize;
        result.features = computeFeatures(*raw, c.columns.columns, patchSize, params);
    }
    writeAnalysisColumnsCsv(result, labels, file("columns.csv"));
    written << QStringLiteral("columns.csv");
    if (result.features.invariants.rows() > 0) {
        writeFeaturesCsv(result, file("features.csv"));
        written << QStringLiteral("features.csv");
    }
    if (c.columns.hasMap()) {
        std::string text = "x,y,e1,e2,motif\n";
        for (std::size_t i = 0; i < c.columns.size(); ++i) {
            const MapPoint p = c.columns.mapOf(i);
            if (!p.learned())
                continue;
            const AtomColumn& col = c.columns.columns[i];
            for (double v : {col.x, col.y, double(p.x), double(p.y)}) {
                appendNumber(text, v);
                text += ',';
            }
            text += std::to_string(c.columns.classOf(i));
            text += '\n';
        }
        writeTextFile(file("embedding.csv"), text);
        written << QStringLiteral("embedding.csv");
    }
    if (!c.motifs.empty()) {
        std::vector<Motif> motifs;
        long long labelled = 0;
        for (int id = 0; id < c.motifs.size(); ++id)
            labelled += membersOf(c.columns, id);
        for (int id = 0; id < c.motifs.size(); ++id) {
            const MotifEntry& e = c.motifs.motifs[std::size_t(id)];
            Motif m;
            m.id = id;
            m.name = e.name.toStdString(); // the user's names travel with the data
            m.count = membersOf(c.columns, id);
            m.fraction = labelled > 0 ? double(m.count) / double(labelled) : 0.0;
            m.colour = e.colour.name(QColor::HexRgb).toStdString();
            m.patchSize = c.motifs.patchSize;
            m.averagePatch = e.averagePatch;
            motifs.push_back(std::move(m));
        }
        writeMotifsJson(motifs, c.motifs.patchSize, labels, file("motifs.json"));
        written << QStringLiteral("motifs.json");
    }
    if (c.hierarchy) {
        writeHierarchyJson(*c.hierarchy, file("hierarchy.json"));
        written << QStringLiteral("hierarchy.json");
    }
    return written;
}

} // namespace motifscope::ui
