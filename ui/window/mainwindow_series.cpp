// MainWindow: File > Save / Load Motif Dictionary and Open Series. The dictionary the window holds
// (loaded, or the last one saved) is the one a Series window classifies with; the status bar names it.
#include "ui/window/mainwindow.h"

#include "core/io/readers.h"
#include "ui/document/micrographdocument.h"
#include "ui/learn/learnpanel.h"
#include "ui/series/dictionaryjob.h"
#include "ui/series/serieswindow.h"
#include "ui/window/mainactions.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QStatusBar>

#include <utility>

namespace motifscope::ui {

namespace {

constexpr int kStatusMs = 12000;

QString dictionaryFilter()
{
    return QObject::tr("Motif dictionaries (*.motifdict);;All files (*)");
}

} // namespace

void MainWindow::wireSeries()
{
    mDictionaryJob = new DictionaryJob(this);
    mDictionaryLabel = new QLabel;
    mDictionaryLabel->setObjectName(QStringLiteral("dictionaryLabel"));
    mDictionaryLabel->setToolTip(tr("The motif dictionary Open Series classifies with"));
    statusBar()->addPermanentWidget(mDictionaryLabel);
    connect(mActions->saveDictionary, &QAction::triggered, this, &MainWindow::showSaveDictionaryDialog);
    connect(mActions->loadDictionary, &QAction::triggered, this, &MainWindow::showLoadDictionaryDialog);
    connect(mActions->openSeries, &QAction::triggered, this, &MainWindow::showOpenSeriesDialog);
    connect(mDocument, &MicrographDocument::motifsChanged, this,
            [this] { mActions->saveDictionary->setEnabled(!mDocument->motifTable().empty()); });
    connect(mDictionaryJob, &DictionaryJob::saved, this, [this](const QString& path, const SeriesDictionary& d) {
        setMotifDictionary(path, std::make_shared<const SeriesDictionary>(d));
        statusBar()->showMessage(tr("Saved the motif dictionary %1").arg(QFileInfo(path).fileName()), kStatusMs);
        Q_EMIT dictionarySaved(path, true, QString());
    });
    connect(mDictionaryJob, &DictionaryJob::loaded, this, [this](const QString& path, const SeriesDictionary& d) {
        setMotifDictionary(path, std::make_shared<const SeriesDictionary>(d));
        statusBar()->showMessage(tr("Loaded the motif dictionary %1").arg(QFileInfo(path).fileName()), kStatusMs);
        Q_EMIT dictionaryLoaded(path, true, QString());
        if (!mSeriesAfterLoad.isEmpty())
            openSeries(std::exchange(mSeriesAfterLoad, QString()));
    });
    connect(mDictionaryJob, &DictionaryJob::failed, this, [this](const QString& path, const QString& message) {
        mSeriesAfterLoad.clear();
        reportError(tr("Motif dictionary"), message);
        // Which signal: a save writes a .motifdict the window made, a load reads one.
        if (mDictionaryJob->property("saving").toBool())
            Q_EMIT dictionarySaved(path, false, message);
        else
            Q_EMIT dictionaryLoaded(path, false, message);
    });
}

void MainWindow::setMotifDictionary(const QString& path, std::shared_ptr<const SeriesDictionary> dictionary)
{
    mMotifDictionary = std::move(dictionary);
    mDictionaryPath = path;
    mDictionaryLabel->setText(tr("Dictionary: %1 (%2 motifs)")
                                  .arg(QFileInfo(path).fileName())
                                  .arg(mMotifDictionary->dictionary->motifs.size()));
}

bool MainWindow::saveMotifDictionaryTo(const QString& path)
{
    if (!mDocument->hasMicrograph() || mDocument->motifTable().empty()) {
        const QString message = tr("%1: there are no motifs to save; learn motifs first").arg(path);
        reportError(tr("Motif dictionary"), message);
        Q_EMIT dictionarySaved(path, false, message);
        return false;
    }
    mDictionaryJob->setProperty("saving", true);
    mDictionaryJob->save(documentMotifs(*mDocument), mLearn->request().nMax, path);
    return true;
}

void MainWindow::showSaveDictionaryDialog()
{
    const QFileInfo image(mDocument->filePath());
    const QString suggested = image.fileName().isEmpty()
                                  ? QStringLiteral("motifs.motifdict")
                                  : image.absoluteDir().filePath(image.completeBaseName() + QStringLiteral(".motifdict"));
    QString path = QFileDialog::getSaveFileName(this, tr("Save Motif Dictionary"), suggested, dictionaryFilter());
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".motifdict");
    saveMotifDictionaryTo(path);
}

void MainWindow::loadMotifDictionary(const QString& path)
{
    mDictionaryJob->setProperty("saving", false);
    mDictionaryJob->load(path);
}

void MainWindow::showLoadDictionaryDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load Motif Dictionary"), mLastDirectory,
                                                      dictionaryFilter());
    if (!path.isEmpty())
        loadMotifDictionary(path);
}

SeriesWindow* MainWindow::seriesWindow() const
{
    return mSeries.data();
}

SeriesWindow* MainWindow::openSeries(const QString& path)
{
    if (!mMotifDictionary) {
        // A series needs a dictionary: ask for one, and open the series once it is read.
        const QString dictionary =
            mInteractive ? QFileDialog::getOpenFileName(this, tr("Series: Choose a Motif Dictionary"), mLastDirectory,
                                                        dictionaryFilter())
                         : QString();
        if (dictionary.isEmpty()) {
            statusBar()->showMessage(tr("Open Series needs a motif dictionary: load one or save the motifs as one"),
                                     kStatusMs);
            return nullptr;
        }
        mSeriesAfterLoad = path;
        loadMotifDictionary(dictionary);
        return nullptr;
    }
    auto* window = new SeriesWindow(*mMotifDictionary, QFileInfo(mDictionaryPath).fileName(), this);
    window->setWindowFlag(Qt::Window);
    window->setAttribute(Qt::WA_DeleteOnClose, true);
    window->openSeries(path);
    window->show();
    mSeries = window;
    return window;
}

void MainWindow::showOpenSeriesDialog()
{
    QMessageBox ask(QMessageBox::Question, tr("Open Series"),
                    tr("A series is a folder of frames or the frames of one stack (multi-page TIFF, DM 3-D "
                       "data, EMD, HyperSpy, SER)."),
                    QMessageBox::Cancel, this);
    QPushButton* folder = ask.addButton(tr("&Folder…"), QMessageBox::AcceptRole);
    QPushButton* stack = ask.addButton(tr("&Stack…"), QMessageBox::AcceptRole);
    ask.exec();
    QString path;
    if (ask.clickedButton() == folder)
        path = QFileDialog::getExistingDirectory(this, tr("Open Series: a Folder of Frames"), mLastDirectory);
    else if (ask.clickedButton() == stack)
        path = QFileDialog::getOpenFileName(this, tr("Open Series: a Stack of Frames"), mLastDirectory,
                                            tr("Micrographs (%1);;All files (*)")
                                                .arg(QString::fromLatin1(supportedExtensionsPattern())));
    if (!path.isEmpty())
        openSeries(path);
}

} // namespace motifscope::ui
