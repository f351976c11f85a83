#pragma once
/**
 * One frame of a series as the Series window keeps it: where it comes from, how far its
 * classification got, and what the dictionary made of it (the numbers of its series.csv row and the
 * columns with their motifs, for the overlay). The pixels are not kept: a frame is read again when shown.
 */

#include "core/detect/atom_column.h"
#include "core/dictionary/frame_classify.h"
#include "core/dictionary/series_row.h"

#include <QImage>
#include <QString>

#include <limits>
#include <memory>
#include <vector>

namespace motifscope::ui {

/** What one classified frame gave: per-column motifs and the frame's measures (its series.csv row). */
struct FrameResult
{
    AtomColumns columns;           ///< in the frame's pixels
    std::vector<int> motif;        ///< per column: dictionary id, -1 = none (novel or unassigned)
    std::vector<long long> motifCount; ///< per dictionary motif (in the dictionary's order)
    std::vector<double> fraction;  ///< per dictionary motif: its count over the columns that have a motif
    double entropyBits = 0.0;      ///< motif entropy (disorder.json's motif_entropy_bits)
    double continuity = 0.0;       ///< motif continuity on the dictionary's map
    long long novel = 0;           ///< columns that fit no motif ("new structure?")
    double novelFraction = 0.0;    ///< of all columns
    double seconds = 0.0;          ///< time the classification took
    SeriesRowValues row;           ///< the numbers of its series.csv row (Export series.csv)
    std::string time;              ///< series.csv's time: the time stamp its file records, "" when none
    double stampSeconds = 0.0;     ///< its kFrameDateTimeKey stamp in seconds since 1970 (UTC), NaN when none
    int frames = 1;                ///< frames in its file (a stack's frame folders are named _f0003)
};

/** The frame's fractions, counts and measures from its classification of `image`, as series.csv's row has them. */
FrameResult frameResult(const MotifDictionary& dictionary, const FrameClassification& frame, const Micrograph& image);

struct SeriesFrame
{
    enum class Status
    {
        Waiting,     ///< not classified yet
        Classifying, ///< running now
        Done,
        Failed,
        Cancelled, ///< skipped by Cancel; Classify starts it again
    };

    QString file;
    int index = 0;   ///< frame of a stack (TIFF page, DM / EMD / HyperSpy frame, SER element), 0 otherwise
    QString name;    ///< what the strip shows: the file name, "#page" for a page of a stack
    Status status = Status::Waiting;
    QString error;   ///< why it failed
    QImage thumbnail;
    std::shared_ptr<const FrameResult> result; ///< set when Done
    /// When it was taken, in seconds since 1970 (UTC): its time stamp (kFrameDateTimeKey), else for a
    /// file of a folder the file's modification time; NaN while unknown or when there is neither.
    double time = std::numeric_limits<double>::quiet_NaN();
    bool stamped = false; ///< `time` is the frame's own stamp
};

/** "waiting", "classifying", "done", "failed", "cancelled". */
QString statusText(SeriesFrame::Status status);

} // namespace motifscope::ui
