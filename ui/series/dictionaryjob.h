#pragma once
/**
 * File > Save / Load Motif Dictionary off the GUI thread. Save writes the document's motifs as
 * `motifscope-cli learn` would for this image and its columns (dictionaryFromLabels), but with the
 * motifs as the user left them: names, colours, merges. Load reads and checks a .motifdict and makes
 * its class model, ready for the Series window.
 */

#include "core/dictionary/dictionary_learn.h"
#include "ui/jobs/backgroundjob.h"
#include "ui/series/seriesjobs.h"

#include <QString>

#include <memory>

namespace motifscope::ui {

class MicrographDocument;

/** The document's image, columns and motifs as core's LabelledImage (the image shared, not copied). */
struct DocumentMotifs
{
    std::shared_ptr<const FloatImage> image;
    LabelledImage labelled; ///< labelled.image points into `image`
};

/** The document's motifs for a dictionary; labelled.motifs is empty when nothing was learned. */
DocumentMotifs documentMotifs(const MicrographDocument& document);

class DictionaryJob : public BackgroundJob
{
    Q_OBJECT
public:
    using BackgroundJob::BackgroundJob;

    /** Builds the dictionary of `motifs` (features with `nMax`) and writes it to `path`. */
    void save(DocumentMotifs motifs, int nMax, const QString& path);
    /** Reads `path` and makes its class model. */
    void load(const QString& path);

Q_SIGNALS:
    void saved(const QString& path, const motifscope::ui::SeriesDictionary& dictionary);
    void loaded(const QString& path, const motifscope::ui::SeriesDictionary& dictionary);
    /** One line naming the file and the problem. */
    void failed(const QString& path, const QString& message);
};

} // namespace motifscope::ui
