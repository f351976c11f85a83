// MainWindow: File > Export Figure / Export Data, Edit > Copy View.
#include "ui/window/mainwindow.h"

#include "ui/dialogs/exportfiguredialog.h"
#include "ui/document/micrographdocument.h"
#include "ui/export/documentexport.h"
#include "ui/views/localdisorderoverlay.h"
#include "ui/export/exportjob.h"
#include "ui/views/imageview.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QStatusBar>

namespace motifscope::ui {

namespace {

constexpr int kStatusMs = 8000;

/** Beside the session (or the micrograph): "name<suffix>". */
QString suggestedPath(const MicrographDocument& doc, const QString& suffix, const QString& fallbackDir)
{
    const QString base = doc.sessionPath().isEmpty() ? doc.filePath() : doc.sessionPath();
    if (base.isEmpty())
        return QDir(fallbackDir).filePath(QStringLiteral("figure") + suffix);
    const QFileInfo info(base);
    return info.absoluteDir().filePath(info.completeBaseName() + suffix);
}

} // namespace

void MainWindow::runExport(const QString& path, std::function<void()> work, std::function<void(const QString&)> done)
{
    auto* job = new ExportJob(this);
    ++mExportsRunning;
    connect(job, &ExportJob::ended, this, std::move(done));
    connect(job, &ExportJob::busyChanged, this, [this, job](bool busy) {
        if (busy)
            return;
        --mExportsRunning;
        job->deleteLater();
        updateBusy();
    });
    job->start(std::move(work), path);
    updateBusy();
}

void MainWindow::showExportFigureDialog()
{
    if (!mDocument->hasMicrograph())
        return;
    ExportFigureDialog dialog(this);
    FigureExportRequest request;
    request.path = suggestedPath(*mDocument, QStringLiteral("_figure.png"), mLastDirectory);
    request.currentViewOnly = !mView->isFitMode();
    dialog.setRequest(request);
    if (dialog.exec() == QDialog::Accepted)
        exportFigureTo(dialog.request());
}

bool MainWindow::exportFigureTo(const FigureExportRequest& request)
{
    FigureFormat format;
    if (!mDocument->hasMicrograph() || !figureFormatFor(request.path.toStdString(), format)) {
        reportError(tr("Could not export figure"),
                    tr("%1: the figure format is set by the extension: .png, .svg or .pdf").arg(request.path));
        return false;
    }
    const QRect region = request.currentViewOnly ? mView->visibleImageRect().toAlignedRect() : QRect();
    auto content = std::make_shared<const SessionContent>(sessionContent());
    // The Disorder dock's map on the image goes into the figure as it is shown.
    auto map = std::make_shared<const ColumnValueMap>(
        mLocalDisorderOverlay->isVisible() ? mLocalDisorderOverlay->map() : ColumnValueMap{});
    const QString path = request.path;
    const FigureOptions options = request.options;
    statusBar()->showMessage(tr("Exporting %1…").arg(QFileInfo(path).fileName()));
    runExport(
        path,
        [content, region, map, options, path] {
            renderFigure(figureContentOf(*content, region, map.get()), options, QFile::encodeName(path).toStdString());
        },
        [this, path](const QString& error) {
            if (!error.isEmpty())
                reportError(tr("Could not export figure"), error);
            else
                statusBar()->showMessage(tr("Saved the figure %1").arg(QFileInfo(path).fileName()), kStatusMs);
            Q_EMIT figureExported(path, error.isEmpty(), error);
        });
    return true;
}

void MainWindow::showExportDataDialog()
{
    if (!mDocument->hasMicrograph())
        return;
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Export Data into Folder"), QFileInfo(suggestedPath(*mDocument, QString(), mLastDirectory)).absolutePath());
    if (!folder.isEmpty())
        exportDataTo(folder);
}

bool MainWindow::exportDataTo(const QString& folder)
{
    if (!mDocument->hasMicrograph() || folder.isEmpty())
        return false;
    auto content = std::make_shared<const SessionContent>(sessionContent());
    auto written = std::make_shared<QStringList>();
    statusBar()->showMessage(tr("Exporting data to %1…").arg(folder));
    runExport(folder, [content, folder, written] { *written = writeDataFolder(*content, folder); },
              [this, folder, written](const QString& error) {
                  if (!error.isEmpty())
                      reportError(tr("Could not export data"), error);
                  else
                      statusBar()->showMessage(tr("Wrote %1 to %2").arg(written->join(QStringLiteral(", ")), folder),
                                               2 * kStatusMs);
                  Q_EMIT dataExported(folder, error.isEmpty(), error);
              });
    return true;
}

void MainWindow::copyViewToClipboard()
{
    if (!mDocument->hasMicrograph())
        return;
    QApplication::clipboard()->setImage(mView->grab().toImage());
    statusBar()->showMessage(tr("Copied the view to the clipboard"), kStatusMs);
}

} // namespace motifscope::ui
