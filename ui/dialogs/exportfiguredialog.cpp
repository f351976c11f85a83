#include "ui/dialogs/exportfiguredialog.h"

#include "ui/text/hint.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace motifscope::ui {

namespace {

const QStringList kExtensions{QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")};

} // namespace

ExportFigureDialog::ExportFigureDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Export Figure"));
    setObjectName(QStringLiteral("exportFigureDialog"));
    mPath = new QLineEdit;
    mPath->setObjectName(QStringLiteral("figurePath"));
    setHint(mPath, tr("The figure file; its extension (.png, .svg, .pdf) sets the format"));
    auto* browseButton = new QToolButton;
    browseButton->setText(tr("…"));
    setHint(browseButton, tr("Choose the file"));
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(mPath, 1);
    pathRow->addWidget(browseButton);

    mFormat = new QComboBox;
    mFormat->addItem(tr("PNG (raster, at the DPI below)"), kExtensions[0]);
    mFormat->addItem(tr("SVG (vector markers and legend)"), kExtensions[1]);
    mFormat->addItem(tr("PDF (vector markers and legend)"), kExtensions[2]);
    setHint(mFormat, tr("File format; vector formats (SVG, PDF) keep markers, legend and scale bar sharp at any "
                        "size, the micrograph itself stays a raster; default PNG"));
    mDpi = new QSpinBox;
    mDpi->setRange(36, 2400);
    mDpi->setValue(300);
    mDpi->setSuffix(tr(" dpi"));
    setHint(mDpi, tr("PNG resolution in dots per inch: pixels = width / 25.4 mm x dpi; journals ask for 300 dpi "
                     "or more; default 300"));
    mWidth = new QDoubleSpinBox;
    mWidth->setRange(20.0, 1000.0);
    mWidth->setDecimals(0);
    mWidth->setValue(183.0);
    mWidth->setSuffix(tr(" mm"));
    setHint(mWidth, tr("Printed width of the figure, in millimetres; the height "
                       "follows from the region and the insets; default 183 mm = two journal columns, 89 mm = one"));

    mWholeImage = new QRadioButton(tr("&Whole image"));
    mCurrentView = new QRadioButton(tr("&Current view"));
    setHint(mWholeImage, tr("The whole micrograph, whatever the view shows (default)"));
    setHint(mCurrentView, tr("Only the part of the image the view shows now"));
    mWholeImage->setChecked(true);
    auto* regionRow = new QHBoxLayout;
    regionRow->addWidget(mWholeImage);
    regionRow->addWidget(mCurrentView);
    regionRow->addStretch();

    mLegend = new QCheckBox(tr("Motif &legend"));
    mScaleBar = new QCheckBox(tr("&Scale bar"));
    mAverages = new QCheckBox(tr("Motif &averages inset"));
    setHint(mLegend, tr("A colour key naming every motif (default on)"));
    setHint(mScaleBar, tr("A bar of round length, about a fifth of the image width, in the image's calibrated "
                          "unit (pixels when uncalibrated); default on"));
    setHint(mAverages, tr("The average patch of every motif beside the legend (default on)"));
    mHierarchy = new QCheckBox(tr("&Hierarchy inset"));
    setHint(mHierarchy, tr("The most common motifs of each hierarchy level, when the hierarchy is built "
                           "(default on)"));
    for (QCheckBox* box : {mLegend, mScaleBar, mAverages, mHierarchy})
        box->setChecked(true);
    mMarkers = new QComboBox;
    mMarkers->setObjectName(QStringLiteral("markerStyle"));
    mMarkers->addItem(tr("Rings (atoms show inside)"));
    mMarkers->addItem(tr("Filled discs"));
    setHint(mMarkers, tr("Rings in the motif colour leave every atom visible (default); filled discs read better "
                         "when the figure is printed small"));

    auto* form = new QFormLayout;
    form->addRow(tr("File:"), pathRow);
    form->addRow(tr("Format:"), mFormat);
    form->addRow(tr("Resolution:"), mDpi);
    form->addRow(tr("Width:"), mWidth);
    form->addRow(tr("Region:"), regionRow);
    form->addRow(tr("Markers:"), mMarkers);
    form->addRow(tr("Show:"), mLegend);
    form->addRow(QString(), mScaleBar);
    form->addRow(QString(), mAverages);
    form->addRow(QString(), mHierarchy);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    mOk = buttons->button(QDialogButtonBox::Ok);
    mOk->setText(tr("Export"));
    setHint(mOk, tr("Write the figure file"));
    setHint(buttons->button(QDialogButtonBox::Cancel), tr("Close without exporting"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(browseButton, &QToolButton::clicked, this, &ExportFigureDialog::browse);
    connect(mPath, &QLineEdit::textEdited, this, &ExportFigureDialog::onPathEdited);
    connect(mFormat, &QComboBox::activated, this, &ExportFigureDialog::onFormatChosen);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateEnabled();
}

void ExportFigureDialog::setRequest(const FigureExportRequest& r)
{
    mPath->setText(r.path);
    mDpi->setValue(r.options.dpi);
    mWidth->setValue(r.options.widthMm);
    mLegend->setChecked(r.options.legend);
    mScaleBar->setChecked(r.options.scaleBar);
    mAverages->setChecked(r.options.averages);
    mHierarchy->setChecked(r.options.hierarchy);
    mMarkers->setCurrentIndex(r.options.filledMarkers ? 1 : 0);
    (r.currentViewOnly ? mCurrentView : mWholeImage)->setChecked(true);
    onPathEdited();
}

FigureExportRequest ExportFigureDialog::request() const
{
    FigureExportRequest r;
    r.path = mPath->text().trimmed();
    r.options.dpi = mDpi->value();
    r.options.widthMm = mWidth->value();
    r.options.legend = mLegend->isChecked();
    r.options.scaleBar = mScaleBar->isChecked();
    r.options.averages = mAverages->isChecked();
    r.options.hierarchy = mHierarchy->isChecked();
    r.options.filledMarkers = mMarkers->currentIndex() == 1;
    r.currentViewOnly = mCurrentView->isChecked();
    return r;
}

void ExportFigureDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Figure"), mPath->text(),
                                                      tr("Figures (*.png *.svg *.pdf)"));
    if (path.isEmpty())
        return;
    mPath->setText(QFileInfo(path).suffix().isEmpty() ? path + QLatin1Char('.') + mFormat->currentData().toString()
                                                      : path);
    onPathEdited();
}

void ExportFigureDialog::onPathEdited()
{
    const int index = int(kExtensions.indexOf(QFileInfo(mPath->text().trimmed()).suffix().toLower()));
    if (index >= 0)
        mFormat->setCurrentIndex(index);
    updateEnabled();
}

void ExportFigureDialog::onFormatChosen()
{
    const QString extension = mFormat->currentData().toString();
    QString path = mPath->text().trimmed();
    if (!path.isEmpty()) {
        const QFileInfo info(path);
        const QString stem = info.suffix().isEmpty() ? path : path.left(path.size() - info.suffix().size() - 1);
        mPath->setText(stem + QLatin1Char('.') + extension);
    }
    updateEnabled();
}

void ExportFigureDialog::updateEnabled()
{
    const QString suffix = QFileInfo(mPath->text().trimmed()).suffix().toLower();
    mDpi->setEnabled(mFormat->currentData().toString() == kExtensions[0]);
    mOk->setEnabled(kExtensions.contains(suffix));
}

} // namespace motifscope::ui
