#include "ui/series/dictionaryjob.h"

#include "ui/document/micrographdocument.h"

#include <stdexcept>

namespace motifscope::ui {

namespace {

SeriesDictionary withModel(MotifDictionary dictionary, const QString& path)
{
    SeriesDictionary out;
    auto shared = std::make_shared<const MotifDictionary>(std::move(dictionary));
    try {
        out.model = std::make_shared<const ClassModel>(*shared);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(path.toStdString() + ": " + e.what());
    }
    out.dictionary = std::move(shared);
    return out;
}

/** A save's or a load's outcome: `done` (saved / loaded) with the dictionary, or failed with the error. */
template <typename Done>
auto deliverTo(DictionaryJob* job, Done done, const QString& path)
{
    return [job, done, path](const SeriesDictionary& dictionary, const RunEnding& ending) {
        if (!ending.error.isEmpty())
            Q_EMIT job->failed(path, ending.error);
        else if (!ending.cancelled)
            Q_EMIT (job->*done)(path, dictionary);
    };
}

} // namespace

DocumentMotifs documentMotifs(const MicrographDocument& document)
{
    DocumentMotifs out;
    out.image = document.finiteImage();
    LabelledImage& l = out.labelled;
    l.image = out.image.get();
    l.calibration = document.micrograph().calibration;
    l.columns = document.columns();
    l.motif.resize(l.columns.size());
    for (std::size_t i = 0; i < l.columns.size(); ++i)
        l.motif[i] = document.columnSet().classOf(i);
    for (const MotifEntry& m : document.motifTable().motifs)
        l.motifs.push_back({m.name.toStdString(), m.colour.name(QColor::HexRgb).toStdString(), m.averagePatch});
    l.patchSize = document.motifTable().patchSize;
    l.source = (document.filePath().isEmpty() ? document.displayName() : document.filePath()).toStdString();
    return out;
}

void DictionaryJob::save(DocumentMotifs motifs, int nMax, const QString& path)
{
    launch(
        [motifs = std::move(motifs), nMax, path](JobRun& run) {
            DictionaryLearnParams params;
            params.analysis.analysis.features.nMax = nMax;
            MotifDictionary d = dictionaryFromLabels(motifs.labelled, params, &run.whole());
            writeMotifDictionary(d, path.toStdString());
            return withModel(std::move(d), path);
        },
        deliverTo(this, &DictionaryJob::saved, path),
        {tr("Not enough memory to save the motif dictionary."),
         tr("Unexpected error while saving the motif dictionary."), path});
}

void DictionaryJob::load(const QString& path)
{
    launch([path](JobRun&) { return withModel(readMotifDictionary(path.toStdString()), path); },
           deliverTo(this, &DictionaryJob::loaded, path),
           {tr("Not enough memory to read the motif dictionary."),
            tr("Unexpected error while reading the motif dictionary."), path});
}

} // namespace motifscope::ui
