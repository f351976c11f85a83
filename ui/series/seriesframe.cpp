#include "ui/series/seriesframe.h"

#include "core/dictionary/series.h"

#include <QCoreApplication>

namespace motifscope::ui {

FrameResult frameResult(const MotifDictionary& dictionary, const FrameClassification& frame)
{
    FrameResult r;
    r.columns = frame.base.detection.columns;
    r.motif = frame.labels.motif;
    for (const MotifShare& share : motifShares(dictionary, frame)) {
        r.motifCount.push_back(share.count);
        r.fraction.push_back(share.fraction);
    }
    r.entropyBits = frame.disorder.motifEntropy.value;
    r.continuity = frame.disorder.continuity.value;
    r.novel = frame.novelCount;
    r.novelFraction = r.columns.empty() ? 0.0 : double(frame.novelCount) / double(r.columns.size());
    r.seconds = frame.base.timings.total;
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
