// Drawing a figure with QPainter in points (1/72 inch) on any device: QImage (PNG), QSvgGenerator, QPdfWriter.
#include "ui/figure/figure.h"

#include "core/detect/column_detector.h"
#include "core/io/file_util.h"
#include "core/learn/motifs.h"
#include "core/render/annotation_place.h"
#include "core/render/colour_map.h"
#include "core/render/contrast.h"

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QLinearGradient>
#include <QPaintDevice>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <unistd.h>

namespace motifscope {

namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kMargin = 6.0;       ///< around the figure
constexpr double kGap = 12.0;         ///< between the micrograph and the legend column
constexpr double kLabelBand = 13.0;   ///< above the panels, for the panel letters
constexpr int kValueTileAlpha = 150;  ///< the per-column map's tiles let the atoms show through

/** The stroke of a ring marker of `diameter` points: thin enough to leave the atom visible inside. */
double ringWidth(double diameter)
{
    return std::clamp(0.2 * diameter, 0.4, 1.2);
}
constexpr double kScaleBarPoints = 7.0;

QString qs(const std::string& s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QColor colourOf(const std::string& hex)
{
    const QColor c(qs(hex));
    return c.isValid() ? c : QColor(128, 128, 128);
}

/** A font of `points` on `device`, whose world coordinates are points (see renderFigure). */
QFont figureFont(const QPaintDevice* device, double points, bool bold = false)
{
    QFont f(QStringList{QStringLiteral("Helvetica"), QStringLiteral("Arial"), QStringLiteral("Liberation Sans"),
                        QStringLiteral("DejaVu Sans")});
    f.setStyleHint(QFont::SansSerif);
    const double dpi = device ? device->logicalDpiY() : 72.0;
    f.setPointSizeF(points * 72.0 / dpi);
    f.setBold(bold);
    return f;
}

QString numberText(double v)
{
    return QString::number(v, 'g', 6);
}

/** "12,345" with thin grouping. */
QString countText(long long n)
{
    QString digits = QString::number(n);
    for (int i = int(digits.size()) - 3; i > (n < 0 ? 1 : 0); i -= 3)
        digits.insert(i, QLatin1Char(','));
    return digits;
}

/** Sum of the legend counts (the share of each motif is of this). */
long long labelledTotal(const FigureContent& c)
{
    long long total = 0;
    for (const FigureMotif& m : c.motifs)
        total += m.count;
    return total;
}

long long unassignedCount(const FigureContent& c)
{
    return std::count_if(c.columns.begin(), c.columns.end(), [](const FigureColumn& col) { return col.motif < 0; });
}

/**
 * The legend column: motif list, average patches, hierarchy summary. Draws when `p` is set; returns
 * the height used either way (the layout calls it without a painter, on a 72-dpi metric).
 */
double drawSide(QPainter* p, const QPaintDevice* device, const FigureContent& c, const FigureOptions& o,
                double left, double top, double width)
{
    double y = top;
    const QFont heading = figureFont(device, 7.5, true);
    const QFont body = figureFont(device, 6.5);
    const QFont small = figureFont(device, 6.0);
    const QFontMetricsF hm(heading, const_cast<QPaintDevice*>(device)), bm(body, const_cast<QPaintDevice*>(device));
    auto text = [&](const QFont& f, double x, double baseline, const QString& s, const QColor& colour = Qt::black) {
        if (!p)
            return;
        p->setFont(f);
        p->setPen(colour);
        p->drawText(QPointF(x, baseline), s);
    };
    auto rightText = [&](const QFont& f, double right, double baseline, const QString& s, const QColor& colour) {
        if (!p)
            return;
        p->setFont(f);
        p->setPen(colour);
        p->drawText(QPointF(right - QFontMetricsF(f, const_cast<QPaintDevice*>(device)).horizontalAdvance(s), baseline), s);
    };
    const double line = 10.5;

    // Motif legend.
    text(heading, left, y + hm.ascent(), QStringLiteral("Motifs"));
    y += hm.height() + 3.0;
    const long long total = labelledTotal(c);
    auto entry = [&](const QColor& colour, const QString& name, long long count, bool share) {
        if (p) {
            p->setPen(QPen(QColor(30, 30, 30), 0.3));
            p->setBrush(colour);
            p->drawEllipse(QPointF(left + 3.5, y + line / 2), 3.0, 3.0);
            p->setBrush(Qt::NoBrush);
        }
        const double baseline = y + line / 2 + (bm.ascent() - bm.descent()) / 2;
        text(body, left + 10.0, baseline, bm.elidedText(name, Qt::ElideRight, width * 0.55));
        QString right = countText(count);
        if (share && total > 0)
            right += QStringLiteral(" (%1%)").arg(100.0 * double(count) / double(total), 0, 'f', 1);
        rightText(body, left + width, baseline, right, QColor(40, 40, 40));
        y += line;
    };
    for (const FigureMotif& m : c.motifs)
        entry(colourOf(m.colour), qs(m.name), m.count, true);
    const long long unassigned = unassignedCount(c);
    if (unassigned > 0 || c.motifs.empty())
        entry(colourOf(motifColour(-1)), c.motifs.empty() ? QStringLiteral("columns") : QStringLiteral("unassigned"),
              c.motifs.empty() ? (long long)c.columns.size() : unassigned, false);
    y += 2.0;
    text(small, left, y + bm.ascent(), QStringLiteral("n = %1 columns").arg(countText((long long)c.columns.size())),
         QColor(90, 90, 90));
    y += bm.height() + 8.0;

    // The colour scale of the per-column map.
    if (!c.valueName.empty()) {
        text(small, left, y + bm.ascent(), bm.elidedText(qs(c.valueName), Qt::ElideRight, width), QColor(40, 40, 40));
        y += bm.height() + 2.0;
        const QRectF bar(left, y, width * 0.6, 5.0);
        if (p) {
            QLinearGradient gradient(bar.topLeft(), bar.topRight());
            for (int k = 0; k <= 8; ++k) {
                const auto rgb = orderedColour(k / 8.0);
                gradient.setColorAt(k / 8.0, QColor(rgb[0], rgb[1], rgb[2]));
            }
            p->setPen(Qt::NoPen);
            p->setBrush(gradient);
            p->drawRect(bar);
            p->setBrush(Qt::NoBrush);
        }
        y += bar.height() + 1.0;
        text(small, left, y + bm.ascent(), numberText(c.valueLow), QColor(60, 60, 60));
        rightText(small, bar.right(), y + bm.ascent(), numberText(c.valueHigh), QColor(60, 60, 60));
        y += bm.height() + 8.0;
    }

    // Average patches, on one common grey scale so intensities compare.
    std::vector<const FigureMotif*> patches;
    for (const FigureMotif& m : c.motifs)
        if (m.patchSize > 0 && m.average.size() == std::size_t(m.patchSize) * std::size_t(m.patchSize))
            patches.push_back(&m);
    if (o.averages && !patches.empty()) {
        text(heading, left, y + hm.ascent(), QStringLiteral("Average patches"));
        y += hm.height() + 3.0;
        std::vector<float> all;
        for (const FigureMotif* m : patches)
            all.insert(all.end(), m->average.begin(), m->average.end());
        const auto [lo, hi] = percentileLimits(all.data(), all.size(), 0.5, 99.5);
        const int perRow = 3;
        const double tile = std::min(44.0, (width - (perRow - 1) * 6.0) / perRow);
        for (std::size_t i = 0; i < patches.size(); ++i) {
            const FigureMotif& m = *patches[i];
            const double x = left + double(i % perRow) * (tile + 6.0);
            const double ty = y + double(i / perRow) * (tile + bm.height() + 4.0);
            if (p) {
                QImage img(m.patchSize, m.patchSize, QImage::Format_Grayscale8);
                for (int r = 0; r < m.patchSize; ++r) {
                    uchar* row = img.scanLine(r);
                    for (int k = 0; k < m.patchSize; ++k) {
                        const double v = (double(m.average[std::size_t(r) * m.patchSize + k]) - lo) / (hi - lo);
                        row[k] = uchar(std::clamp(std::isfinite(v) ? v : 0.0, 0.0, 1.0) * 255.0 + 0.5);
                    }
                }
                p->drawImage(QRectF(x, ty, tile, tile), img);
                p->setPen(QPen(colourOf(m.colour), 1.5));
                p->setBrush(Qt::NoBrush);
                p->drawRect(QRectF(x + 0.75, ty + 0.75, tile - 1.5, tile - 1.5));
            }
            const QString label = qs(m.name);
            const double lw = bm.horizontalAdvance(bm.elidedText(label, Qt::ElideRight, tile + 4));
            text(small, x + (tile - lw) / 2, ty + tile + bm.ascent() + 1.0, bm.elidedText(label, Qt::ElideRight, tile + 4));
        }
        const std::size_t rows = (patches.size() + perRow - 1) / perRow;
        y += double(rows) * (tile + bm.height() + 4.0) + 6.0;
    }

    // Hierarchy summary: the most common motifs of each level.
    if (o.hierarchy && !c.hierarchy.empty()) {
        text(heading, left, y + hm.ascent(),
             c.hierarchyRoute.empty() ? QStringLiteral("Hierarchy")
                                      : QStringLiteral("Hierarchy (%1)").arg(qs(c.hierarchyRoute)));
        y += hm.height() + 2.0;
        int level = -1;
        for (const FigureHierarchyEntry& e : c.hierarchy) {
            if (e.level != level) {
                level = e.level;
                y += 2.0;
                text(figureFont(device, 6.5, true), left, y + bm.ascent(), QStringLiteral("Level %1").arg(level));
                y += bm.height();
            }
            const QString right = QStringLiteral("%1 (%2%)").arg(countText(e.count)).arg(100.0 * e.fraction, 0, 'f', 0);
            text(small, left + 6.0, y + bm.ascent(), bm.elidedText(qs(e.name), Qt::ElideRight, width * 0.62));
            rightText(small, left + width, y + bm.ascent(), right, QColor(40, 40, 40));
            y += bm.height();
        }
    }
    return y - top;
}

/** The micrograph with percentile contrast, at most `maxSide` pixels along its longer side. */
QImage micrographImage(const Micrograph& m, const FigureOptions& o, int maxSide)
{
    QImage img(m.width, m.height, QImage::Format_Grayscale8);
    const auto [lo, hi] = percentileLimits(m.pixels.data(), m.pixels.size(), o.lowPercent, o.highPercent);
    const double scale = 255.0 / (hi - lo);
    for (int y = 0; y < m.height; ++y) {
        uchar* row = img.scanLine(y);
        const float* src = m.pixels.data() + std::size_t(y) * std::size_t(m.width);
        for (int x = 0; x < m.width; ++x) {
            const double v = (double(src[x]) - lo) * scale;
            row[x] = uchar(std::isfinite(v) ? std::clamp(v, 0.0, 255.0) + 0.5 : 0.0);
        }
    }
    if (std::max(m.width, m.height) > maxSide * 3 / 2)
        img = img.scaled(maxSide, maxSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return img;
}

void drawFigure(QPainter& p, const FigureContent& c, const FigureOptions& o, const FigureLayout& L, int imageMaxSide)
{
    const QPaintDevice* device = p.device();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    p.fillRect(QRectF(0, 0, L.width, L.height), Qt::white);

    const QRectF frame(L.imageLeft, L.imageTop, c.width * L.imageScale, c.height * L.imageScale);
    if (!c.image.empty())
        p.drawImage(frame, micrographImage(c.image, o, imageMaxSide));
    else {
        p.setPen(QPen(QColor(190, 190, 190), 0.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(frame);
    }

    // The per-column map: translucent tiles, one column spacing wide, under the markers.
    if (!c.valueName.empty() && L.tileSide > 0) {
        const double span = c.valueHigh > c.valueLow ? c.valueHigh - c.valueLow : 1.0;
        p.save();
        p.setClipRect(frame);
        p.setPen(Qt::NoPen);
        p.setRenderHint(QPainter::Antialiasing, false); // adjacent tiles without seams
        for (const FigureColumn& col : c.columns) {
            if (!std::isfinite(col.value))
                continue;
            const auto rgb = orderedColour((col.value - c.valueLow) / span);
            const QPointF centre(L.imageLeft + L.imageScale * (col.x + 0.5), L.imageTop + L.imageScale * (col.y + 0.5));
            p.fillRect(QRectF(centre.x() - L.tileSide / 2, centre.y() - L.tileSide / 2, L.tileSide, L.tileSide),
                       QColor(rgb[0], rgb[1], rgb[2], kValueTileAlpha));
        }
        p.restore();
    }

    // Column markers, one group per motif (legend order, then other labels, then unassigned).
    std::map<int, std::vector<QPointF>> groups;
    for (const FigureColumn& col : c.columns)
        groups[col.motif].push_back(QPointF(L.imageLeft + L.imageScale * (col.x + 0.5), L.imageTop + L.imageScale * (col.y + 0.5)));
    std::vector<std::pair<int, QColor>> order;
    for (const FigureMotif& m : c.motifs)
        order.push_back({m.id, colourOf(m.colour)});
    for (const auto& [id, points] : groups)
        if (id >= 0 && std::none_of(order.begin(), order.end(), [id = id](const auto& e) { return e.first == id; }))
            order.push_back({id, colourOf(motifColour(id))});
    order.push_back({-1, colourOf(motifColour(-1))});
    const double r = L.markerDiameter / 2.0;
    p.save();
    p.setClipRect(frame);
    for (const auto& [id, colour] : order) {
        const auto it = groups.find(id);
        if (it == groups.end())
            continue;
        if (o.filledMarkers) {
            p.setPen(QPen(QColor(0, 0, 0), std::min(0.35, 0.15 * L.markerDiameter)));
            p.setBrush(colour);
        } else {
            p.setPen(QPen(colour, ringWidth(L.markerDiameter)));
            p.setBrush(Qt::NoBrush);
        }
        const double shown = o.filledMarkers ? r : r - ringWidth(L.markerDiameter) / 2;
        for (const QPointF& centre : it->second)
            p.drawEllipse(centre, shown, shown);
    }
    p.restore();

    // Scale bar: over the micrograph a white bar and label on a dark backing; below it, black on white.
    if (L.scaleBarLength > 0) {
        const double pixelSize = c.calibration.isCalibrated() ? c.calibration.pixelSizeX : 1.0;
        const double length = L.scaleBarLength / pixelSize * L.imageScale;
        const QFont f = figureFont(device, kScaleBarPoints, true);
        const QFontMetricsF fm(f, const_cast<QPaintDevice*>(device));
        const QString label = qs(L.scaleBarLabel);
        const QRectF box(L.scaleBarLeft, L.scaleBarTop, L.scaleBarWidth, L.scaleBarHeight);
        const QColor ink = L.scaleBarBelow ? QColor(Qt::black) : QColor(Qt::white);
        p.setPen(Qt::NoPen);
        if (!L.scaleBarBelow) {
            p.setBrush(QColor(0, 0, 0, 140));
            p.drawRoundedRect(box, 1.5, 1.5);
        }
        p.setBrush(ink);
        p.drawRect(QRectF(box.left() + (box.width() - length) / 2, box.bottom() - 3.0 - 2.5, length, 2.5));
        p.setFont(f);
        p.setPen(ink);
        p.drawText(QPointF(box.center().x() - fm.horizontalAdvance(label) / 2, box.top() + 2.0 + fm.ascent()), label);
    }

    if (o.panelLabels) {
        p.setFont(figureFont(device, 10.0, true));
        p.setPen(Qt::black);
        p.drawText(QPointF(L.imageLeft, kLabelBand - 3.0), QStringLiteral("a"));
        if (L.sideWidth > 0)
            p.drawText(QPointF(L.sideLeft, kLabelBand - 3.0), QStringLiteral("b"));
    }
    if (L.sideWidth > 0)
        drawSide(&p, device, c, o, L.sideLeft, L.imageTop, L.sideWidth);
}

void renameInto(const std::string& temp, const std::string& path)
{
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw IoError(path, "cannot write: " + ec.message());
    }
}

} // namespace

FigureLayout computeFigureLayout(const FigureContent& c, const FigureOptions& o)
{
    if (c.width <= 0 || c.height <= 0)
        throw IoError("figure", "nothing to draw: the image frame is empty");
    FigureLayout L;
    L.width = std::clamp(o.widthMm, 30.0, 1000.0) * kPointsPerMm;
    const bool side = o.legend;
    L.sideWidth = side ? std::clamp(L.width * 0.27, 105.0, 170.0) : 0.0;
    L.imageLeft = kMargin;
    L.imageTop = o.panelLabels ? kLabelBand : kMargin;
    const double imageWidth = L.width - 2 * kMargin - (side ? kGap + L.sideWidth : 0.0);
    L.imageScale = imageWidth / double(c.width);
    L.sideLeft = side ? L.imageLeft + imageWidth + kGap : 0.0;
    const double imageHeight = double(c.height) * L.imageScale;
    QImage metric(1, 1, QImage::Format_RGB32); // 72 dpi: fonts in points
    metric.setDotsPerMeterX(int(std::lround(72.0 / 0.0254)));
    metric.setDotsPerMeterY(int(std::lround(72.0 / 0.0254)));
    const double sideHeight = side ? drawSide(nullptr, &metric, c, o, L.sideLeft, L.imageTop, L.sideWidth) : 0.0;
    L.height = std::ceil(L.imageTop + std::max(imageHeight, sideHeight) + kMargin);

    AtomColumns positions;
    positions.reserve(c.columns.size());
    for (const FigureColumn& col : c.columns)
        positions.push_back({col.x, col.y});
    const double spacing = medianNearestNeighbourDistance(positions);
    L.markerDiameter = spacing > 0 ? std::clamp(o.markerScale * spacing * L.imageScale, 1.2, 8.0) : 3.0;
    L.tileSide = spacing > 0 ? spacing * L.imageScale : 0.0;

    if (o.scaleBar) {
        const bool calibrated = c.calibration.isCalibrated();
        const double pixelSize = calibrated ? c.calibration.pixelSizeX : 1.0;
        L.scaleBarLength = niceScaleBarLength(0.22 * double(c.width) * pixelSize);
        const double points = L.scaleBarLength / pixelSize * L.imageScale;
        if (points < 8.0 || !(L.scaleBarLength > 0))
            L.scaleBarLength = 0.0;
        else {
            L.scaleBarLabel = numberText(L.scaleBarLength).toStdString() + " " + (calibrated ? c.calibration.unit : "px");
            const QFontMetricsF fm(figureFont(&metric, kScaleBarPoints, true), &metric);
            L.scaleBarWidth = std::max(points, fm.horizontalAdvance(qs(L.scaleBarLabel))) + 6.0;
            L.scaleBarHeight = fm.height() + 2.5 + 7.0;
            // Over the micrograph only in a corner that hides no column; else in a band below it.
            std::vector<FramePoint> frame;
            frame.reserve(c.columns.size());
            for (const FigureColumn& col : c.columns)
                frame.push_back({L.imageScale * (col.x + 0.5), L.imageScale * (col.y + 0.5)});
            const BoxPlacement place = placeInEmptiestCorner(imageWidth, imageHeight, L.scaleBarWidth, L.scaleBarHeight,
                                                             5.0, frame, L.markerDiameter / 2);
            L.scaleBarBelow = !place.inside;
            if (L.scaleBarBelow) {
                L.scaleBarLeft = L.imageLeft;
                L.scaleBarTop = L.imageTop + imageHeight + 2.0;
                L.height = std::max(L.height, std::ceil(L.scaleBarTop + L.scaleBarHeight + kMargin));
            } else {
                L.scaleBarLeft = L.imageLeft + place.left;
                L.scaleBarTop = L.imageTop + place.top;
            }
        }
    }
    return L;
}

void renderFigure(const FigureContent& c, const FigureOptions& o, const std::string& path)
{
    FigureFormat format;
    if (!figureFormatFor(path, format))
        throw IoError(path, "unknown figure format: use .png, .svg or .pdf");
    if (o.dpi < 30 || o.dpi > 2400)
        throw IoError(path, "resolution must be 30 to 2400 dpi");
    const FigureLayout L = computeFigureLayout(c, o);
    const std::filesystem::path target(path);
    removeStaleTemporaries(path); // killed writers' leftovers
    const std::string temp = (target.parent_path() / ("." + target.filename().string() + ".tmp" + std::to_string(::getpid())
                                                      + target.extension().string())).string();
    const QString qtemp = QString::fromStdString(temp);
    bool ok = false;
    if (format == FigureFormat::Png) {
        const double s = o.dpi / 72.0;
        const long long w = std::lround(L.width * s), h = std::lround(L.height * s);
        if (w * h > 400'000'000LL)
            throw IoError(path, "figure too large at this resolution (" + std::to_string(w) + " x " + std::to_string(h) + ")");
        QImage image(int(w), int(h), QImage::Format_RGB32);
        if (image.isNull())
            throw IoError(path, "out of memory for a " + std::to_string(w) + " x " + std::to_string(h) + " figure");
        const int dpm = int(std::lround(o.dpi / 0.0254));
        image.setDotsPerMeterX(dpm);
        image.setDotsPerMeterY(dpm);
        {
            QPainter p(&image);
            p.scale(double(w) / L.width, double(h) / L.height);
            const double frameSide = std::max(c.width, c.height) * L.imageScale * o.dpi / 72.0;
            drawFigure(p, c, o, L, int(std::ceil(frameSide)));
        }
        ok = image.save(qtemp, "PNG");
    } else if (format == FigureFormat::Svg) {
        QSvgGenerator svg;
        svg.setFileName(qtemp);
        svg.setResolution(72);
        svg.setSize(QSize(int(std::ceil(L.width)), int(std::ceil(L.height))));
        svg.setViewBox(QRectF(0, 0, L.width, L.height));
        svg.setTitle(QStringLiteral("MotifScope figure"));
        svg.setDescription(QStringLiteral("Micrograph with atom columns coloured by motif"));
        QPainter p;
        if (p.begin(&svg)) {
            drawFigure(p, c, o, L, 2048);
            ok = p.end();
        }
    } else {
        QPdfWriter pdf(qtemp);
        pdf.setResolution(720);
        pdf.setPageSize(QPageSize(QSizeF(L.width, L.height), QPageSize::Point, QString(), QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setCreator(QStringLiteral("MotifScope"));
        pdf.setTitle(QStringLiteral("MotifScope figure"));
        QPainter p;
        if (p.begin(&pdf)) {
            p.scale(720.0 / 72.0, 720.0 / 72.0);
            // The micrograph goes in at its own pixels, Flate-compressed (lossless), never as JPEG.
            p.setRenderHint(QPainter::LosslessImageRendering, true);
            drawFigure(p, c, o, L, std::max({c.width, c.height, 1}));
            ok = p.end();
        }
    }
    std::error_code ec;
    if (!ok || !std::filesystem::exists(temp, ec)) {
        std::filesystem::remove(temp, ec);
        throw IoError(path, "cannot write the figure (folder missing or not writable?)");
    }
    renameInto(temp, path);
}

} // namespace motifscope
