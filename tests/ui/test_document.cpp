// MicrographDocument: each change emits exactly the expected past-tense signals.
#include "test_support.h"
#include "ui_test_support.h"

#include "ui/document/micrographdocument.h"

#include <QSignalSpy>
#include <QUndoStack>

using motifscope::Micrograph;
using motifscope::ui::DisplaySettings;
using motifscope::ui::MicrographDocument;

class TestDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startsEmpty();
    void setMicrographSignalsOnce();
    void percentileChangeSignalsContrastOnly();
    void unchangedSettingsSignalNothing();
    void invalidPercentilesAreCorrected();
    void resetRestoresDefaults();
    void limitsFollowPercentiles_data();
    void limitsFollowPercentiles();
    void snapshotOutlivesReplacement();
    void newMicrographClearsUndoStack();
};

void TestDocument::startsEmpty()
{
    MicrographDocument doc;
    QVERIFY(!doc.hasMicrograph());
    QVERIFY(doc.micrograph().empty());
    QVERIFY(doc.snapshot() == nullptr);
    QVERIFY(doc.undoStack() != nullptr);
    QCOMPARE(doc.displaySettings(), DisplaySettings{});
    QCOMPARE(doc.displayName(), QString());
}

void TestDocument::setMicrographSignalsOnce()
{
    MicrographDocument doc;
    QSignalSpy micrographSpy(&doc, &MicrographDocument::micrographChanged);
    QSignalSpy contrastSpy(&doc, &MicrographDocument::contrastChanged);
    doc.setMicrograph(motifscope::test::syntheticMicrograph(64, 48), QStringLiteral("/data/a.tif"));
    QCOMPARE(micrographSpy.count(), 1);
    QCOMPARE(contrastSpy.count(), 1);
    QVERIFY(doc.hasMicrograph());
    QCOMPARE(doc.micrograph().width, 64);
    QCOMPARE(doc.micrograph().height, 48);
    QCOMPARE(doc.filePath(), QStringLiteral("/data/a.tif"));
    QCOMPARE(doc.displayName(), QStringLiteral("a.tif"));
}

void TestDocument::percentileChangeSignalsContrastOnly()
{
    MicrographDocument doc;
    doc.setMicrograph(motifscope::test::rampMicrograph(100, 100));
    QSignalSpy micrographSpy(&doc, &MicrographDocument::micrographChanged);
    QSignalSpy contrastSpy(&doc, &MicrographDocument::contrastChanged);
    doc.setContrastPercentiles(1.0, 99.0);
    QCOMPARE(contrastSpy.count(), 1);
    QCOMPARE(micrographSpy.count(), 0);
    doc.setGamma(2.0);
    QCOMPARE(contrastSpy.count(), 2);
    QCOMPARE(doc.displaySettings().gamma, 2.0);
    QCOMPARE(micrographSpy.count(), 0);
}

void TestDocument::unchangedSettingsSignalNothing()
{
    MicrographDocument doc;
    doc.setMicrograph(motifscope::test::rampMicrograph(10, 10));
    QSignalSpy contrastSpy(&doc, &MicrographDocument::contrastChanged);
    doc.setContrastPercentiles(DisplaySettings::kDefaultLowPercent, DisplaySettings::kDefaultHighPercent);
    doc.setGamma(1.0);
    doc.resetContrast();
    QCOMPARE(contrastSpy.count(), 0);
}

void TestDocument::invalidPercentilesAreCorrected()
{
    MicrographDocument doc;
    doc.setContrastPercentiles(80.0, 20.0); // crossed
    QVERIFY(doc.displaySettings().lowPercent < doc.displaySettings().highPercent);
    doc.setContrastPercentiles(-5.0, 150.0); // out of range
    QCOMPARE(doc.displaySettings().lowPercent, 0.0);
    QCOMPARE(doc.displaySettings().highPercent, 100.0);
    doc.setGamma(-1.0);
    QCOMPARE(doc.displaySettings().gamma, 1.0);
    doc.setContrastPercentiles(std::nan(""), 90.0);
    QCOMPARE(doc.displaySettings().lowPercent, DisplaySettings::kDefaultLowPercent);
}

void TestDocument::resetRestoresDefaults()
{
    MicrographDocument doc;
    doc.setMicrograph(motifscope::test::rampMicrograph(100, 100));
    doc.setContrastPercentiles(10.0, 60.0);
    doc.setGamma(0.5);
    QSignalSpy contrastSpy(&doc, &MicrographDocument::contrastChanged);
    doc.resetContrast();
    QCOMPARE(contrastSpy.count(), 1);
    QCOMPARE(doc.displaySettings(), DisplaySettings{});
    QVERIFY(std::abs(doc.displayLow() - 50.0) <= 1.0);
}

void TestDocument::limitsFollowPercentiles_data()
{
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::addColumn<double>("expectedLow");
    QTest::addColumn<double>("expectedHigh");
    // Ramp 0..9999: the p-th percentile is about p * 99.99.
    QTest::newRow("default 0.5/99.5") << 0.5 << 99.5 << 50.0 << 9949.0;
    QTest::newRow("full range") << 0.0 << 100.0 << 0.0 << 9999.0;
    QTest::newRow("quartiles") << 25.0 << 75.0 << 2500.0 << 7499.0;
}

void TestDocument::limitsFollowPercentiles()
{
    QFETCH(double, low);
    QFETCH(double, high);
    QFETCH(double, expectedLow);
    QFETCH(double, expectedHigh);
    MicrographDocument doc;
    doc.setMicrograph(motifscope::test::rampMicrograph(100, 100));
    doc.setContrastPercentiles(low, high);
    QVERIFY2(std::abs(doc.displayLow() - expectedLow) <= 1.0, qPrintable(QString::number(doc.displayLow())));
    QVERIFY2(std::abs(doc.displayHigh() - expectedHigh) <= 1.0, qPrintable(QString::number(doc.displayHigh())));
}

void TestDocument::snapshotOutlivesReplacement()
{
    MicrographDocument doc;
    doc.setMicrograph(motifscope::test::rampMicrograph(8, 8));
    const std::shared_ptr<const Micrograph> snapshot = doc.snapshot();
    doc.setMicrograph(motifscope::test::rampMicrograph(4, 4));
    QCOMPARE(snapshot->width, 8); // a background job keeps reading what it started with
    QCOMPARE(doc.micrograph().width, 4);
}

void TestDocument::newMicrographClearsUndoStack()
{
    MicrographDocument doc;
    doc.undoStack()->push(new QUndoCommand(QStringLiteral("edit")));
    QCOMPARE(doc.undoStack()->count(), 1);
    doc.setMicrograph(motifscope::test::rampMicrograph(4, 4));
    QCOMPARE(doc.undoStack()->count(), 0);
}

QTEST_MAIN(TestDocument)
#include "test_document.moc"
