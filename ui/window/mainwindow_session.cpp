// MainWindow: sessions (open, save, save as, recent sessions), unsaved changes, autosave and recovery.
#include "ui/window/mainwindow.h"

#include "ui/detect/detectionpanel.h"
#include "ui/document/micrographdocument.h"
#include "ui/jobs/hierarchyjob.h"
#include "ui/jobs/micrographloader.h"
#include "ui/panels/statusreadout.h"
#include "ui/learn/featurespanel.h"
#include "ui/learn/learnpanel.h"
#include "ui/session/sessionconvert.h"
#include "ui/session/sessionjob.h"
#include "ui/views/imageview.h"
#include "ui/window/analysiscontroller.h"
#include "ui/window/appsettings.h"
#include "ui/window/errortext.h"
#include "ui/window/mainactions.h"
#include "ui/window/recentfiles.h"

#include <QPushButton>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QCoreApplication>
#include <QDir>
#include <QLockFile>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

#include <cmath>
#include <memory>

namespace motifscope::ui {

namespace {

constexpr int kStatusMs = 8000;
constexpr int kDefaultAutosaveMinutes = 3;
constexpr int kRecoverySlots = 16; ///< running copies that each get a recovery file of their own

/** What a SessionJob run was for. */
enum SessionTag
{
    kSaveTag = 1,
    kOpenTag = 2,
    kRecoverTag = 3,
    kAutosaveTag = 4,
};

QString sessionFilter()
{
    return QObject::tr("MotifScope sessions (*.motifscope)");
}

void selectData(QComboBox* box, int value)
{
    const int index = box->findData(value);
    if (index >= 0)
        box->setCurrentIndex(index);
}

} // namespace

QString MainWindow::recoveryFilePath()
{
    // One recovery file per running copy: the first copy holds recovery.lock and writes
    // recovery.motifscope, a second copy recovery-2.*, and so on. A file in the slot a copy could
    // lock was left by one that is gone (a crash): only that is offered for recovery, never the
    // work of a copy still running. The lock lives as long as the process.
    static QString path;
    static std::unique_ptr<QLockFile> lock;
    if (!path.isEmpty())
        return path;
    const QDir dir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    QDir().mkpath(dir.absolutePath());
    for (int slot = 1; slot <= kRecoverySlots; ++slot) {
        const QString base = slot == 1 ? QStringLiteral("recovery") : QStringLiteral("recovery-%1").arg(slot);
        auto candidate = std::make_unique<QLockFile>(dir.filePath(base + QStringLiteral(".lock")));
        candidate->setStaleLockTime(0); // stale only when its process is gone, however long it ran
        if (candidate->tryLock(0)) {
            lock = std::move(candidate);
            path = dir.filePath(base + QStringLiteral(".motifscope"));
            return path;
        }
    }
    // Every slot taken (or the folder is not writable): a file of this process's own.
    path = dir.filePath(QStringLiteral("recovery-pid%1.motifscope").arg(QCoreApplication::applicationPid()));
    return path;
}

void MainWindow::wireSessions()
{
    mRecentSessions = new RecentFiles(this, QStringLiteral("recentSessions"), tr("Open Recent Sess&ion"));
    mSessionJob = new SessionJob(this);
    mAutosaveJob = new SessionJob(this);
    for (SessionJob* job : {mSessionJob, mAutosaveJob}) {
        connect(job, &SessionJob::saved, this, &MainWindow::onSessionSaved);
        connect(job, &SessionJob::loaded, this, &MainWindow::onSessionLoaded);
        connect(job, &SessionJob::failed, this, &MainWindow::onSessionFailed);
    }
    connect(mSessionJob, &SessionJob::busyChanged, this, &MainWindow::updateBusy);
    connect(mRecentSessions, &RecentFiles::openRequested, this, &MainWindow::openSession);
    connect(mActions->openSession, &QAction::triggered, this, &MainWindow::showOpenSessionDialog);
    connect(mActions->saveSession, &QAction::triggered, this, &MainWindow::saveSession);
    connect(mActions->saveSessionAs, &QAction::triggered, this, &MainWindow::showSaveSessionAsDialog);
    connect(mDocument, &MicrographDocument::modifiedChanged, this, [this](bool modified) {
        updateTitle();
        if (!modified)
            removeRecoveryFile(); // back at the saved state: nothing to recover
    });
    connect(mDocument, &MicrographDocument::sessionPathChanged, this, &MainWindow::updateTitle);

    mAutosaveTimer = new QTimer(this);
    mAutosaveTimer->setObjectName(QStringLiteral("autosaveTimer"));
    const QSettings settings(settingsOrganisation(), settingsApplication());
    const double minutes = settings.value(QStringLiteral("autosave/intervalMinutes"), kDefaultAutosaveMinutes).toDouble();
    mAutosaveTimer->setInterval(int(std::clamp(std::isfinite(minutes) ? minutes : kDefaultAutosaveMinutes, 0.05, 600.0)
                                    * 60000.0));
    connect(mAutosaveTimer, &QTimer::timeout, this, [this] { autosaveNow(); });
    mAutosaveTimer->start();
    // After the constructor: the caller has decided by then whether the window is interactive.
    QTimer::singleShot(0, this, &MainWindow::offerRecovery);
}

void MainWindow::updateTitle()
{
    QString name = mDocument->sessionPath().isEmpty() ? mDocument->displayName()
                                                      : QFileInfo(mDocument->sessionPath()).fileName();
    setWindowTitle(name.isEmpty() ? QStringLiteral("MotifScope") : QStringLiteral("%1[*] — MotifScope").arg(name));
    setWindowFilePath(mDocument->sessionPath().isEmpty() ? mDocument->filePath() : mDocument->sessionPath());
    setWindowModified(mDocument->isModified());
}

SessionContent MainWindow::sessionContent() const
{
    SessionContent c;
    c.micrograph = mDocument->snapshot();
    c.finiteImage = mDocument->finiteImage();
    c.imagePath = mDocument->filePath();
    c.columns = mDocument->columnSet();
    c.motifs = mDocument->motifTable();
    c.hierarchy = mDocument->hierarchy();
    c.detection = mDetection->request();
    c.learning = mLearn->request();
    c.view.zoom = mView->zoom();
    c.view.centre = mView->visibleImageRect().center();
    c.view.fitToWindow = mView->isFitMode();
    c.view.display = mDocument->displaySettings();
    c.view.showColumns = mActions->showColumns->isChecked();
    c.view.showScaleBar = mActions->showScaleBar->isChecked();
    return c;
}

void MainWindow::applySessionContent(const SessionContent& c, const QString& sessionPath)
{
    mLoader->cancel();
    mDetection->cancel(); // and its pending live update
    mAnalysis->cancelAll();
    mDocument->restore(c.micrograph, c.imagePath, c.columns, c.motifs, c.hierarchy, c.view.display, sessionPath);
    // Settings after the document: a restored threshold must not re-run the last detection.
    mDetection->setRequest(c.detection);
    selectData(mLearn->methodBox(), int(c.learning.params.method));
    mLearn->classesBox()->setValue(c.learning.params.classes);
    mLearn->seedBox()->setValue(int(std::min<std::uint64_t>(c.learning.params.seed, std::uint64_t(mLearn->seedBox()->maximum()))));
    mLearn->refineClassesBox()->setChecked(c.learning.refineClasses);
    mFeatures->setNMax(c.learning.nMax);
    mFeatures->setPatchSize(c.learning.patchSize);
    mActions->showColumns->setChecked(c.view.showColumns);
    mActions->showScaleBar->setChecked(c.view.showScaleBar);
    if (c.view.fitToWindow || c.view.zoom <= 0.0)
        mView->fitToWindow();
    else
        mView->setView(c.view.zoom, c.view.centre);
}

void MainWindow::openSession(const QString& path)
{
    if (path.isEmpty())
        return;
    // Unsaved work is put at risk only for a file that can open: check it before asking.
    if (mDocument->isModified()) {
        const QString problem = openProblem(path, true);
        if (!problem.isEmpty()) {
            onSessionFailed(path, problem, kOpenTag);
            return;
        }
    }
    whenChangesHandled([this, path] {
        if (!mSessionJob->load(path, kOpenTag))
            reportError(tr("Could not open session"), tr("%1: another session is being saved or opened").arg(path));
    });
}

void MainWindow::showOpenSessionDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Session"), mLastDirectory, sessionFilter());
    if (!path.isEmpty())
        openSession(path);
}

bool MainWindow::saveSession()
{
    if (mDocument->sessionPath().isEmpty()) {
        if (mInteractive)
            return showSaveSessionAsDialog();
        reportError(tr("Could not save session"), tr("The session has no file yet: use Save Session As"));
        return false;
    }
    return saveSessionAs(mDocument->sessionPath());
}

bool MainWindow::saveSessionAs(const QString& path)
{
    if (path.isEmpty() || !mDocument->hasMicrograph())
        return false;
    mSaveUndoIndex = mDocument->undoStack()->index();
    if (!mSessionJob->save(sessionContent(), path, kSaveTag)) {
        reportError(tr("Could not save session"), tr("%1: another session is being saved or opened").arg(path));
        return false;
    }
    statusBar()->showMessage(tr("Saving %1…").arg(QFileInfo(path).fileName()));
    return true;
}

bool MainWindow::showSaveSessionAsDialog()
{
    QString suggestion = mDocument->sessionPath();
    if (suggestion.isEmpty() && !mDocument->filePath().isEmpty()) {
        const QFileInfo info(mDocument->filePath());
        suggestion = info.absoluteDir().filePath(info.completeBaseName() + QStringLiteral(".motifscope"));
    }
    QString path = QFileDialog::getSaveFileName(this, tr("Save Session As"), suggestion, sessionFilter());
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".motifscope");
    return saveSessionAs(path);
}

void MainWindow::onSessionSaved(const QString& path, int tag)
{
    if (tag == kAutosaveTag) {
        Q_EMIT autosaved(path, true, QString());
        return;
    }
    // Edits made while the file was written are not in it: the document stays modified then.
    if (mDocument->undoStack()->index() == mSaveUndoIndex)
        mDocument->markSaved();
    mDocument->setSessionPath(path);
    removeRecoveryFile();
    if (mInteractive)
        mRecentSessions->add(path);
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), kStatusMs);
    Q_EMIT sessionSaved(path, true, QString());
    if (auto then = std::exchange(mAfterSave, {}))
        then();
}

void MainWindow::onSessionLoaded(const QString& path, std::shared_ptr<const SessionContent> content, int tag)
{
    if (tag == kRecoverTag) {
        applySessionContent(*content, content->view.savedSessionPath);
        mDocument->markUnsaved(); // recovered work is saved nowhere yet
        statusBar()->showMessage(tr("Recovered the unsaved work of the last session"), 2 * kStatusMs);
    } else {
        applySessionContent(*content, path);
        mLastDirectory = QFileInfo(path).absolutePath();
        if (mInteractive)
            mRecentSessions->add(path);
        statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), kStatusMs);
    }
    if (!content->warning.isEmpty())
        reportError(tr("Session image changed"), content->warning);
    Q_EMIT sessionOpened(path, true, QString());
    if (tag == kOpenTag)
        Q_EMIT loadFinished(path, true, QString()); // as for a micrograph (--screenshot waits on it)
}

void MainWindow::onSessionFailed(const QString& path, const QString& message, int tag)
{
    if (tag == kAutosaveTag) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(message), 2 * kStatusMs);
        Q_EMIT autosaved(path, false, message);
        return;
    }
    mAfterSave = {}; // the close or open that waited for this save does not happen
    if (tag == kSaveTag) {
        reportError(tr("Could not save session"), message);
        Q_EMIT sessionSaved(path, false, message);
    } else {
        reportError(tr("Could not open session"), message);
        Q_EMIT sessionOpened(path, false, message);
        if (tag == kOpenTag)
            Q_EMIT loadFinished(path, false, message);
    }
}

QMessageBox::StandardButton MainWindow::askAboutUnsavedChanges()
{
    if (!mInteractive)
        return mUnsavedChoice;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved changes"),
                    tr("Save the changes to %1 before going on?")
                        .arg(mDocument->sessionPath().isEmpty() ? mDocument->displayName()
                                                                : QFileInfo(mDocument->sessionPath()).fileName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedChangesBox"));
    box.setInformativeText(tr("Otherwise the edits since the last save are lost."));
    box.setDefaultButton(QMessageBox::Save);
    return QMessageBox::StandardButton(box.exec());
}

void MainWindow::whenChangesHandled(std::function<void()> then)
{
    if (!mDocument->isModified()) {
        then();
        return;
    }
    switch (askAboutUnsavedChanges()) {
    case QMessageBox::Discard:
        then();
        return;
    case QMessageBox::Save:
        mAfterSave = std::move(then);
        if (!saveSession())
            mAfterSave = {};
        return;
    default:
        return; // Cancel: stay as we are
    }
}

bool MainWindow::autosaveNow()
{
    if (!mDocument->isModified() || !mDocument->hasMicrograph() || mDocument->filePath().isEmpty()
        || mAutosaveJob->isBusy())
        return false;
    SessionContent content = sessionContent();
    content.view.savedSessionPath = mDocument->sessionPath();
    const QString path = recoveryFilePath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    return mAutosaveJob->save(std::move(content), path, kAutosaveTag);
}

bool MainWindow::recoverAutosave()
{
    if (!QFileInfo::exists(recoveryFilePath()))
        return false;
    return mSessionJob->load(recoveryFilePath(), kRecoverTag);
}

void MainWindow::removeRecoveryFile()
{
    QFile::remove(recoveryFilePath());
}

bool MainWindow::hasRecoveryToOffer() const
{
    return QFileInfo::exists(recoveryFilePath());
}

void MainWindow::offerRecovery()
{
    const QFileInfo recovery(recoveryFilePath());
    if (!mInteractive || !hasRecoveryToOffer())
        return;
    QMessageBox box(QMessageBox::Question, tr("Recover unsaved work"),
                    tr("MotifScope did not close normally. Recover the unsaved work autosaved at %1?")
                        .arg(QLocale().toString(recovery.lastModified(), QLocale::ShortFormat)),
                    QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("recoveryBox"));
    QAbstractButton* recover = box.addButton(tr("&Recover"), QMessageBox::AcceptRole);
    QAbstractButton* discard = box.addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    box.addButton(tr("&Later"), QMessageBox::RejectRole);
    box.exec();
    if (box.clickedButton() == recover)
        recoverAutosave();
    else if (box.clickedButton() == discard)
        removeRecoveryFile();
}

} // namespace motifscope::ui
