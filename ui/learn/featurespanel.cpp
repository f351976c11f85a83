#include "ui/learn/featurespanel.h"

#include "ui/learn/patchimage.h"
#include "ui/learn/qcustomplotinclude.h"
#include "ui/text/hint.h"

#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace motifscope::ui {

namespace {

constexpr int kAutoPatch = 5; // the spin box's minimum shows "Auto"

QLabel* previewLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setFixedSize(FeaturesPanel::kPreviewSize + 2, FeaturesPanel::kPreviewSize + 2);
    label->setAlignment(Qt::AlignCenter);
    label->setFrameShape(QFrame::Box);
    label->setStyleSheet(QStringLiteral("QLabel { color: palette(mid); }"));
    return label;
}

QLabel* caption(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setAlignment(Qt::AlignHCenter);
    return label;
}

} // namespace

FeaturesPanel::FeaturesPanel(QWidget* parent) : QWidget(parent)
{
    auto* settings = new QGroupBox(tr("Zernike features"), this);
    mNMaxSpin = new QSpinBox(settings);
    mNMaxSpin->setRange(2, 20);
    mNMaxSpin->setValue(kDefaultNMax);
    setHint(mNMaxSpin, tr("Highest radial order n of the Zernike moments, 2 to 20: higher orders describe finer "
                          "detail of each column's patch (more features, slower); default %1").arg(kDefaultNMax));
    mPatchSpin = new QSpinBox(settings);
    mPatchSpin->setRange(kAutoPatch, 255);
    mPatchSpin->setSingleStep(2);
    mPatchSpin->setSpecialValueText(tr("Auto"));
    mPatchSpin->setSuffix(tr(" px"));
    mPatchSpin->setValue(kAutoPatch);
    setHint(mPatchSpin, tr("Width of the square patch cut around each column, in pixels (odd, 7 to 255); "
                           "default: Auto = 2 x lattice period + 1, at least 7"));
    auto* form = new QFormLayout(settings);
    form->addRow(tr("Order n<sub>max</sub>:"), mNMaxSpin);
    form->addRow(tr("Patch size:"), mPatchSpin);

    auto* column = new QGroupBox(tr("Selected column"), this);
    mPatchLabel = previewLabel(column);
    mReconstructionLabel = previewLabel(column);
    mErrorLabel = new QLabel(column);
    mErrorLabel->setAlignment(Qt::AlignHCenter);
    mErrorLabel->setWordWrap(true); // one long line would widen the dock (and cut the text)
    mChart = new QCustomPlot(column);
    mChart->setMinimumHeight(170);
    auto* grid = new QGridLayout(column);
    grid->addWidget(caption(tr("Patch"), column), 0, 0);
    grid->addWidget(caption(tr("Zernike fit"), column), 0, 1);
    grid->addWidget(mPatchLabel, 1, 0, Qt::AlignHCenter);
    grid->addWidget(mReconstructionLabel, 1, 1, Qt::AlignHCenter);
    grid->addWidget(mErrorLabel, 2, 0, 1, 2);
    grid->addWidget(mChart, 3, 0, 1, 2);
    grid->setRowStretch(3, 1);

    // The bar chart: one bar per invariant, even and odd radial orders in two shades.
    QFont small = font();
    small.setPointSizeF(std::max(7.0, small.pointSizeF() - 1.0));
    mEvenBars = new QCPBars(mChart->xAxis, mChart->yAxis);
    mOddBars = new QCPBars(mChart->xAxis, mChart->yAxis);
    mEvenBars->setPen(Qt::NoPen);
    mEvenBars->setBrush(QColor(0x00, 0x72, 0xb2));
    mOddBars->setPen(Qt::NoPen);
    mOddBars->setBrush(QColor(0x56, 0xb4, 0xe9));
    for (QCPBars* bars : {mEvenBars, mOddBars})
        bars->setWidth(0.8);
    mChart->xAxis->setLabel(tr("radial order n"));
    mChart->setToolTip(tr("One bar per Zernike invariant |A_nm|, grouped by radial order n; within an order "
                          "the bars run m = n mod 2 … n"));
    mChart->yAxis->setLabel(tr("|A_nm|"));
    for (QCPAxis* axis : {mChart->xAxis, mChart->yAxis}) {
        axis->setTickLabelFont(small);
        axis->setLabelFont(small);
    }
    mChart->xAxis->grid()->setVisible(false);
    mChart->yAxis->grid()->setPen(QPen(QColor(0xe4, 0xe4, 0xe4), 0));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(settings);
    layout->addWidget(column, 1);

    connect(mNMaxSpin, &QSpinBox::valueChanged, this, &FeaturesPanel::onNMaxChanged);
    connect(mPatchSpin, &QSpinBox::valueChanged, this, &FeaturesPanel::onPatchSizeChanged);
    clearColumnPatch();
}

int FeaturesPanel::nMax() const
{
    return mNMaxSpin->value();
}

int FeaturesPanel::patchSize() const
{
    return mPatchSpin->value() == kAutoPatch ? 0 : mPatchSpin->value();
}

void FeaturesPanel::setNMax(int nMax)
{
    mNMaxSpin->setValue(nMax);
}

void FeaturesPanel::setPatchSize(int size)
{
    mPatchSpin->setValue(size <= 0 ? kAutoPatch : std::max(7, size | 1));
}

void FeaturesPanel::onNMaxChanged()
{
    recompute();
    Q_EMIT settingsChanged(nMax(), patchSize());
}

void FeaturesPanel::onPatchSizeChanged(int value)
{
    if (value != kAutoPatch && value % 2 == 0) {
        mPatchSpin->setValue(value + 1); // typed an even size: the next odd one (re-enters here)
        return;
    }
    Q_EMIT settingsChanged(nMax(), patchSize());
}

void FeaturesPanel::setColumnPatch(const std::vector<float>& values, int size)
{
    if (size < 3 || values.size() != std::size_t(size) * std::size_t(size)) {
        clearColumnPatch();
        return;
    }
    mPatch = values;
    mSize = size;
    recompute();
}

void FeaturesPanel::setColumnPatch(const Eigen::MatrixXf& patch)
{
    if (patch.rows() != patch.cols()) {
        clearColumnPatch();
        return;
    }
    const int size = int(patch.rows());
    std::vector<float> values(std::size_t(size) * std::size_t(size));
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            values[std::size_t(y) * std::size_t(size) + std::size_t(x)] = patch(y, x);
    setColumnPatch(values, size);
}

void FeaturesPanel::clearColumnPatch()
{
    mPatch.clear();
    mSize = 0;
    mReconstruction = {};
    mPatchImage = mReconstructionImage = QImage();
    mPatchLabel->setPixmap({});
    mReconstructionLabel->setPixmap({});
    mPatchLabel->setText(tr("no column"));
    mReconstructionLabel->setText(tr("no column"));
    mErrorLabel->setText(tr("Click a column to see its features."));
    updateChart();
}

void FeaturesPanel::recompute()
{
    if (mSize <= 0)
        return;
    mReconstruction = reconstructPatch(*ZernikeBasis::cached(mSize, nMax()), mPatch);
    const auto [low, high] = patchDisplayLimits(mPatch);
    const int scale = std::max(1, kPreviewSize / mSize);
    const auto preview = [&](const std::vector<float>& values) {
        return greyPatchImage(values, mSize, low, high, scale)
            .scaled(kPreviewSize, kPreviewSize, Qt::KeepAspectRatio, Qt::FastTransformation);
    };
    mPatchImage = preview(mPatch);
    mReconstructionImage = preview(mReconstruction.reconstruction);
    // Shown in device pixels (nearest neighbour), so the patch's pixels stay square blocks on HiDPI.
    const double dpr = devicePixelRatioF();
    const auto sharp = [dpr](const QImage& image) {
        QPixmap pixmap = QPixmap::fromImage(image.scaled((QSizeF(image.size()) * dpr).toSize(), Qt::KeepAspectRatio,
                                                         Qt::FastTransformation));
        pixmap.setDevicePixelRatio(dpr);
        return pixmap;
    };
    mPatchLabel->setPixmap(sharp(mPatchImage));
    mReconstructionLabel->setPixmap(sharp(mReconstructionImage));
    const QLocale locale;
    mErrorLabel->setText(tr("%1 × %1 px, n<sub>max</sub> %2: %3 moments, %4 invariants; fit error %5 % rms")
                             .arg(mSize)
                             .arg(nMax())
                             .arg(mReconstruction.moments.size())
                             .arg(mReconstruction.invariants.size())
                             .arg(locale.toString(mReconstruction.relativeError() * 100.0, 'f', 1)));
    updateChart();
}

void FeaturesPanel::updateChart()
{
    QVector<double> evenKeys, evenValues, oddKeys, oddValues;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const auto& index = mReconstruction.invariantIndex;
    for (std::size_t i = 0; i < index.size(); ++i) {
        const double value = mReconstruction.invariants[i];
        (index[i].n % 2 == 0 ? evenKeys : oddKeys).append(double(i));
        (index[i].n % 2 == 0 ? evenValues : oddValues).append(value);
        if (index[i].m == index[i].n % 2) // the first bar of order n
            ticker->addTick(double(i), QString::number(index[i].n));
    }
    mEvenBars->setData(evenKeys, evenValues, true);
    mOddBars->setData(oddKeys, oddValues, true);
    mChart->xAxis->setTicker(ticker);
    mChart->xAxis->setRange(-0.8, std::max<double>(double(index.size()) - 0.2, 1.0));
    double top = 0.0;
    for (float v : mReconstruction.invariants)
        top = std::max(top, double(v));
    mChart->yAxis->setRange(0.0, top > 0.0 ? top * 1.08 : 1.0);
    mChart->replot(QCustomPlot::rpQueuedReplot);
}

int FeaturesPanel::barCount() const
{
    return mEvenBars->data()->size() + mOddBars->data()->size();
}

QVector<double> FeaturesPanel::barValues() const
{
    QVector<double> values(barCount(), 0.0);
    for (QCPBars* bars : {mEvenBars, mOddBars})
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
            if (int k = int(std::lround(it->key)); k >= 0 && k < values.size())
                values[k] = it->value;
    return values;
}

} // namespace motifscope::ui
