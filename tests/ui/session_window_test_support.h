#pragma once
/**
 * Shared by the session window tests: the synthetic micrograph they open, a window that asks nothing,
 * open-detect-learn, and field-by-field comparisons of columns and whole documents.
 */

#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/document/micrographdocument.h"
#include "core/io/writers.h"
#include "ui/window/mainwindow.h"
#include "core/synth/synth.h"
#include "synth_options.h"
#include "ui/window/mainactions.h"

#include <QAction>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace motifscope::test {

/**
 * Once per test run (initTestCase): settings cleared and the synthetic micrograph written into `dir`
 * as `image`; false when the temporary folder could not be made.
 */
inline bool setUpSessionTests(const QTemporaryDir& dir, QString& image)
{
    clearTestSettings();
    if (!dir.isValid())
        return false;
    image = dir.filePath(QStringLiteral("mixed lattice.tif")); // a space: paths are quoted nowhere
    writeTiffFloat32(synth::synthesize(synthOptions("mixed-lattice", 320, 5)).image, image.toStdString());
    return true;
}

inline std::unique_ptr<ui::MainWindow> newWindow()
{
    auto window = std::make_unique<ui::MainWindow>();
    window->setInteractive(false);
    window->resize(1000, 700);
    window->show();
    return window;
}

/** Opens `image` in `window`, detects and learns; false when a step did not finish. */
inline bool openDetectLearn(ui::MainWindow& window, const QString& image)
{
    if (!runAndWait(&window, [&] { window.openFile(image); }) || !window.document()->hasMicrograph())
        return false;
    if (!runAndWait(&window, [&] { window.actions()->detectColumns->trigger(); }) || window.document()->columns().empty())
        return false;
    return runAndWait(&window, [&] { window.actions()->learnMotifs->trigger(); })
           && !window.document()->motifTable().empty();
}

/** Column by column, every quantity the document keeps (QCOMPARE: call, then check currentTestFailed). */
inline void compareColumns(const ui::ColumnSet& a, const ui::ColumnSet& b)
{
    QCOMPARE(b.size(), a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(b.columns[i].x, a.columns[i].x);
        QCOMPARE(b.columns[i].y, a.columns[i].y);
        QCOMPARE(b.columns[i].intensity, a.columns[i].intensity);
        QCOMPARE(b.columns[i].width, a.columns[i].width);
        QCOMPARE(b.columns[i].background, a.columns[i].background);
        QCOMPARE(b.columns[i].residual, a.columns[i].residual);
        QCOMPARE(int(b.columns[i].refinement), int(a.columns[i].refinement));
        QCOMPARE(b.classOf(i), a.classOf(i));
        QCOMPARE(b.confidenceOf(i), a.confidenceOf(i));
        QCOMPARE(b.mapOf(i).learned(), a.mapOf(i).learned());
        if (a.mapOf(i).learned()) {
            QCOMPARE(b.mapOf(i).x, a.mapOf(i).x);
            QCOMPARE(b.mapOf(i).y, a.mapOf(i).y);
        }
        QCOMPARE(b.orientation.empty() ? 0.0f : b.orientation[i], a.orientation.empty() ? 0.0f : a.orientation[i]);
        QCOMPARE(int(b.editsOf(i)), int(a.editsOf(i)));
    }
}

inline void compareDocuments(const ui::MicrographDocument& a, const ui::MicrographDocument& b)
{
    QCOMPARE(QFileInfo(b.filePath()).canonicalFilePath(), QFileInfo(a.filePath()).canonicalFilePath());
    QCOMPARE(b.micrograph().width, a.micrograph().width);
    QCOMPARE(b.micrograph().height, a.micrograph().height);
    QVERIFY(b.micrograph().pixels == a.micrograph().pixels);
    compareColumns(a.columnSet(), b.columnSet());
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(b.motifTable().size(), a.motifTable().size());
    QCOMPARE(b.motifTable().patchSize, a.motifTable().patchSize);
    for (int id = 0; id < a.motifTable().size(); ++id) {
        const auto& ma = a.motifTable().motifs[std::size_t(id)];
        const auto& mb = b.motifTable().motifs[std::size_t(id)];
        QCOMPARE(mb.name, ma.name);
        QCOMPARE(mb.colour.rgba(), ma.colour.rgba());
        QVERIFY(mb.averagePatch == ma.averagePatch);
    }
    QCOMPARE(bool(b.hierarchy()), bool(a.hierarchy()));
    if (a.hierarchy()) {
        const auto& ha = *a.hierarchy();
        const auto& hb = *b.hierarchy();
        QCOMPARE(hb.route, ha.route);
        QCOMPARE(hb.bondCutoff, ha.bondCutoff);
        QVERIFY(hb.columnMotif == ha.columnMotif);
        QCOMPARE(hb.levels.size(), ha.levels.size());
        for (std::size_t l = 0; l < ha.levels.size(); ++l) {
            QCOMPARE(hb.levels[l].motifs.size(), ha.levels[l].motifs.size());
            for (std::size_t m = 0; m < ha.levels[l].motifs.size(); ++m) {
                QCOMPARE(hb.levels[l].motifs[m].id, ha.levels[l].motifs[m].id);
                QCOMPARE(hb.levels[l].motifs[m].name, ha.levels[l].motifs[m].name);
                QCOMPARE(hb.levels[l].motifs[m].count, ha.levels[l].motifs[m].count);
            }
        }
        QCOMPARE(hb.rings.size(), ha.rings.size()); // rebuilt from the columns: the same rings
    }
    QVERIFY(b.displaySettings() == a.displaySettings());
}

} // namespace motifscope::test
