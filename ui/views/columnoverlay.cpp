#include "ui/views/columnoverlay.h"

#include "core/detect/column_detector.h"
#include "ui/document/micrographdocument.h"

#include <QPaintDevice>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace motifscope::ui {

namespace {

/** Markers are circles of this fraction of the typical column spacing. */
constexpr double kRadiusPerSpacing = 0.28;
constexpr double kFallbackRadius = 3.0;
/** Above this many visible circles antialiasing is switched off (speed over polish). */
constexpr int kMaxAntialiasedCircles = 20000;
/** Above this many visible circles each is stamped from a cached marker image. */
constexpr int kMaxExactCircles = 150;

} // namespace

ColumnOverlay::ColumnOverlay(QObject* parent) : ImageOverlay(parent)
{
    setObjectName(QStringLiteral("columnOverlay"));
}

void ColumnOverlay::setDocument(MicrographDocument* document)
{
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    if (mDocument) {
        connect(mDocument, &MicrographDocument::columnsChanged, this, &ColumnOverlay::onColumnsChanged);
        connect(mDocument, &MicrographDocument::selectionChanged, this, &ImageOverlay::changed);
    }
    onColumnsChanged();
}

void ColumnOverlay::onColumnsChanged()
{
    mRangeValid = false;
    Q_EMIT changed();
}

ColumnOverlay::SigmaRange ColumnOverlay::sigmaRange(const AtomColumns& columns)
{
    std::vector<float> sigmas;
    for (const AtomColumn& c : columns)
        if (c.positionSigma > 0.0f && std::isfinite(c.positionSigma))
            sigmas.push_back(c.positionSigma);
    SigmaRange range;
    range.fitted = sigmas.size();
    if (sigmas.empty())
        return range;
    auto quantile = [&sigmas](double q) {
        const auto k = std::ptrdiff_t(q * double(sigmas.size() - 1) + 0.5);
        std::nth_element(sigmas.begin(), sigmas.begin() + k, sigmas.end());
        return double(sigmas[std::size_t(k)]);
    };
    range.low = quantile(0.05);
    range.high = std::max(quantile(0.95), range.low);
    return range;
}

QColor ColumnOverlay::uncertaintyColour(double t)
{
    // Light blue (precise) through yellow to crimson (uncertain): bright enough on a dark image.
    static constexpr int stops[][3] = {{70, 170, 255}, {120, 230, 200}, {255, 235, 60}, {255, 140, 30}, {230, 30, 80}};
    constexpr int last = int(std::size(stops)) - 1;
    const double x = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * last;
    const int i = std::min(int(x), last - 1);
    const double f = x - i;
    auto mix = [&](int channel) { return int(std::lround(stops[i][channel] + f * (stops[i + 1][channel] - stops[i][channel]))); };
    return QColor(mix(0), mix(1), mix(2));
}

void ColumnOverlay::setColourByUncertainty(bool on)
{
    if (on == mByUncertainty)
        return;
    mByUncertainty = on;
    Q_EMIT changed();
}

ColumnOverlay::SigmaRange ColumnOverlay::uncertaintyRange() const
{
    if (!mDocument)
        return {};
    if (!mRangeValid) {
        mRange = sigmaRange(mDocument->columns());
        mRangeValid = true;
    }
    return mRange;
}

QRgb ColumnOverlay::markerColour(std::size_t i, bool classed, const SigmaRange& range) const
{
    if (mByUncertainty) {
        const float sigma = mDocument->columns()[i].positionSigma;
        if (!(sigma > 0.0f) || !range.valid())
            return unfittedColour().rgba();
        const double span = range.high - range.low;
        return uncertaintyColour(span > 0.0 ? (sigma - range.low) / span : 0.5).rgba();
    }
    if (classed) {
        const int c = shownClass(i);
        if (c >= 0) {
            const QColor& colour = mPalette[c % mPalette.size()];
            if (mByConfidence && mPreview.empty())
                return shadedColour(colour, mDocument->columnSet().confidenceOf(i)).rgba();
            return colour.rgba();
        }
    }
    return mDefault.rgba();
}

void ColumnOverlay::setShadeByConfidence(bool on)
{
    if (on == mByConfidence)
        return;
    mByConfidence = on;
    Q_EMIT changed();
}

QColor ColumnOverlay::shadedColour(const QColor& colour, double confidence)
{
    const double c = std::clamp(std::isfinite(confidence) ? confidence : 0.0, 0.0, 1.0);
    auto mix = [&](int channel) { return int(std::lround(c * channel + (1.0 - c) * 128.0)); };
    return QColor(mix(colour.red()), mix(colour.green()), mix(colour.blue()));
}

void ColumnOverlay::setMarkerRadius(double imagePixels)
{
    mFixedRadius = std::isfinite(imagePixels) && imagePixels > 0.0 ? imagePixels : 0.0;
    Q_EMIT changed();
}

double ColumnOverlay::columnSpacing() const
{
    if (!mDocument)
        return 0.0;
    // The spacing only matters roughly: recomputed when the number of columns changes, not on moves.
    const AtomColumns& columns = mDocument->columns();
    if (columns.size() != mSpacingCount) {
        mSpacingCount = columns.size();
        const double spacing = medianNearestNeighbourDistance(columns);
        mSpacing = spacing > 0.0 && std::isfinite(spacing) ? spacing : 0.0;
    }
    return mSpacing;
}

double ColumnOverlay::markerRadius() const
{
    if (mFixedRadius > 0.0)
        return mFixedRadius;
    const double spacing = columnSpacing();
    return spacing > 0.0 ? std::clamp(kRadiusPerSpacing * spacing, 0.75, 200.0) : kFallbackRadius;
}

void ColumnOverlay::setMarkerStyle(MarkerStyle style)
{
    if (style == mStyle)
        return;
    mStyle = style;
    Q_EMIT changed();
}

void ColumnOverlay::setDefaultColour(const QColor& colour)
{
    mDefault = colour;
    Q_EMIT changed();
}

void ColumnOverlay::setPalette(const QList<QColor>& palette)
{
    mPalette = palette;
    Q_EMIT changed();
}

QColor ColumnOverlay::colourOf(int index) const
{
    if (!mDocument)
        return mDefault;
    const int c = shownClass(std::size_t(index));
    if (c < 0 || mPalette.isEmpty())
        return mDefault;
    return mPalette[c % mPalette.size()];
}

void ColumnOverlay::setPreviewClasses(std::vector<int> classes)
{
    if (classes.empty() && mPreview.empty())
        return;
    mPreview = std::move(classes);
    Q_EMIT changed();
}

int ColumnOverlay::shownClass(std::size_t index) const
{
    if (!mPreview.empty())
        return index < mPreview.size() ? mPreview[index] : -1;
    return mDocument ? mDocument->columnSet().classOf(index) : -1;
}

void ColumnOverlay::paint(QPainter& painter, const OverlayContext& context)
{
    if (!mDocument || mDocument->columns().empty())
        return;
    const double radius = markerRadius() * context.zoom;
    mLastDots = radius < kMinCircleRadius;
    painter.resetTransform();
    if (mLastDots)
        paintDots(painter, context);
    else
        paintCircles(painter, context, radius);
}

void ColumnOverlay::paintDots(QPainter& painter, const OverlayContext& context)
{
    // The layer is in device pixels (devicePixelRatio 2: twice the widget's size), so dots stay sharp.
    const QPaintDevice* device = painter.device();
    const double dpr = device->devicePixelRatioF();
    // Only the part of the widget the image covers (plus a marker) is filled and composited.
    const QRect widget(0, 0, int(std::ceil(device->width() * dpr)), int(std::ceil(device->height() * dpr)));
    QRectF frame(-0.5, -0.5, 1.0, 1.0);
    if (mDocument->hasMicrograph())
        frame = QRectF(-0.5, -0.5, mDocument->micrograph().width, mDocument->micrograph().height);
    const QRect layer = (context.imageToWidget * QTransform::fromScale(dpr, dpr))
                            .mapRect(frame)
                            .toAlignedRect()
                            .adjusted(-4, -4, 4, 4)
                            .intersected(widget);
    const int w = layer.width(), h = layer.height();
    if (w <= 0 || h <= 0)
        return;
    if (mDots.size() != QSize(w, h))
        mDots = QImage(w, h, QImage::Format_ARGB32_Premultiplied);
    mDots.setDevicePixelRatio(dpr);
    mDots.fill(Qt::transparent);
    const QTransform t = context.imageToWidget * QTransform::fromScale(dpr, dpr)
                         * QTransform::fromTranslate(-layer.left(), -layer.top());
    const int dot = std::max(2, int(std::lround(2 * dpr))), selectedDot = std::max(3, int(std::lround(3 * dpr)));
    // Outline: a hollow square `ring` device pixels out from the centre pixel (1 or 2 as the
    // marker grows), so the column's brightest pixels stay visible.
    const int ring = std::clamp(int(std::lround(markerRadius() * context.zoom * dpr * 0.7)), 1, std::max(1, int(2 * dpr)));
    const ColumnSet& set = mDocument->columnSet();
    const bool classed = (!set.classes.empty() || !mPreview.empty()) && !mPalette.isEmpty();
    const SigmaRange range = mByUncertainty ? uncertaintyRange() : SigmaRange{};
    auto plot = [&](std::size_t i, QRgb colour, int size) {
        // A dot of size x size device pixels centred on the column's widget position.
        const double wx = t.m11() * set.columns[i].x + t.dx(), wy = t.m22() * set.columns[i].y + t.dy();
        const int x0 = int(std::floor(wx - 0.5 * (size - 1))), y0 = int(std::floor(wy - 0.5 * (size - 1)));
        if (x0 + size <= 0 || y0 + size <= 0 || x0 >= w || y0 >= h)
            return;
        for (int y = std::max(0, y0); y < std::min(h, y0 + size); ++y) {
            auto* line = reinterpret_cast<QRgb*>(mDots.scanLine(y));
            for (int x = std::max(0, x0); x < std::min(w, x0 + size); ++x)
                line[x] = colour;
        }
    };
    auto plotRing = [&](std::size_t i, QRgb colour) {
        const int cx = int(std::floor(t.m11() * set.columns[i].x + t.dx())), cy = int(std::floor(t.m22() * set.columns[i].y + t.dy()));
        if (cx + ring < 0 || cy + ring < 0 || cx - ring >= w || cy - ring >= h)
            return;
        for (int y = std::max(0, cy - ring); y <= std::min(h - 1, cy + ring); ++y) {
            auto* line = reinterpret_cast<QRgb*>(mDots.scanLine(y));
            const bool edgeRow = y == cy - ring || y == cy + ring;
            for (int x = std::max(0, cx - ring); x <= std::min(w - 1, cx + ring); ++x)
                if (edgeRow || x == cx - ring || x == cx + ring)
                    line[x] = colour;
        }
    };
    for (std::size_t i = 0; i < set.size(); ++i) {
        if (mStyle == MarkerStyle::Outline)
            plotRing(i, markerColour(i, classed, range));
        else
            plot(i, markerColour(i, classed, range), dot);
    }
    const double footprint = mStyle == MarkerStyle::Outline ? 8.0 * ring : double(dot) * dot;
    mLastWash = crowdedMarkerOpacity(footprint, columnSpacing() * context.zoom * dpr);
    const QPointF at(layer.left() / dpr, layer.top() / dpr);
    auto plotSelection = [&] {
        for (int i : mDocument->selection())
            plot(std::size_t(i), mSelection.rgba(), selectedDot);
    };
    if (mLastWash >= 1.0) { // one layer, one composite
        plotSelection();
        painter.drawImage(at, mDots);
        return;
    }
    painter.save();
    painter.setOpacity(painter.opacity() * mLastWash);
    painter.drawImage(at, mDots);
    painter.restore();
    // Washed: the selection goes on a second, opaque layer (it is what the user is working on).
    if (!mDocument->selection().empty()) {
        mDots.fill(Qt::transparent);
        plotSelection();
        painter.drawImage(at, mDots);
    }
}

double ColumnOverlay::crowdedMarkerOpacity(double footprint, double pitch)
{
    if (!(pitch > 0.0) || !(footprint > 0.0))
        return 1.0;
    // A lattice of spacing `pitch` has about one column per pitch^2 of image.
    const double cover = footprint / (pitch * pitch);
    return cover <= kMaxMarkerCover ? 1.0 : std::max(0.25, kMaxMarkerCover / cover);
}

QImage ColumnOverlay::markerSprite(QRgb colour, const SpriteKey& key)
{
    const double half = key.radius + key.penWidth;
    const int side = int(std::ceil(2 * half * key.dpr)) + 1;
    QImage sprite(side, side, QImage::Format_ARGB32_Premultiplied);
    sprite.fill(Qt::transparent);
    sprite.setDevicePixelRatio(key.dpr);
    QPainter p(&sprite);
    p.setRenderHint(QPainter::Antialiasing, true);
    QPen pen(QColor::fromRgba(colour), key.penWidth);
    p.setPen(pen);
    if (key.filled) {
        QColor fill = QColor::fromRgba(colour);
        fill.setAlpha(150);
        p.setBrush(fill);
    }
    p.drawEllipse(QPointF(half, half), key.radius, key.radius);
    return sprite;
}

void ColumnOverlay::paintCircles(QPainter& painter, const OverlayContext& context, double radius)
{
    const ColumnSet& set = mDocument->columnSet();
    const double r = markerRadius();
    const QRectF visible = context.visibleImage.adjusted(-r, -r, r, r);
    const QTransform& t = context.imageToWidget;
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < set.size(); ++i)
        if (visible.contains(set.columns[i].x, set.columns[i].y))
            shown.push_back(i);
    painter.setRenderHint(QPainter::Antialiasing, shown.size() <= std::size_t(kMaxAntialiasedCircles));
    painter.setBrush(Qt::NoBrush);
    QPen pen(mDefault, std::clamp(radius * 0.18, 1.2, 2.5));
    pen.setCosmetic(true);
    painter.setPen(pen);
    const bool filled = mStyle == MarkerStyle::Filled;
    auto fillOf = [](QRgb colour) {
        QColor c = QColor::fromRgba(colour);
        c.setAlpha(150);
        return c;
    };
    if (filled)
        painter.setBrush(fillOf(mDefault.rgba()));
    const bool classed = (!set.classes.empty() || !mPreview.empty()) && !mPalette.isEmpty();
    const SigmaRange range = mByUncertainty ? uncertaintyRange() : SigmaRange{};
    QRgb current = mDefault.rgba();
    if (shown.size() > std::size_t(kMaxExactCircles)) {
        // Many markers: one antialiased marker image per colour, stamped at each column (to the
        // nearest device pixel), ten times faster than drawing every circle.
        const double dpr = painter.device()->devicePixelRatioF();
        const SpriteKey key{radius, pen.widthF(), filled, dpr};
        if (!(key == mSpriteKey)) {
            mSprites.clear();
            mSpriteKey = key;
        }
        const double half = radius + pen.widthF();
        for (std::size_t i : shown) {
            const QRgb colour = markerColour(i, classed, range);
            auto it = mSprites.find(colour);
            if (it == mSprites.end())
                it = mSprites.insert(colour, markerSprite(colour, key));
            const QPointF c = t.map(QPointF(set.columns[i].x, set.columns[i].y));
            painter.drawImage(QPointF(std::round((c.x() - half) * dpr) / dpr, std::round((c.y() - half) * dpr) / dpr), *it);
        }
        shown.clear();
    }
    for (std::size_t i : shown) {
        const QRgb colour = markerColour(i, classed, range);
        if (colour != current) {
            current = colour;
            pen.setColor(QColor::fromRgba(colour));
            painter.setPen(pen);
            if (filled)
                painter.setBrush(fillOf(colour));
        }
        painter.drawEllipse(t.map(QPointF(set.columns[i].x, set.columns[i].y)), radius, radius);
    }
    // Selection on top: a brighter, thicker ring with a translucent fill and a centre dot.
    QPen selectedPen(mSelection, pen.widthF() + 1.0);
    selectedPen.setCosmetic(true);
    QColor fill = mSelection;
    fill.setAlpha(60);
    for (int i : mDocument->selection()) {
        const AtomColumn& c = set.columns[std::size_t(i)];
        if (!visible.contains(c.x, c.y))
            continue;
        const QPointF centre = t.map(QPointF(c.x, c.y));
        painter.setPen(selectedPen);
        painter.setBrush(fill);
        painter.drawEllipse(centre, radius, radius);
        painter.setPen(Qt::NoPen);
        painter.setBrush(mSelection);
        painter.drawEllipse(centre, 1.2, 1.2);
    }
}

} // namespace motifscope::ui
