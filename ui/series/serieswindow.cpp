// The Series window's layout, frame strip and current frame; the classification queue and the
// folder following are in serieswindow_run.cpp.
#include "ui/series/serieswindow.h"

#include "core/learn/motifs.h"
#include "ui/document/micrographdocument.h"
#include "ui/series/folderwatch.h"
#include "ui/series/seriesplots.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/imageview.h"

#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace motifscope::ui {

namespace {

constexpr int kThumbnailSide = 48;

/** The dictionary's motifs as the frame document's motif table (names, colours, averages). */
MotifTable motifTableOf(const MotifDictionary& dictionary)
{
    MotifTable table;
    table.patchSize = dictionary.patchSize;
    for (const DictionaryMotif& m : dictionary.motifs)
        table.motifs.push_back(
            {QString::fromStdString(m.name), QColor(QString::fromStdString(m.colour)), m.average});
    return table;
}

} // namespace

SeriesWindow::SeriesWindow(const SeriesDictionary& dictionary, const QString& dictionaryName, QWidget* parent)
    : QMainWindow(parent), mDictionary(dictionary)
{
    setAttribute(Qt::WA_DeleteOnClose, false);
    setObjectName(QStringLiteral("seriesWindow"));
    mClassify = new ClassifyFrameJob(this);
    mReader = new FrameReadJob(this);
    mPages = new FrameReadJob(this);
    mExportJob = new SeriesExportJob(this);
    mWatch = new FolderWatch(this);
    mFrameDocument = new MicrographDocument(this);
    buildLayout(dictionaryName);
    mPlots->setDictionary(*mDictionary.dictionary);

    connect(mClassify, &ClassifyFrameJob::classified, this, &SeriesWindow::onClassified);
    connect(mClassify, &ClassifyFrameJob::failed, this, &SeriesWindow::onClassifyFailed);
    connect(mClassify, &ClassifyFrameJob::cancelled, this, &SeriesWindow::onClassifyCancelled);
    connect(mClassify, &BackgroundJob::progressed, this, [this](double fraction, const QString& stage) {
        if (mClassify->frame() >= 0 && mClassify->frame() < frameCount())
            mStatus->setText(tr("%1: %2 (%3 %)")
                                 .arg(mFrames[std::size_t(mClassify->frame())].name, stage)
                                 .arg(int(fraction * 100.0)));
    });
    connect(mReader, &FrameReadJob::read, this, &SeriesWindow::onRead);
    connect(mReader, &FrameReadJob::failed, this, [this](int, const QString& message) { mStatus->setText(message); });
    connect(mPages, &FrameReadJob::read, this, [this](int, const ReadFrame& read) {
        mStackSource = read.source;
        const QString name = QFileInfo(mPath).fileName();
        for (int page = 0; page < read.pages; ++page)
            addFrame(mPath, page, read.pages > 1 ? QStringLiteral("%1 #%2").arg(name).arg(page) : name);
        classifyNext();
    });
    connect(mPages, &FrameReadJob::failed, this, [this](int, const QString& message) { mStatus->setText(message); });
    connect(mWatch, &FolderWatch::fileReady, this, &SeriesWindow::onFileReady);
    connect(mExportJob, &SeriesExportJob::finished, this, [this](const QString& path, bool ok, const QString& message) {
        mStatus->setText(ok ? tr("Exported %1").arg(QDir::toNativeSeparators(path)) : message);
        Q_EMIT seriesExported(path, ok, message);
    });
    for (BackgroundJob* job : std::initializer_list<BackgroundJob*>{mClassify, mReader, mPages, mExportJob})
        connect(job, &BackgroundJob::busyChanged, this, &SeriesWindow::updateBusy);
    connect(mStrip, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row != mCurrent) {
            mCurrentChosen = true;
            setCurrentFrame(row);
        }
    });
    connect(mPlots, &SeriesPlots::frameClicked, this, [this](int frame) {
        mCurrentChosen = true;
        setCurrentFrame(frame);
    });
    resize(1280, 760);
}

SeriesWindow::~SeriesWindow() = default;

void SeriesWindow::buildLayout(const QString& dictionaryName)
{
    setWindowTitle(tr("Series — %1").arg(dictionaryName));
    mStrip = new QListWidget;
    mStrip->setObjectName(QStringLiteral("frameStrip"));
    mStrip->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    mStrip->setMinimumWidth(200);
    mStrip->setUniformItemSizes(true);

    mView = new ImageView;
    mView->setDocument(mFrameDocument);
    mOverlay = new ColumnOverlay;
    mOverlay->setDocument(mFrameDocument);
    mView->addOverlay(mOverlay);
    // The dictionary's colours; columns that fit no motif in the one unassigned grey.
    QList<QColor> palette;
    for (const DictionaryMotif& m : mDictionary.dictionary->motifs)
        palette.append(QColor(QString::fromStdString(m.colour)));
    mOverlay->setPalette(palette);
    mOverlay->setDefaultColour(QColor(QString::fromStdString(motifColour(-1))));
    mPlots = new SeriesPlots;
    mPlots->setMinimumWidth(360);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(mStrip);
    splitter->addWidget(mView);
    splitter->addWidget(mPlots);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);

    mSource = new QLabel;
    mFollow = new QCheckBox(tr("&Follow folder"));
    mFollow->setToolTip(tr("Add and classify each new micrograph written into the series folder, once it is complete"));
    mFollow->setEnabled(false);
    mClassifyButton = new QPushButton(tr("C&lassify Remaining"));
    mClassifyButton->setToolTip(tr("Classify every frame not classified yet (after Cancel or a failure)"));
    mCancel = new QPushButton(tr("&Cancel"));
    mCancel->setToolTip(tr("Stop classifying: the frame in progress is dropped, the waiting ones are left"));
    mCancel->setEnabled(false);
    mExport = new QPushButton(tr("&Export series.csv…"));
    mExport->setToolTip(tr("Write the classified frames' rows as series.csv, as motifscope-cli classify writes it"));
    mExport->setEnabled(false);
    mProgress = new QProgressBar;
    mProgress->setFormat(tr("%v of %m frames"));
    mProgress->setRange(0, 1);
    mProgress->setValue(0);
    mStatus = new QLabel;
    auto* bar = new QHBoxLayout;
    bar->addWidget(mSource, 1);
    bar->addWidget(mFollow);
    bar->addWidget(mClassifyButton);
    bar->addWidget(mProgress);
    bar->addWidget(mCancel);
    bar->addWidget(mExport);

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);
    statusBar()->addWidget(mStatus, 1);
    statusBar()->addPermanentWidget(new QLabel(
        tr("Dictionary: %1 (%2 motifs)").arg(dictionaryName).arg(mDictionary.dictionary->motifs.size())));

    connect(mFollow, &QCheckBox::toggled, this, &SeriesWindow::setFollowing);
    connect(mClassifyButton, &QPushButton::clicked, this, &SeriesWindow::classifyRemaining);
    connect(mCancel, &QPushButton::clicked, this, &SeriesWindow::cancel);
    connect(mExport, &QPushButton::clicked, this, &SeriesWindow::exportSeries);
}

void SeriesWindow::addFrame(const QString& file, int index, const QString& name)
{
    SeriesFrame f;
    f.file = file;
    f.index = index;
    f.name = name;
    mFrames.push_back(std::move(f));
    mStrip->addItem(QString());
    updateStripItem(frameCount() - 1);
    updateProgress();
    Q_EMIT frameAdded(frameCount() - 1);
}

void SeriesWindow::updateStripItem(int frame)
{
    const SeriesFrame& f = mFrames[std::size_t(frame)];
    QListWidgetItem* item = mStrip->item(frame);
    item->setText(QStringLiteral("%1  %2\n%3").arg(frame).arg(f.name, statusText(f.status)));
    item->setToolTip(f.error.isEmpty() ? f.file : f.error);
    if (!f.thumbnail.isNull())
        item->setIcon(QIcon(QPixmap::fromImage(f.thumbnail)));
}

void SeriesWindow::setCurrentFrame(int frame)
{
    if (frame < 0 || frame >= frameCount())
        return;
    const bool changed = frame != mCurrent;
    mCurrent = frame;
    {
        const QSignalBlocker block(mStrip);
        mStrip->setCurrentRow(frame);
    }
    mPlots->setCurrentFrame(frame);
    if (mShown != frame) {
        const SeriesFrame& f = mFrames[std::size_t(frame)];
        mReader->start(frame, f.file, f.index, stackSource());
    }
    if (changed)
        Q_EMIT currentFrameChanged(frame);
}

void SeriesWindow::onRead(int frame, const ReadFrame& read)
{
    if (frame == mCurrent)
        showFrame(frame, read);
}

void SeriesWindow::showFrame(int frame, const ReadFrame& read)
{
    const SeriesFrame& f = mFrames[std::size_t(frame)];
    ColumnSet columns;
    if (f.result) {
        columns.columns = f.result->columns;
        columns.classes = f.result->motif;
    }
    mFrameDocument->restore(read.micrograph, f.file, std::move(columns), motifTableOf(*mDictionary.dictionary), nullptr,
                            DisplaySettings{}, QString());
    mShown = frame;
    mView->fitToWindow();
    Q_EMIT frameShown(frame);
}

} // namespace motifscope::ui
