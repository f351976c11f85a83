#pragma once
/**
 * The Series window (File > Open Series…): a folder of frames or a stack (multi-page TIFF, DM 3-D
 * data, EMD, HyperSpy, SER series), classified frame by frame against one motif dictionary, off
 * the GUI thread, newest frame first.
 * Left the frame strip (thumbnail, name, status), in the middle the current frame with its columns
 * in their motif colours, on the right every motif's fraction and the disorder measures against
 * frame number or time (SeriesPlots). A click on a point shows its frame; the current frame's points
 * are ringed. "Follow folder" adds frames as the microscope writes them (once each file is complete).
 * A stack is opened once (FrameSource: its bytes read once, not per frame). "Export series.csv…"
 * writes the classified frames' rows as `motifscope-cli classify` writes them.
 */

#include "ui/series/seriesframe.h"
#include "ui/series/seriesjobs.h"

#include <QMainWindow>
#include <QString>

#include <vector>

class QCheckBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace motifscope::ui {

class ColumnOverlay;
class FolderWatch;
class ImageView;
class MicrographDocument;
class SeriesPlots;

class SeriesWindow : public QMainWindow
{
    Q_OBJECT
public:
    /** `dictionaryName` is what the window calls the dictionary (its file name). */
    SeriesWindow(const SeriesDictionary& dictionary, const QString& dictionaryName, QWidget* parent = nullptr);
    ~SeriesWindow() override;

    /**
     * Opens a series: every micrograph in a folder (sorted by name), or every frame of a stack
     * (its pages are counted off the GUI thread). Classification starts at once.
     */
    void openSeries(const QString& path);
    const QString& seriesPath() const { return mPath; }

    int frameCount() const { return int(mFrames.size()); }
    const SeriesFrame& frame(int i) const { return mFrames[std::size_t(i)]; }
    const MotifDictionary& dictionary() const { return *mDictionary.dictionary; }
    /** The frame the view, the strip and the plots show (-1 = none). */
    int currentFrame() const { return mCurrent; }
    /** The frame whose pixels and columns the view shows now (-1 = none yet). */
    int shownFrame() const { return mShown; }

    bool isFollowing() const;
    /** True while a frame is being classified or read. */
    bool isBusy() const;

    SeriesPlots* plots() const { return mPlots; }
    QListWidget* strip() const { return mStrip; }
    ImageView* imageView() const { return mView; }
    /** The document the view shows: the current frame, its columns and the dictionary's motifs. */
    MicrographDocument* frameDocument() const { return mFrameDocument; }
    QPushButton* cancelButton() const { return mCancel; }
    QPushButton* exportButton() const { return mExport; }
    QCheckBox* followBox() const { return mFollow; }
    QLabel* statusLabel() const { return mStatus; }

public Q_SLOTS:
    /** Shows frame `frame` (reads its pixels off the GUI thread when needed). */
    void setCurrentFrame(int frame);
    /** Follow folder: frames that appear in the series folder are added and classified. */
    void setFollowing(bool follow);
    /** Classifies every frame not done yet (waiting, cancelled, failed). */
    void classifyRemaining();
    /** Stops the run: the frame in progress is dropped, the waiting ones are marked cancelled. */
    void cancel();
    /** Export series.csv…: asks where, then exportSeriesTo. */
    void exportSeries();
    /**
     * Writes series.csv to `path` off the GUI thread (atomically): one row per classified frame, in the
     * strip's order, the rows `motifscope-cli classify DICT FILE...` writes for these frames; then
     * seriesExported. False when no frame is classified yet.
     */
    bool exportSeriesTo(const QString& path);

Q_SIGNALS:
    void busyChanged(bool busy);
    /** Frame `frame` was added to the strip. */
    void frameAdded(int frame);
    /** Frame `frame` was classified (its result is in frame(frame).result). */
    void frameClassified(int frame);
    void currentFrameChanged(int frame);
    /** The view now shows frame `frame`. */
    void frameShown(int frame);
    /** Export series.csv ended: written (`ok`) or `message`, one line naming the file. */
    void seriesExported(const QString& path, bool ok, const QString& message);

private:
    void buildLayout(const QString& dictionaryName);
    void addFrame(const QString& file, int index, const QString& name);
    void updateStripItem(int frame);
    /** Starts the newest waiting frame when nothing runs. */
    void classifyNext();
    void onClassified(int frame, std::shared_ptr<const FrameResult> result, const ReadFrame& read);
    void onClassifyFailed(int frame, const QString& message);
    void onClassifyCancelled(int frame);
    void onRead(int frame, const ReadFrame& read);
    /** Follow folder: a new file, or one that failed and has been written again. */
    void onFileReady(const QString& path);
    void showFrame(int frame, const ReadFrame& read);
    /** The stack, open (FrameSource), for frames of a stack; null for a folder's files. */
    StackSource stackSource() const { return mStack ? mStackSource : StackSource(); }
    void updateProgress();
    void updateBusy();

    SeriesDictionary mDictionary;
    QString mPath;
    bool mStack = false;
    StackSource mStackSource; ///< a stack's file, opened once by mPages
    std::vector<SeriesFrame> mFrames;
    int mCurrent = -1;
    int mShown = -1;
    bool mCurrentChosen = false; ///< the user picked the current frame: new results do not move it
    bool mWasBusy = false;
    ClassifyFrameJob* mClassify = nullptr;
    FrameReadJob* mReader = nullptr;
    FrameReadJob* mPages = nullptr; ///< counts a stack's pages
    SeriesExportJob* mExportJob = nullptr;
    FolderWatch* mWatch = nullptr;
    MicrographDocument* mFrameDocument = nullptr;
    ImageView* mView = nullptr;
    ColumnOverlay* mOverlay = nullptr;
    SeriesPlots* mPlots = nullptr;
    QListWidget* mStrip = nullptr;
    QCheckBox* mFollow = nullptr;
    QPushButton* mClassifyButton = nullptr;
    QPushButton* mCancel = nullptr;
    QPushButton* mExport = nullptr;
    QProgressBar* mProgress = nullptr;
    QLabel* mStatus = nullptr;
    QLabel* mSource = nullptr;
};

} // namespace motifscope::ui
