// The Series window's work: which frame is classified next (the newest waiting one), what a
// result changes (strip, plots, view), Cancel, and Follow folder.
#include "ui/series/serieswindow.h"

#include "ui/series/folderwatch.h"
#include "ui/series/seriesplots.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

void SeriesWindow::openSeries(const QString& path)
{
    cancel();
    mWatch->stop();
    mFrames.clear();
    mStrip->clear();
    mPlots->clearFrames();
    mCurrent = mShown = -1;
    mCurrentChosen = false;
    mStackSource.reset();
    mPath = path;
    const QFileInfo info(path);
    mStack = !info.isDir();
    mSource->setText(mStack ? tr("Stack: %1").arg(info.fileName()) : tr("Folder: %1").arg(info.absoluteFilePath()));
    {
        const QSignalBlocker block(mFollow);
        mFollow->setChecked(false);
        mFollow->setEnabled(!mStack);
    }
    if (mStack) {
        mPages->open(path); // reads a DM / EMD / HyperSpy / SER stack's bytes once, off the GUI thread
        return;
    }
    for (const QString& file : FolderWatch::micrographsIn(path))
        addFrame(file, 0, QFileInfo(file).fileName());
    if (mFrames.empty())
        mStatus->setText(tr("%1: no micrographs yet").arg(info.fileName()));
    classifyNext();
}

bool SeriesWindow::isFollowing() const
{
    return mWatch->isFollowing();
}

bool SeriesWindow::isBusy() const
{
    return mClassify->isBusy() || mReader->isBusy() || mPages->isBusy();
}

void SeriesWindow::setFollowing(bool follow)
{
    {
        const QSignalBlocker block(mFollow);
        mFollow->setChecked(follow && !mStack);
    }
    if (!follow || mStack || mPath.isEmpty()) {
        mWatch->stop();
        return;
    }
    QStringList known;
    for (const SeriesFrame& f : mFrames)
        known.append(f.file);
    mWatch->follow(mPath, known);
}

void SeriesWindow::onFileReady(const QString& path)
{
    const auto known = std::find_if(mFrames.begin(), mFrames.end(), [&](const SeriesFrame& f) { return f.file == path; });
    if (known == mFrames.end())
        addFrame(path, 0, QFileInfo(path).fileName());
    else {
        known->status = SeriesFrame::Status::Waiting;
        known->error.clear();
        updateStripItem(int(known - mFrames.begin()));
    }
    classifyNext();
}

void SeriesWindow::classifyRemaining()
{
    for (int i = 0; i < frameCount(); ++i) {
        SeriesFrame& f = mFrames[std::size_t(i)];
        if (f.status == SeriesFrame::Status::Cancelled || f.status == SeriesFrame::Status::Failed) {
            f.status = SeriesFrame::Status::Waiting;
            f.error.clear();
            updateStripItem(i);
        }
    }
    classifyNext();
}

void SeriesWindow::cancel()
{
    if (mClassify->isBusy())
        mClassify->cancel(); // onClassifyCancelled marks the frame in progress
    for (int i = 0; i < frameCount(); ++i)
        if (mFrames[std::size_t(i)].status == SeriesFrame::Status::Waiting) {
            mFrames[std::size_t(i)].status = SeriesFrame::Status::Cancelled;
            updateStripItem(i);
        }
    updateProgress();
}

void SeriesWindow::classifyNext()
{
    if (mClassify->isClassifying())
        return;
    // Newest first: the last frame added that is still waiting (a live series shows its latest frame soonest).
    for (int i = frameCount() - 1; i >= 0; --i) {
        SeriesFrame& f = mFrames[std::size_t(i)];
        if (f.status != SeriesFrame::Status::Waiting)
            continue;
        f.status = SeriesFrame::Status::Classifying;
        updateStripItem(i);
        mClassify->start(mDictionary, i, f.file, f.index, stackSource());
        break;
    }
    updateProgress();
}

void SeriesWindow::onClassified(int frame, std::shared_ptr<const FrameResult> result, const ReadFrame& read)
{
    SeriesFrame& f = mFrames[std::size_t(frame)];
    f.status = SeriesFrame::Status::Done;
    f.result = std::move(result);
    f.thumbnail = read.thumbnail;
    // Its time: the frame's own stamp, else (a file of a folder) the file's modification time.
    f.stamped = std::isfinite(f.result->stampSeconds);
    f.time = f.stamped ? f.result->stampSeconds : mStack ? std::nan("") : read.fileSeconds;
    updateStripItem(frame);
    mPlots->setFrame(frame, *f.result, f.time, f.stamped);
    mStatus->setText(tr("%1: %2 columns, %3 new structure (%4 s)")
                         .arg(f.name)
                         .arg(f.result->columns.size())
                         .arg(f.result->novel)
                         .arg(f.result->seconds, 0, 'f', 1));
    // Until the user picks a frame the view follows the newest result; the pixels came with it.
    if (!mCurrentChosen || frame == mCurrent) {
        showFrame(frame, read);
        setCurrentFrame(frame);
    }
    Q_EMIT frameClassified(frame);
    classifyNext();
}

void SeriesWindow::onClassifyFailed(int frame, const QString& message)
{
    SeriesFrame& f = mFrames[std::size_t(frame)];
    f.status = SeriesFrame::Status::Failed;
    f.error = message;
    updateStripItem(frame);
    if (!mStack && mWatch->isFollowing())
        mWatch->retryWhenChanged(f.file); // as `watch` does: tried again once the file changes
    mStatus->setText(message);
    classifyNext();
}

void SeriesWindow::onClassifyCancelled(int frame)
{
    if (frame < 0 || frame >= frameCount())
        return;
    mFrames[std::size_t(frame)].status = SeriesFrame::Status::Cancelled;
    updateStripItem(frame);
    mStatus->setText(tr("Cancelled"));
    updateProgress();
}

void SeriesWindow::updateProgress()
{
    const int total = frameCount();
    const int done = int(std::count_if(mFrames.begin(), mFrames.end(), [](const SeriesFrame& f) {
        return f.status == SeriesFrame::Status::Done;
    }));
    mProgress->setRange(0, std::max(total, 1));
    mProgress->setValue(done);
    mCancel->setEnabled(mClassify->isClassifying());
    mExport->setEnabled(done > 0 && !mExportJob->isBusy());
}

void SeriesWindow::updateBusy()
{
    updateProgress();
    const bool busy = isBusy();
    if (busy != mWasBusy) {
        mWasBusy = busy;
        Q_EMIT busyChanged(busy);
    }
}

} // namespace motifscope::ui
