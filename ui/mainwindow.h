#pragma once
/** The MotifScope main window: wiring of document, image view, panels, loader and actions. */

#include <QMainWindow>

#include <memory>

class QDockWidget;

namespace motifscope {
struct Micrograph;
}

namespace motifscope::ui {

class ColumnEditTool;
class ColumnOverlay;
class ContrastPanel;
class DetectionPanel;
class EmbeddingPlot;
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
class StatusReadout;

/** Owns one MicrographDocument and the widgets that show it; the work lives in the parts. */
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    MicrographDocument* document() const { return mDocument; }
    ImageView* imageView() const { return mView; }
    MainActions* actions() const { return mActions; }
    RecentFiles* recentFiles() const { return mRecent; }
    ContrastPanel* contrastPanel() const { return mContrast; }
    ImageInfoPanel* imageInfoPanel() const { return mInfo; }
    StatusReadout* statusReadout() const { return mReadout; }
    MicrographLoader* loader() const { return mLoader; }
    DetectionPanel* detectionPanel() const { return mDetection; }
    ColumnOverlay* columnOverlay() const { return mColumnOverlay; }
    ColumnEditTool* columnEditTool() const { return mEditTool; }
    LearnPanel* learnPanel() const { return mLearn; }
    EmbeddingPlot* embeddingPlot() const { return mEmbedding; }
    MotifGallery* motifGallery() const { return mGallery; }
    FeaturesPanel* featuresPanel() const { return mFeatures; }
    LearnViews* learnViews() const { return mLearnViews; }
    HierarchyJob* hierarchyJob() const { return mHierarchyJob; }
    HierarchyTreeView* hierarchyView() const { return mHierarchyView; }
    HierarchyOverlay* hierarchyOverlay() const { return mHierarchyOverlay; }

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

Q_SIGNALS:
    void busyChanged(bool busy);
    /** A load ended: `ok` or the one-line error `message`. */
    void loadFinished(const QString& path, bool ok, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QDockWidget* addPanel(QWidget* panel, const QString& title, const QString& objectName);
    void onLoadStarted(const QString& path);
    void onLoaded(const QString& path, std::shared_ptr<const motifscope::Micrograph> micrograph);
    void onLoadFailed(const QString& path, const QString& message);
    void onMicrographChanged();
    void onColumnsOrSelectionChanged();
    void reportError(const QString& title, const QString& message);
    void wireColumnTools();
    /** Learn panel, embedding plot, motif gallery and features docks (mainwindow_learn.cpp). */
    void wireLearning();
    /** Hierarchy job, dock and overlay (mainwindow_hierarchy.cpp). */
    void wireHierarchy();
    void onHierarchyChanged();
    /** Learning went idle: Analyze goes on to the hierarchy (before the window reports idle). */
    void onLearningIdle();
    void onDetectionEnded(bool succeeded);
    /** Emits busyChanged when loading or detection started or the last of them ended. */
    void updateBusy();

    MicrographDocument* mDocument = nullptr;
    MicrographLoader* mLoader = nullptr;
    ImageView* mView = nullptr;
    ContrastPanel* mContrast = nullptr;
    ImageInfoPanel* mInfo = nullptr;
    StatusReadout* mReadout = nullptr;
    RecentFiles* mRecent = nullptr;
    MainActions* mActions = nullptr;
    DetectionPanel* mDetection = nullptr;
    ColumnOverlay* mColumnOverlay = nullptr;
    ColumnEditTool* mEditTool = nullptr;
    LearnPanel* mLearn = nullptr;
    EmbeddingPlot* mEmbedding = nullptr;
    MotifGallery* mGallery = nullptr;
    FeaturesPanel* mFeatures = nullptr;
    LearnViews* mLearnViews = nullptr;
    HierarchyJob* mHierarchyJob = nullptr;
    HierarchyTreeView* mHierarchyView = nullptr;
    HierarchyOverlay* mHierarchyOverlay = nullptr;
    bool mHierarchyAfterLearn = false; ///< Analyze: the hierarchy follows learning
    bool mAnalysisPending = false; ///< --analyze / Analyze: learning starts when detection ends
    QString mLastDirectory;
    bool mInteractive = true;
    bool mWasBusy = false;
};

} // namespace motifscope::ui
