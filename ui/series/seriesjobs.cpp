#include "ui/series/seriesjobs.h"

#include "core/io/readers.h"
#include "core/render/contrast.h"

#include <QDateTime>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

ReadFrame readFrame(const QString& file, int index, const StackSource& stack)
{
    ReadFrame out;
    auto micrograph = std::make_shared<Micrograph>(stack ? stack->frame(index) : readMicrographFrame(file.toStdString(), index));
    if (const QDateTime modified = QFileInfo(file).lastModified(); modified.isValid())
        out.fileSeconds = double(modified.toMSecsSinceEpoch()) / 1000.0;
    out.pages = std::max(micrograph->frames, 1); // TIFF pages, DM / EMD / HyperSpy stacks, SER elements
    out.thumbnail = frameThumbnail(*micrograph);
    out.micrograph = std::move(micrograph);
    return out;
}

struct Classified
{
    std::shared_ptr<const FrameResult> result;
    ReadFrame read;
};

} // namespace

QImage frameThumbnail(const Micrograph& micrograph, int side)
{
    if (micrograph.empty())
        return {};
    const double step = double(std::max(micrograph.width, micrograph.height)) / side;
    const int w = std::max(1, int(micrograph.width / std::max(step, 1.0)));
    const int h = std::max(1, int(micrograph.height / std::max(step, 1.0)));
    std::vector<float> sample(std::size_t(w) * std::size_t(h));
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            sample[std::size_t(y) * std::size_t(w) + std::size_t(x)] =
                micrograph.at(std::min(micrograph.width - 1, int((x + 0.5) * micrograph.width / w)),
                              std::min(micrograph.height - 1, int((y + 0.5) * micrograph.height / h)));
    const auto [low, high] = percentileLimits(sample.data(), sample.size(), 0.5, 99.5);
    QImage out(w, h, QImage::Format_Grayscale8);
    const double range = high > low ? high - low : 1.0;
    for (int y = 0; y < h; ++y) {
        uchar* line = out.scanLine(y);
        for (int x = 0; x < w; ++x) {
            const double v = sample[std::size_t(y) * std::size_t(w) + std::size_t(x)];
            line[x] = uchar(std::isfinite(v) ? std::clamp((v - low) / range, 0.0, 1.0) * 255.0 + 0.5 : 0.0);
        }
    }
    return out;
}

void ClassifyFrameJob::start(const SeriesDictionary& dictionary, int frame, const QString& file, int index,
                             StackSource stack)
{
    mFrame = frame;
    launch(
        [dictionary, file, index, stack](JobRun& run) {
            Classified out;
            out.read = readFrame(file, index, stack);
            run.whole().throwIfCancelled();
            ClassifyParams params; // detection at the dictionary's column spacing, as `classify` does
            const FrameClassification c =
                classifyFrame(*dictionary.dictionary, *dictionary.model, *out.read.micrograph, params, &run.whole());
            out.result = std::make_shared<const FrameResult>(frameResult(*dictionary.dictionary, c, *out.read.micrograph));
            return out;
        },
        [this, frame](Classified out, const RunEnding& ending) {
            if (!ending.error.isEmpty())
                Q_EMIT failed(frame, ending.error);
            else if (ending.cancelled)
                Q_EMIT cancelled(frame);
            else
                Q_EMIT classified(frame, out.result, out.read);
        },
        {tr("Not enough memory to classify the frame."), tr("Unexpected error while classifying the frame."), file});
}

void FrameReadJob::start(int frame, const QString& file, int index, StackSource stack)
{
    launch([file, index, stack](JobRun&) { return readFrame(file, index, stack); },
           [this, frame](ReadFrame out, const RunEnding& ending) { deliver(frame, std::move(out), ending); },
           {tr("Not enough memory to read the frame."), tr("Unexpected error while reading the frame."), file});
}

void FrameReadJob::open(const QString& file)
{
    launch(
        [file](JobRun&) {
            auto stack = std::make_shared<const FrameSource>(file.toStdString());
            ReadFrame out = readFrame(file, 0, stack);
            out.source = std::move(stack);
            return out;
        },
        [this](ReadFrame out, const RunEnding& ending) { deliver(-1, std::move(out), ending); },
        {tr("Not enough memory to open the stack."), tr("Unexpected error while opening the stack."), file});
}

void FrameReadJob::deliver(int frame, ReadFrame out, const RunEnding& ending)
{
    if (!ending.error.isEmpty())
        Q_EMIT failed(frame, ending.error);
    else if (!ending.cancelled)
        Q_EMIT read(frame, out);
}

void SeriesExportJob::start(const QString& path, std::shared_ptr<const MotifDictionary> dictionary,
                            std::vector<SeriesFrameRow> rows)
{
    launch([path, dictionary, rows = std::move(rows)](JobRun&) { writeSeriesCsv(path.toStdString(), *dictionary, rows); },
           [this, path](std::monostate, const RunEnding& ending) {
               if (!ending.cancelled)
                   Q_EMIT finished(path, ending.error.isEmpty(), ending.error);
           },
           {tr("Not enough memory to export the series."), tr("Unexpected error while exporting the series."), path});
}

} // namespace motifscope::ui
