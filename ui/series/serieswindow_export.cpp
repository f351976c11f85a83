// The Series window's Export series.csv…: the classified frames' rows, written off the GUI thread by
// core's writeSeriesCsv (the rows and folder names `motifscope-cli classify` writes, atomically).
#include "ui/series/serieswindow.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>

namespace motifscope::ui {

void SeriesWindow::exportSeries()
{
    const QFileInfo source(mPath);
    const QString suggested = (source.isDir() ? QDir(mPath) : source.absoluteDir()).filePath(QStringLiteral("series.csv"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export series.csv"), suggested, tr("CSV tables (*.csv)"));
    if (!path.isEmpty())
        exportSeriesTo(path);
}

bool SeriesWindow::exportSeriesTo(const QString& path)
{
    std::vector<SeriesFrameRow> rows;
    for (const SeriesFrame& f : mFrames)
        if (f.status == SeriesFrame::Status::Done && f.result)
            rows.push_back({f.file.toStdString(), f.index, f.result->frames, f.result->row, f.result->time});
    if (rows.empty()) {
        mStatus->setText(tr("No frame is classified yet: nothing to export"));
        return false;
    }
    mStatus->setText(tr("Exporting %1 frames to %2…").arg(rows.size()).arg(QDir::toNativeSeparators(path)));
    mExportJob->start(path, mDictionary.dictionary, std::move(rows));
    updateProgress();
    return true;
}

} // namespace motifscope::ui
