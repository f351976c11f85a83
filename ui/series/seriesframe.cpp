#include "ui/series/seriesframe.h"

#include "core/io/frame_time.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

FrameResult frameResult(const MotifDictionary& dictionary, const FrameClassification& frame, const Micrograph& image)
{
    FrameResult r;
    r.row = seriesRowValues(dictionary, frame);
    r.columns = frame.base.detection.columns;
    r.motif = frame.labels.motif;
    for (const MotifShare& share : r.row.shares) {
        r.motifCount.push_back(share.count);
        r.fraction.push_back(share.fraction);
    }
    r.entropyBits = r.row.motifEntropyBits;
    r.continuity = r.row.motifContinuity;
    r.novel = r.row.novel;
    r.novelFraction = r.columns.empty() ? 0.0 : double(r.novel) / double(r.columns.size());
    r.seconds = frame.base.timings.total;
    r.time = frameTime(image);
    const auto stamp = image.metadata.find(kFrameDateTimeKey);
    r.stampSeconds = stamp == image.metadata.end() ? std::nan("") : utcSeconds(stamp->second);
    r.frames = std::max(image.frames, 1);
    return r;
}

QString statusText(SeriesFrame::Status status)
{
    switch (status) {
    case SeriesFrame::Status::Waiting:
        return QCoreApplication::translate("SeriesFrame", "waiting");
    case SeriesFrame::Status::Classifying:
        return QCoreApplication::translate("SeriesFrame", "classifying…");
    case SeriesFrame::Status::Done:
        return QCoreApplication::translate("SeriesFrame", "done");
    case SeriesFrame::Status::Failed:
        return QCoreApplication::translate("SeriesFrame", "failed");
    case SeriesFrame::Status::Cancelled:
        return QCoreApplication::translate("SeriesFrame", "cancelled");
    }
    return {};
}

} // namespace motifscope::ui
