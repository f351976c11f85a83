#pragma once
/**
 * The Series window's work off the GUI thread: classify one frame against the dictionary, read one
 * frame again to show it, count a stack's pages. One frame per run, so Cancel drops at most the
 * frame in progress and the window chooses the next frame (newest first) between runs.
 */

#include "core/dictionary/class_model.h"
#include "core/io/frame_source.h"
#include "core/io/micrograph.h"
#include "ui/jobs/backgroundjob.h"
#include "ui/series/seriesframe.h"

#include <QImage>
#include <QString>

#include <limits>
#include <memory>
#include <vector>

namespace motifscope::ui {

/** The dictionary and its ready class model, shared by every run. */
struct SeriesDictionary
{
    std::shared_ptr<const MotifDictionary> dictionary;
    std::shared_ptr<const ClassModel> model;
};

/** A stack opened once (FrameSource: a DM / EMD / HyperSpy / SER file's bytes read once); null for a folder's files. */
using StackSource = std::shared_ptr<const FrameSource>;

/** A read frame: its pixels (to show) and a small grey picture of it (for the strip). */
struct ReadFrame
{
    std::shared_ptr<const Micrograph> micrograph;
    QImage thumbnail;
    int pages = 1; ///< frames in the file: TIFF pages, DM / EMD / HyperSpy stack frames, SER elements
    double fileSeconds = std::numeric_limits<double>::quiet_NaN(); ///< the file's modification time (s since 1970)
    StackSource source; ///< FrameReadJob::open: the stack, open
};

/** Classifies frame `index` of `file`: read, detect, classify (classifyFrame), summarise. */
class ClassifyFrameJob : public BackgroundJob
{
    Q_OBJECT
public:
    using BackgroundJob::BackgroundJob;

    /**
     * Starts frame `frame` (the window's number for it): frame `index` of `stack` when given, else of
     * `file`; a running frame is superseded.
     */
    void start(const SeriesDictionary& dictionary, int frame, const QString& file, int index, StackSource stack = {});
    /** A frame is being classified (false inside the delivery of its result: the next may start). */
    bool isClassifying() const { return isRunning(); }
    /** The frame the running (or last) run classifies, -1 when none. */
    int frame() const { return mFrame; }

Q_SIGNALS:
    void classified(int frame, std::shared_ptr<const motifscope::ui::FrameResult> result,
                    const motifscope::ui::ReadFrame& read);
    /** One line naming the file and the problem. */
    void failed(int frame, const QString& message);
    void cancelled(int frame);

private:
    void reportCancelled() override { Q_EMIT cancelled(mFrame); }

    int mFrame = -1;
};

/** Reads frame `index` of `file` (the one the window shows); the newest request wins. */
class FrameReadJob : public BackgroundJob
{
    Q_OBJECT
public:
    using BackgroundJob::BackgroundJob;

    /** Frame `index` of `stack` when given, else of `file`. */
    void start(int frame, const QString& file, int index, StackSource stack = {});
    /** Opens `file` as a stack (its bytes read once when it is no TIFF) and reads its first frame: read.source. */
    void open(const QString& file);

Q_SIGNALS:
    void read(int frame, const motifscope::ui::ReadFrame& read);
    void failed(int frame, const QString& message);

private:
    void deliver(int frame, ReadFrame out, const RunEnding& ending);
};

/** Export series.csv: writes the classified frames' rows (writeSeriesCsv, atomically) off the GUI thread. */
class SeriesExportJob : public BackgroundJob
{
    Q_OBJECT
public:
    using BackgroundJob::BackgroundJob;

    void start(const QString& path, std::shared_ptr<const MotifDictionary> dictionary, std::vector<SeriesFrameRow> rows);

Q_SIGNALS:
    /** The file was written (`ok`), or not: `message` is one line naming the file and the problem. */
    void finished(const QString& path, bool ok, const QString& message);
};

/** A grey picture of the micrograph at most `side` pixels wide or high (0.5-99.5 % contrast). */
QImage frameThumbnail(const Micrograph& micrograph, int side = 64);

} // namespace motifscope::ui
