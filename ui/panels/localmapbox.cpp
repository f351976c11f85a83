#include "ui/panels/localmapbox.h"

#include "core/render/colour_map.h"
#include "ui/text/hint.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QPixmap>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

QPixmap colourBar(int width, int height)
{
    QImage bar(width, 1, QImage::Format_RGB32);
    for (int x = 0; x < width; ++x) {
        const auto rgb = orderedColour(double(x) / std::max(1, width - 1));
        bar.setPixel(x, 0, qRgb(rgb[0], rgb[1], rgb[2]));
    }
    return QPixmap::fromImage(bar.scaled(width, height));
}

} // namespace

LocalMapBox::LocalMapBox(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("localMapBox"));
    mMeasure = new QComboBox;
    mMeasure->setObjectName(QStringLiteral("localMapMeasure"));
    mMeasure->addItem(tr("None"));
    mMeasure->addItem(tr("Local motif entropy"));
    mMeasure->addItem(tr("Bond order |ψ6|"));
    mMeasure->addItem(tr("Bond order |ψ4|"));
    setHint(mMeasure, tr("Colours each column of the image by a measure of its surroundings: the entropy of the "
                         "motifs within 2.5 column spacings (0 inside one motif), or its bond-orientational "
                         "order (1 for a perfect six- or four-fold neighbourhood; needs the hierarchy's bonds). "
                         "Exported figures draw the same map."));
    mBar = new QLabel;
    mBar->setPixmap(colourBar(140, 10));
    mLow = new QLabel;
    mHigh = new QLabel;
    mScale = new QWidget;
    auto* scale = new QHBoxLayout(mScale);
    scale->setContentsMargins(0, 0, 0, 0);
    scale->addWidget(mLow);
    scale->addWidget(mBar);
    scale->addWidget(mHigh);
    scale->addStretch(1);
    mScale->setVisible(false);
    mNote = new QLabel;
    mNote->setObjectName(QStringLiteral("localMapNote"));
    mNote->setVisible(false);
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Map on image"), mMeasure);
    form->addRow(QString(), mScale);
    form->addRow(QString(), mNote);
    connect(mMeasure, &QComboBox::currentIndexChanged, this, &LocalMapBox::rebuild);
}

void LocalMapBox::setLocal(disorder::LocalDisorder local, int motifs)
{
    mLocal = std::move(local);
    mMotifs = motifs;
    rebuild();
}

void LocalMapBox::clear()
{
    setLocal({}, 0);
}

void LocalMapBox::rebuild()
{
    ColumnValueMap map;
    const auto measure = Measure(mMeasure->currentIndex());
    const double spacing = mLocal.spacing;
    switch (measure) {
    case Measure::None: break;
    case Measure::MotifEntropy:
        if (!mLocal.motifEntropy.empty()) {
            // A fixed scale, 0 to log2 K bits, so images with as many motifs compare by eye.
            map = {tr("local motif entropy (bits)"), mLocal.motifEntropy, 0.0, std::log2(std::max(2, mMotifs)), spacing};
        }
        break;
    case Measure::Psi6:
        if (!mLocal.psi6.empty())
            map = {tr("bond order |ψ6|"), mLocal.psi6, 0.0, 1.0, spacing};
        break;
    case Measure::Psi4:
        if (!mLocal.psi4.empty())
            map = {tr("bond order |ψ4|"), mLocal.psi4, 0.0, 1.0, spacing};
        break;
    }
    mMap = std::move(map);
    mScale->setVisible(!mMap.isEmpty());
    mLow->setText(QString::number(mMap.low, 'g', 3));
    mHigh->setText(QString::number(mMap.high, 'g', 3));
    mNote->setVisible(measure != Measure::None && mMap.isEmpty());
    mNote->setText(measure == Measure::MotifEntropy ? tr("Learn motifs first.") : tr("Build the hierarchy first (its bonds)."));
    Q_EMIT mapChanged(mMap);
}

} // namespace motifscope::ui
