// series.csv written whole from rows kept in memory (the Series window's Export series.csv): the
// same text, frame folder names included, as classify's SeriesTable writes row by row; written
// atomically; and the frames' UTC time stamps read back as seconds for the window's time axis.
#include "core/dictionary/series.h"
#include "core/io/frame_time.h"
#include "core/io/readers.h"
#include "test_support.h"

#include <QtTest>

#include <cmath>
#include <filesystem>

using namespace motifscope;

namespace {

std::string readText(const std::string& path)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path);
    return std::string(bytes.begin(), bytes.end());
}

MotifDictionary twoMotifs()
{
    MotifDictionary d;
    d.motifs.resize(2);
    d.motifs[0].id = 0;
    d.motifs[1].id = 3;
    return d;
}

/** A frame's row numbers: `columns` columns, `k` varies the values; hierarchy of two levels, no rings. */
SeriesRowValues values(std::size_t columns, int k)
{
    SeriesRowValues v;
    v.columns = columns;
    v.shares = {{static_cast<long long>(3 + k), 0.75 - 0.1 * k}, {1, 0.25 + 0.1 * k}};
    v.motifEntropyBits = 0.811278 + k;
    v.motifContinuity = k == 1 ? NAN : 0.125;
    v.novel = k;
    v.levelEntropyBits = {1.0, 0.5};
    v.psi4Mean = 0.25;
    v.psi6Mean = 0.5;
    v.hasRings = k == 2;
    v.ringSizeMean = 5.5;
    v.scale = 0.8;
    return v;
}

} // namespace

class TestSeriesRows : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seriesCsvIsWhatTheSeriesTableWrites();
    void writeSeriesCsvIsAtomicAndNamesTheFile();
    void utcSecondsReadsWhatUtcDateTimeWrites();
};

/**
 * Frames of two files with one stem (a, a-2), two frames of a stack (_f0000, _f0001) and a name with
 * a comma (quoted): seriesCsv gives the text classify's SeriesTable writes for them in that order.
 */
void TestSeriesRows::seriesCsvIsWhatTheSeriesTableWrites()
{
    const MotifDictionary d = twoMotifs();
    const std::vector<SeriesFrameRow> rows = {
        {"/data/a.tif", 0, 1, values(4, 0), "2026-12-06T23:33:20Z"},
        {"/other/a.dm4", 0, 1, values(5, 1), ""},
        {"/data/stack.ser", 0, 2, values(6, 2), "2026-12-06T23:33:25.500Z"},
        {"/data/stack.ser", 1, 2, values(0, 3), ""},
        {"/data/x,y.tif", 0, 1, values(7, 0), "2026:12:06 23:33:20"},
    };
    test::TempDir dir;
    SeriesTable table(dir.path().string(), seriesHeader(d));
    for (const SeriesFrameRow& r : rows) {
        const std::string stem = table.uniqueStem(frameStem(r.file, r.index, r.frames));
        table.add(r.file, r.index, stem, seriesRow(stem, r.file, r.index, r.values, r.time));
    }
    const std::string text = seriesCsv(d, rows);
    QCOMPARE(text, readText(table.path()));
    QVERIFY(text.rfind("frame,file,index,columns,count_0,fraction_0,count_3,fraction_3,", 0) == 0);
    for (const char* start : {"\na,/data/a.tif,0,4,3,0.75,1,0.25,", "\na-2,/other/a.dm4,0,5,", "\nstack_f0000,/data/stack.ser,0,6,",
                              "\nstack_f0001,/data/stack.ser,1,0,", "\n\"x,y\",\"/data/x,y.tif\",0,7,"})
        QVERIFY2(text.find(start) != std::string::npos, start);
    QCOMPARE(std::count(text.begin(), text.end(), '\n'), std::ptrdiff_t(rows.size() + 1));
}

void TestSeriesRows::writeSeriesCsvIsAtomicAndNamesTheFile()
{
    const MotifDictionary d = twoMotifs();
    test::TempDir dir;
    const std::string path = dir.file("series.csv");
    std::vector<SeriesFrameRow> rows = {{"/data/a.tif", 0, 1, values(4, 0), ""}};
    writeSeriesCsv(path, d, rows);
    rows.push_back({"/data/b.tif", 0, 1, values(4, 1), ""});
    writeSeriesCsv(path, d, rows); // replaces the file whole
    QCOMPARE(readText(path), seriesCsv(d, rows));
    QCOMPARE(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 1L);
    const std::string nowhere = dir.file("missing/series.csv");
    try {
        writeSeriesCsv(nowhere, d, rows);
        QFAIL("written into a folder that does not exist");
    } catch (const IoError& e) {
        QVERIFY2(std::string(e.what()).find(nowhere) != std::string::npos, e.what());
        QVERIFY(std::string(e.what()).find('\n') == std::string::npos);
    }
}

void TestSeriesRows::utcSecondsReadsWhatUtcDateTimeWrites()
{
    for (double t : {0.0, 1796600000.0, 1796600002.5, 951782400.0 /* 2000-02-29 */})
        QCOMPARE(utcSeconds(utcDateTime(t)), t);
    QCOMPARE(utcSeconds("2026-12-06T23:33:20Z"), 1796600000.0);
    QCOMPARE(utcSeconds("2017-03-06T09:56:43.500Z") - utcSeconds("2017-03-06T09:56:41Z"), 2.5);
    // Not a UTC stamp: a TIFF DateTime (local time), no zone, a date alone, out of range, trailing text.
    for (const char* text : {"2026:12:06 23:33:20", "2026-12-06T23:33:20", "2026-12-06", "", "2026-13-06T00:00:00Z",
                             "2026-12-06T23:33:20Zx", "2026-12-06T23:33:nanZ"})
        QVERIFY2(std::isnan(utcSeconds(text)), text);
}

QTEST_GUILESS_MAIN(TestSeriesRows)
#include "test_series_rows.moc"
