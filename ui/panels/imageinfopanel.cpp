#include "ui/panels/imageinfopanel.h"

#include "ui/document/micrographdocument.h"
#include "ui/text/plural.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace motifscope::ui {

namespace {

QString number(double v)
{
    return QString::number(v, 'g', 6);
}

} // namespace

ImageInfoPanel::ImageInfoPanel(QWidget* parent) : QWidget(parent), mTree(new QTreeWidget)
{
    mTree->setColumnCount(2);
    mTree->setHeaderLabels({tr("Property"), tr("Value")});
    mTree->setRootIsDecorated(true);
    mTree->setAlternatingRowColors(true);
    mTree->setUniformRowHeights(true);
    mTree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    mTree->header()->setStretchLastSection(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(mTree);
}

void ImageInfoPanel::setDocument(MicrographDocument* document)
{
    if (mDocument)
        disconnect(mDocument, nullptr, this, nullptr);
    mDocument = document;
    if (mDocument) {
        connect(mDocument, &MicrographDocument::micrographChanged, this, &ImageInfoPanel::refresh);
        connect(mDocument, &MicrographDocument::calibrationChanged, this, &ImageInfoPanel::refresh);
    }
    refresh();
}

void ImageInfoPanel::refresh()
{
    mTree->clear();
    if (!mDocument || !mDocument->hasMicrograph())
        return;
    const Micrograph& m = mDocument->micrograph();
    auto add = [this](const QString& name, const QString& value) {
        auto* item = new QTreeWidgetItem(mTree, {name, value});
        item->setToolTip(1, value);
        return item;
    };
    if (!mDocument->filePath().isEmpty())
        add(tr("File"), QFileInfo(mDocument->filePath()).fileName())->setToolTip(1, mDocument->filePath());
    add(tr("Format"), QString::fromStdString(m.format));
    add(tr("Size"), QStringLiteral("%1 × %2 px").arg(m.width).arg(m.height));
    add(tr("Data type"), QString::fromStdString(m.dtype));
    if (m.frames > 1)
        add(tr("Frames"), tr("%1 (showing the first)").arg(m.frames));
    const Calibration& c = m.calibration;
    if (c.isCalibrated()) {
        const QString unit = QString::fromStdString(c.unit);
        add(tr("Pixel size"), c.pixelSizeX == c.pixelSizeY
                                  ? QStringLiteral("%1 %2").arg(number(c.pixelSizeX), unit)
                                  : QStringLiteral("%1 × %2 %3").arg(number(c.pixelSizeX), number(c.pixelSizeY), unit));
        add(tr("Field of view"), QStringLiteral("%1 × %2 %3")
                                     .arg(number(c.pixelSizeX * m.width), number(c.pixelSizeY * m.height), unit));
    } else {
        add(tr("Pixel size"), tr("uncalibrated"));
    }
    const PixelStats stats = computeStats(m);
    add(tr("Minimum"), number(stats.min));
    add(tr("Maximum"), number(stats.max));
    add(tr("Mean"), number(stats.mean));
    if (stats.finiteCount < m.pixelCount())
        add(tr("Non-finite pixels"), QString::number(m.pixelCount() - stats.finiteCount));

    if (!m.metadata.empty()) {
        auto* group = add(tr("Metadata"), countOf((long long)m.metadata.size(), tr("entry"), tr("entries")));
        for (const auto& [key, value] : m.metadata) {
            auto* item = new QTreeWidgetItem(group, {QString::fromStdString(key), QString::fromStdString(value)});
            item->setToolTip(1, item->text(1));
        }
    }
}

} // namespace motifscope::ui
