#include "ui/panels/statusreadout.h"

#include "ui/text/units.h"

#include "core/detect/column_detector.h"
#include "ui/document/micrographdocument.h"
#include "ui/views/imageview.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

/** Decimals that resolve one pixel: 0.02 nm/px -> 2, 0.5 -> 1, 3 -> 0. */
int decimalsFor(double pixelSize)
{
    if (!(pixelSize > 0.0) || !std::isfinite(pixelSize))
        return 2;
    return std::clamp(int(std::ceil(-std::log10(pixelSize) - 1e-9)), 0, 6);
}

QLabel* makeField(const QString& toolTip, int minimumChars)
{
    auto* label = new QLabel;
    label->setToolTip(toolTip);
    label->setMinimumWidth(label->fontMetrics().averageCharWidth() * minimumChars);
    label->setContentsMargins(6, 0, 6, 0);
    return label;
}

} // namespace

QString cursorReadout(const Micrograph& m, const QPointF& imagePoint)
{
    if (m.empty() || !std::isfinite(imagePoint.x()) || !std::isfinite(imagePoint.y()))
        return {};
    // Pixel centres sit at the integers, so the nearest pixel is the rounded coordinate.
    const double fx = std::floor(imagePoint.x() + 0.5), fy = std::floor(imagePoint.y() + 0.5);
    if (fx < 0 || fy < 0 || fx >= m.width || fy >= m.height)
        return {};
    const int x = int(fx), y = int(fy);
    QString text = QStringLiteral("x %1, y %2").arg(x).arg(y);
    const Calibration& c = m.calibration;
    if (c.isCalibrated()) {
        const QString unit = QString::fromStdString(c.unit);
        text += QStringLiteral(" (%1 %3, %2 %3)")
                    .arg(QString::number(x * c.pixelSizeX, 'f', decimalsFor(c.pixelSizeX)),
                         QString::number(y * c.pixelSizeY, 'f', decimalsFor(c.pixelSizeY)), unit);
    }
    text += QStringLiteral("  value %1").arg(QString::number(m.at(x, y), 'g', 6));
    return text;
}

QString positionSigmaText(double sigmaPx, const Calibration& c)
{
    if (!(sigmaPx > 0.0) || !std::isfinite(sigmaPx))
        return {};
    const QString px = QStringLiteral("%1 px").arg(QString::number(sigmaPx, 'f', sigmaPx < 0.01 ? 4 : 3));
    const double pixelSize = std::max(c.pixelSizeX, c.pixelSizeY);
    if (!c.isCalibrated() || !(pixelSize > 0.0) || !std::isfinite(pixelSize))
        return QStringLiteral("σ ") + px;
    const double length = sigmaPx * pixelSize;
    const double metres = metresPerUnit(c.unit);
    QString calibrated;
    if (metres > 0.0) {
        const double m = length * metres;
        calibrated = m < 1e-9 ? QStringLiteral("%1 pm").arg(QString::number(m * 1e12, 'g', 2))
                              : QStringLiteral("%1 nm").arg(QString::number(m * 1e9, 'g', 2));
    } else {
        calibrated = QStringLiteral("%1 %2").arg(QString::number(length, 'g', 2), QString::fromStdString(c.unit));
    }
    return QStringLiteral("σ %1 (%2)").arg(calibrated, px);
}

QString columnReadout(const AtomColumns& columns, const Calibration& calibration, const QPointF& imagePoint,
                      double radius)
{
    if (!(radius > 0.0) || !std::isfinite(imagePoint.x()) || !std::isfinite(imagePoint.y()))
        return {};
    double best = radius * radius;
    const AtomColumn* nearest = nullptr;
    for (const AtomColumn& c : columns) {
        const double dx = c.x - imagePoint.x(), dy = c.y - imagePoint.y();
        const double d = dx * dx + dy * dy;
        if (d <= best)
            best = d, nearest = &c;
    }
    if (!nearest)
        return {};
    const QString sigma = positionSigmaText(nearest->positionSigma, calibration);
    return sigma.isEmpty() ? StatusReadout::tr("column (not fitted)") : StatusReadout::tr("column %1").arg(sigma);
}

StatusReadout::StatusReadout(QStatusBar* statusBar, MicrographDocument* document, ImageView* view)
    : QObject(statusBar), mDocument(document), mView(view)
{
    mCursor = makeField(tr("Pixel under the cursor: position (calibrated position) and value; over a column, "
                           "the standard error σ of its fitted position"), 44);
    mImage = makeField(tr("Image size and stored data type"), 18);
    mZoom = makeField(tr("Zoom: screen pixels per image pixel"), 10);
    mSelection = makeField(tr("Columns selected (Ctrl+A selects all, Esc or a click on empty image clears)"), 12);
    mSelection->setObjectName(QStringLiteral("selectionCount"));
    mBusyText = new QLabel;
    mBusy = new QProgressBar;
    mBusy->setRange(0, 0); // indeterminate: reading a file reports no progress
    mBusy->setMaximumWidth(120);
    mBusy->setMaximumHeight(statusBar->fontMetrics().height());
    mBusy->setTextVisible(false);
    mBusy->hide();
    mBusyText->hide();

    statusBar->addPermanentWidget(mBusyText);
    statusBar->addPermanentWidget(mBusy);
    statusBar->addPermanentWidget(mSelection);
    statusBar->addPermanentWidget(mCursor);
    statusBar->addPermanentWidget(mImage);
    statusBar->addPermanentWidget(mZoom);

    connect(document, &MicrographDocument::micrographChanged, this, &StatusReadout::updateImage);
    connect(view, &ImageView::cursorMoved, this, &StatusReadout::showCursor);
    connect(view, &ImageView::cursorLeft, mCursor, &QLabel::clear);
    connect(view, &ImageView::zoomChanged, this, &StatusReadout::updateZoom);
    connect(document, &MicrographDocument::selectionChanged, this, &StatusReadout::updateSelection);
    connect(document, &MicrographDocument::columnsChanged, this, &StatusReadout::updateSelection);
    updateImage();
    updateSelection();
    updateZoom();
}

void StatusReadout::setBusy(bool busy, const QString& text)
{
    mBusyText->setText(text);
    mBusyText->setVisible(busy && !text.isEmpty());
    mBusy->setVisible(busy);
}

void StatusReadout::showCursor(const QPointF& imagePoint)
{
    if (!mDocument) {
        mCursor->clear();
        return;
    }
    QString text = cursorReadout(mDocument->micrograph(), imagePoint);
    if (!text.isEmpty()) {
        const QString column = columnReadout(mDocument->columns(), mDocument->micrograph().calibration, imagePoint,
                                             columnRadius());
        if (!column.isEmpty())
            text += QStringLiteral("  ") + column;
    }
    mCursor->setText(text);
}

double StatusReadout::columnRadius()
{
    // The spacing only matters roughly: recomputed when the columns change, not per mouse move.
    if (mDocument->columnsRevision() != mRadiusRevision) {
        mRadiusRevision = mDocument->columnsRevision();
        const double spacing = medianNearestNeighbourDistance(mDocument->columns());
        mRadius = spacing > 0.0 ? 0.35 * spacing : 3.0;
    }
    return mRadius;
}

void StatusReadout::updateSelection()
{
    const std::size_t n = mDocument ? mDocument->selection().size() : 0;
    mSelection->setText(n == 0 ? QString() : tr("%1 of %2 selected").arg(n).arg(mDocument->columns().size()));
    mSelection->setVisible(n > 0);
}

void StatusReadout::updateImage()
{
    mCursor->clear();
    if (!mDocument || !mDocument->hasMicrograph()) {
        mImage->setText(tr("No image"));
        return;
    }
    const Micrograph& m = mDocument->micrograph();
    mImage->setText(QStringLiteral("%1 × %2  %3").arg(m.width).arg(m.height).arg(QString::fromStdString(m.dtype)));
    updateZoom();
}

void StatusReadout::updateZoom()
{
    const bool hasImage = mDocument && mDocument->hasMicrograph() && mView;
    mZoom->setText(hasImage ? tr("Zoom %1%").arg(QString::number(mView->zoom() * 100.0, 'f', mView->zoom() < 0.1 ? 1 : 0))
                            : QString());
}

} // namespace motifscope::ui
