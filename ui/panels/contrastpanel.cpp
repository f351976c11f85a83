#include "ui/panels/contrastpanel.h"

#include "ui/document/micrographdocument.h"

#include "ui/panels/histogramwidget.h"
#include "ui/text/hint.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace motifscope::ui {

namespace {

QDoubleSpinBox* makeSpin(double min, double max, double step, int decimals, const QString& suffix)
{
    auto* spin = new QDoubleSpinBox;
    spin->setRange(min, max);
    spin->setSingleStep(step);
    spin->setDecimals(decimals);
    spin->setSuffix(suffix);
    spin->setKeyboardTracking(false); // apply when the user finishes typing, not per keystroke
    spin->setAlignment(Qt::AlignRight);
    return spin;
}

} // namespace

ContrastPanel::ContrastPanel(QWidget* parent) : QWidget(parent)
{
    mLow = makeSpin(0.0, 49.99, 0.1, 2, QStringLiteral(" %"));
    mHigh = makeSpin(50.0, 100.0, 0.1, 2, QStringLiteral(" %"));
    mGamma = makeSpin(0.1, 5.0, 0.05, 2, QString());
    setHint(mLow, tr("Display only: pixels at or below this percentile of the image's values are shown black; "
                     "default 0.5 %"));
    setHint(mHigh, tr("Display only: pixels at or above this percentile of the image's values are shown white; "
                      "default 99.5 %"));
    setHint(mGamma, tr("Display only: grey level = t^gamma between black and white; below 1 brightens faint "
                       "features, above 1 darkens them; default 1 (linear)"));
    mReset = new QPushButton(tr("Reset"));
    setHint(mReset, tr("Back to the automatic 0.5 % / 99.5 % clip, gamma 1 and the grey lookup table"));
    mHistogram = new HistogramWidget;
    mLut = new QComboBox;
    mLut->setObjectName(QStringLiteral("lookupTable"));
    mLut->addItem(tr("Grey"), int(LookupTable::Grey));
    mLut->addItem(tr("Inverted"), int(LookupTable::Inverted));
    mLut->addItem(tr("Fire"), int(LookupTable::Fire));
    setHint(mLut, tr("Display only: the colours grey levels are shown in. Grey (default); Inverted: bright "
                     "columns dark, as in bright-field images; Fire: black, red, yellow, white, to tell "
                     "close intensities apart"));
    mRange = new QLabel;
    mRange->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mRange->setToolTip(tr("Pixel values shown black and white"));

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(mHistogram);
    form->addRow(tr("Black at"), mLow);
    form->addRow(tr("White at"), mHigh);
    form->addRow(tr("Gamma"), mGamma);
    form->addRow(tr("Lookup table"), mLut);
    form->addRow(tr("Range"), mRange);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(mReset);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addStretch();

    connect(mLow, &QDoubleSpinBox::valueChanged, this, &ContrastPanel::applyPercentiles);
    connect(mHigh, &QDoubleSpinBox::valueChanged, this, &ContrastPanel::applyPercentiles);
    connect(mGamma, &QDoubleSpinBox::valueChanged, this, [this](double gamma) {
        if (mDocument)
            mDocument->setGamma(gamma);
    });
    connect(mLut, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (mDocument)
            mDocument->setLookupTable(LookupTable(mLut->itemData(index).toInt()));
    });
    connect(mReset, &QPushButton::clicked, this, [this] {
        if (mDocument)
            mDocument->resetContrast();
    });
    refresh();
}

void ContrastPanel::setDocument(MicrographDocument* document)
{
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    if (mDocument)
        connect(mDocument, &MicrographDocument::contrastChanged, this, &ContrastPanel::refresh);
    mHistogram->setDocument(document);
    refresh();
}

void ContrastPanel::applyPercentiles()
{
    if (mDocument)
        mDocument->setContrastPercentiles(mLow->value(), mHigh->value());
}

void ContrastPanel::refresh()
{
    const DisplaySettings settings = mDocument ? mDocument->displaySettings() : DisplaySettings{};
    const QSignalBlocker blockLow(mLow), blockHigh(mHigh), blockGamma(mGamma), blockLut(mLut);
    mLut->setCurrentIndex(std::max(0, mLut->findData(int(settings.lut))));
    mLow->setValue(settings.lowPercent);
    mHigh->setValue(settings.highPercent);
    mGamma->setValue(settings.gamma);
    const bool hasImage = mDocument && mDocument->hasMicrograph();
    mRange->setText(hasImage ? QStringLiteral("%1 … %2")
                                   .arg(QString::number(mDocument->displayLow(), 'g', 5),
                                        QString::number(mDocument->displayHigh(), 'g', 5))
                             : QStringLiteral("–"));
    setEnabled(mDocument != nullptr);
}

} // namespace motifscope::ui
