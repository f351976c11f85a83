#include "ui/series/seriesframe.h"

#include <QCoreApplication>

namespace motifscope::ui {

FrameResult frameResult(const MotifDictionary& dictionary, const FrameClassification& frame)
{
    FrameResult r;
    r.columns = frame.base.detection.columns;
    r.motif = frame.labels.motif;
    for (const DictionaryMotif& d : dictionary.motifs) {
        long long count = 0;
        double fraction = 0.0;
        for (const Motif& m : frame.motifs)
            if (m.id == d.id)
                count = m.count, fraction = m.fraction;
        r.motifCount.push_back(int(count));
        r.fraction.push_back(fraction);
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
