#pragma once
/** The MotifScope main window: wiring of document, image view, panels, loader and actions. */

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

#include <functional>
#include <memory>

class QDialog;
class QDockWidget;
class QLabel;
class QTimer;

namespace motifscope {
struct Micrograph;
}

namespace motifscope::ui {

class AnalysisController;
class ColumnEditTool;
class ColumnOverlay;
class LocalDisorderOverlay;
class ContrastPanel;
class DetectionPanel;
class EmbeddingPlot;
class LineTool;
class FeaturesPanel;
class LearnPanel;
class LearnViews;
class MotifGallery;
class HierarchyJob;
class HierarchyOverlay;
class HierarchyTreeView;
class ImageInfoPanel;
class ImageView;
class MainActions;
class MicrographDocument;
class MicrographLoader;
class RecentFiles;
class SessionJob;
class StatusReadout;
class DictionaryJob;
class SeriesWindow;
struct SeriesDictionary;
struct SessionContent;
struct FigureExportRequest;

/** Owns one MicrographDocument and the widgets that show it; the work lives in the parts. */
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    MicrographDocument* document() const { return mDocument; }
    /** Runs detection, learning and the hierarchy, and Analyze as one sequence. */
    AnalysisController* analysisController() const { return mAnalysis; }
    ImageView* imageView() const { return mView; }
    MainActions* actions() const { return mActions; }
    RecentFiles* recentFiles() const { return mRecent; }
    RecentFiles* recentSessions() const { return mRecentSessions; }
    SessionJob* sessionJob() const { return mSessionJob; }
    QTimer* autosaveTimer() const { return mAutosaveTimer; }
    ContrastPanel* contrastPanel() const { return mContrast; }
    ImageInfoPanel* imageInfoPanel() const { return mInfo; }
    StatusReadout* statusReadout() const { return mReadout; }
    MicrographLoader* loader() const { return mLoader; }
    DetectionPanel* detectionPanel() const { return mDetection; }
    ColumnOverlay* columnOverlay() const { return mColumnOverlay; }
    ColumnEditTool* columnEditTool() const { return mEditTool; }
    LearnPanel* learnPanel() const { return mLearn; }
    EmbeddingPlot* embeddingPlot() const { return mEmbedding; }
    LineTool* lineTool() const { return mLineTool; }
    MotifGallery* motifGallery() const { return mGallery; }
    FeaturesPanel* featuresPanel() const { return mFeatures; }
    LearnViews* learnViews() const { return mLearnViews; }
    HierarchyJob* hierarchyJob() const;
    HierarchyTreeView* hierarchyView() const { return mHierarchyView; }
    HierarchyOverlay* hierarchyOverlay() const { return mHierarchyOverlay; }
    DictionaryJob* dictionaryJob() const { return mDictionaryJob; }
    /** The dictionary Open Series uses (loaded or last saved); null when none. */
    std::shared_ptr<const SeriesDictionary> motifDictionary() const { return mMotifDictionary; }
    /** The newest Series window (null when none is open). */
    SeriesWindow* seriesWindow() const;

    /** True while a file is loading, columns are being detected, motifs learned, or an analysis is under way. */
    bool isBusy() const;

    /** Restores geometry, dock layout and toolbar state saved by the last session. */
    void restoreWindowState();
    void saveWindowState() const;

    /**
     * Off for --screenshot runs and tests: load errors go to the status bar only (no message box)
     * and opened files are not recorded in the user's recent-files list.
     */
    void setInteractive(bool interactive) { mInteractive = interactive; }
    bool isInteractive() const { return mInteractive; }
    /**
     * What a non-interactive window does with unsaved changes before closing or opening another
     * file (no question asked): Discard (default), Save or Cancel.
     */
    void setUnsavedChangesChoice(QMessageBox::StandardButton choice) { mUnsavedChoice = choice; }

    /**
     * This running copy's autosave file in QStandardPaths::AppDataLocation: "recovery.motifscope"
     * for the first copy, "recovery-2.motifscope" for a second one, each held by a lock file, so
     * one copy never offers or overwrites another running copy's work.
     */
    static QString recoveryFilePath();
    /** A copy of MotifScope that is gone left unsaved work in this copy's recovery file. */
    bool hasRecoveryToOffer() const;
    /** The window's state as a session would save it (mainwindow_session.cpp). */
    SessionContent sessionContent() const;

public Q_SLOTS:
    /** Starts loading `path` off the GUI thread; the current image stays until it succeeds. */
    void openFile(const QString& path);
    void showOpenDialog();
    /** Detects columns with the Detection panel's settings (off the GUI thread). */
    void detectColumns();
    /** Imports / exports columns as CSV; errors go to a message box (or the status bar). */
    void importColumnsFrom(const QString& path);
    void exportColumnsTo(const QString& path);
    void showImportColumnsDialog();
    void showExportColumnsDialog();
    void setColumnEditing(bool editing);
    /** Learns motifs of the columns with the Learn panel's settings (off the GUI thread). */
    void learnMotifs();
    /** The default pipeline: detects columns, learns their motifs, then builds their hierarchy. */
    void requestAnalysis();
    /** Builds the motif hierarchy of the columns (and learned motifs) off the GUI thread. */
    void buildHierarchy();
    /** Outlines every occurrence of hierarchy node `id` on the image ("" = none). */
    void showHierarchyNode(const QString& id);
    /** Saves the hierarchy tree as SVG (.svg) or PNG (anything else); false on failure (reported). */
    bool exportHierarchyTo(const QString& path);
    void showExportHierarchyDialog();
    void showAbout();
    /** Image > Set Scale: the pixel size typed, or from a distance of known length (one undo step). */
    void showSetScaleDialog();
    /** Help > User Guide (F1): docs/user-guide.md in a window of its own. */
    void showUserGuide();
    /** Help > Keyboard Shortcuts: every action's keys. */
    void showShortcuts();

    // --- sessions (mainwindow_session.cpp) ---------------------------------------------------
    /** Opens a .motifscope session off the GUI thread (after the unsaved-changes question). */
    void openSession(const QString& path);
    void showOpenSessionDialog();
    /** Saves to the current session file (asks for one when there is none); false when not started. */
    bool saveSession();
    /** Saves to `path` off the GUI thread; false when it could not start. */
    bool saveSessionAs(const QString& path);
    bool showSaveSessionAsDialog();
    /** Writes the recovery file now (when there are unsaved changes); false when nothing was started. */
    bool autosaveNow();
    /** Opens the recovery file as unsaved work (no question asked); false when there is none. */
    bool recoverAutosave();
    /** Start-up: when a recovery file exists, asks whether to recover it (interactive windows only). */
    void offerRecovery();

    // --- figures and data (mainwindow_export.cpp) --------------------------------------------
    void showExportFigureDialog();
    /** Renders the figure off the GUI thread (figureExported tells how it went); false when not started. */
    bool exportFigureTo(const FigureExportRequest& request);
    void showExportDataDialog();
    /** Writes columns, features, embedding, motifs and hierarchy files into `folder` (off the GUI thread). */
    bool exportDataTo(const QString& folder);
    /** Puts the image view, as shown, on the clipboard. */
    void copyViewToClipboard();

    // --- motif dictionaries and series (mainwindow_series.cpp) -------------------------------
    /** Writes the document's motifs, as the user left them, as a .motifdict (off the GUI thread). */
    bool saveMotifDictionaryTo(const QString& path);
    void showSaveDictionaryDialog();
    /** Reads a .motifdict off the GUI thread; it becomes the dictionary Open Series classifies with. */
    void loadMotifDictionary(const QString& path);
    void showLoadDictionaryDialog();
    /** Opens a Series window on a folder or a TIFF stack (asks for a dictionary when none is loaded). */
    SeriesWindow* openSeries(const QString& path);
    void showOpenSeriesDialog();

Q_SIGNALS:
    void busyChanged(bool busy);
    /** A load of a micrograph or a session (File > Open) ended: `ok` or the one-line error `message`. */
    void loadFinished(const QString& path, bool ok, const QString& message);
    /** A session save / open / recovery ended: `ok` or the one-line error `message`. */
    void sessionSaved(const QString& path, bool ok, const QString& message);
    void sessionOpened(const QString& path, bool ok, const QString& message);
    void autosaved(const QString& path, bool ok, const QString& message);
    void figureExported(const QString& path, bool ok, const QString& message);
    void dataExported(const QString& folder, bool ok, const QString& message);
    void dictionarySaved(const QString& path, bool ok, const QString& message);
    void dictionaryLoaded(const QString& path, bool ok, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QDockWidget* addPanel(QWidget* panel, const QString& title, const QString& objectName);
    void onLoaded(const QString& path, std::shared_ptr<const motifscope::Micrograph> micrograph);
    void onLoadFailed(const QString& path, const QString& message);
    void onMicrographChanged();
    /** Window title: session or micrograph name, [*] for unsaved changes. */
    void updateTitle();
    /** Session job, autosave timer, recent sessions (mainwindow_session.cpp). */
    void wireSessions();
    void onSessionSaved(const QString& path, int tag);
    void onSessionLoaded(const QString& path, std::shared_ptr<const SessionContent> content, int tag);
    void onSessionFailed(const QString& path, const QString& message, int tag);
    void applySessionContent(const SessionContent& content, const QString& sessionPath);
    /**
     * Unsaved changes: asks Save / Discard / Cancel (or takes mUnsavedChoice when not interactive).
     * Runs `then` now (nothing to save, Discard), after a successful save (Save), or never (Cancel).
     */
    void whenChangesHandled(std::function<void()> then);
    QMessageBox::StandardButton askAboutUnsavedChanges();
    void removeRecoveryFile();
    /** Runs `work` (writing `path`, throws on failure) off the GUI thread; `done` gets "" or the one-line error. */
    void runExport(const QString& path, std::function<void()> work, std::function<void(const QString& error)> done);
    void onColumnsOrSelectionChanged();
    void reportError(const QString& title, const QString& message);
    void wireColumnTools();
    /** Line tool, Profile and Results docks (mainwindow_measure.cpp). */
    void wireMeasuring();
    /** Learn panel, embedding plot, motif gallery and features docks (mainwindow_learn.cpp). */
    void wireLearning();
    /** Hierarchy job, dock and overlay (mainwindow_hierarchy.cpp). */
    void wireHierarchy();
    void onHierarchyChanged();
    /** Dictionary job, its status-bar label, Open Series (mainwindow_series.cpp). */
    void wireSeries();
    void setMotifDictionary(const QString& path, std::shared_ptr<const SeriesDictionary> dictionary);
    /** Shows the most important running work in the readout; emits busyChanged when the first work started or the last ended. */
    void updateBusy();

    MicrographDocument* mDocument = nullptr;
    AnalysisController* mAnalysis = nullptr;
    MicrographLoader* mLoader = nullptr;
    ImageView* mView = nullptr;
    ContrastPanel* mContrast = nullptr;
    ImageInfoPanel* mInfo = nullptr;
    StatusReadout* mReadout = nullptr;
    RecentFiles* mRecent = nullptr;
    RecentFiles* mRecentSessions = nullptr;
    SessionJob* mSessionJob = nullptr;
    SessionJob* mAutosaveJob = nullptr;
    QTimer* mAutosaveTimer = nullptr;
    std::function<void()> mAfterSave; ///< what waits for the running save (close, open another file)
    int mSaveUndoIndex = -1;          ///< undo index when the running save took its snapshot
    QMessageBox::StandardButton mUnsavedChoice = QMessageBox::Discard;
    int mExportsRunning = 0;          ///< figure and data exports under way
    bool mLayoutRestored = false;     ///< restoreWindowState() put back a saved dock layout
    bool mDocksSized = false;         ///< showEvent sized the docks for the window once
    bool mCloseApproved = false;      ///< unsaved changes dealt with: closeEvent lets the window go
    MainActions* mActions = nullptr;
    DetectionPanel* mDetection = nullptr;
    ColumnOverlay* mColumnOverlay = nullptr;
    LocalDisorderOverlay* mLocalDisorderOverlay = nullptr; ///< the Disorder dock's "Map on image"
    ColumnEditTool* mEditTool = nullptr;
    LearnPanel* mLearn = nullptr;
    EmbeddingPlot* mEmbedding = nullptr;
    LineTool* mLineTool = nullptr;
    MotifGallery* mGallery = nullptr;
    FeaturesPanel* mFeatures = nullptr;
    LearnViews* mLearnViews = nullptr;
    HierarchyTreeView* mHierarchyView = nullptr;
    HierarchyOverlay* mHierarchyOverlay = nullptr;
    DictionaryJob* mDictionaryJob = nullptr;
    std::shared_ptr<const SeriesDictionary> mMotifDictionary;
    QString mDictionaryPath;
    QString mSeriesAfterLoad;         ///< the series Open Series waits to open until a dictionary is loaded
    QPointer<SeriesWindow> mSeries;
    QLabel* mDictionaryLabel = nullptr;
    QPointer<QDialog> mGuide;         ///< the user guide window, while open
    QPointer<QDialog> mShortcuts;
    QString mLastDirectory;
    bool mInteractive = true;
    bool mWasBusy = false;
};

} // namespace motifscope::ui
