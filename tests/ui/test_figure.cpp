// Publication figures: PNG size and marker colours, SVG structure and texts, PDF, and `render` end to end.
#include "test_support.h"

#include "ui/figure/figure.h"
#include "core/io/writers.h"
#include "core/learn/motifs.h"
#include "core/session/session.h"

#include <QImage>
#include <QProcess>
#include <QXmlStreamReader>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace motifscope;
namespace fs = std::filesystem;

namespace {

constexpr int kWidth = 200, kHeight = 150;
constexpr double kPixelSize = 0.05; // nm: the frame is 10 nm wide, so the scale bar is 2 nm

struct Truth
{
    double x, y;
    int motif;
};

/** A 12 x 9 grid of columns, 16 px apart: motif 0, motif 1 every third, a few unassigned. */
std::vector<Truth> truthColumns()
{
    std::vector<Truth> t;
    for (int j = 0; j < 9; ++j)
        for (int i = 0; i < 12; ++i) {
            const int k = j * 12 + i;
            t.push_back({12.0 + 16.0 * i + 0.25, 10.0 + 16.0 * j + 0.5, k % 11 == 5 ? -1 : (k % 3 == 0 ? 1 : 0)});
        }
    return t;
}

void writeText(const fs::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

/** An analysis folder plus its micrograph (Gaussian columns on a dark background, calibrated). */
struct Fixture
{
    test::TempDir dir;
    std::string folder, image;
    std::vector<Truth> truth = truthColumns();

    Fixture()
    {
        folder = dir.file("analysis");
        fs::create_directories(folder);
        image = dir.file("scan.tif");
        Micrograph m;
        m.width = kWidth;
        m.height = kHeight;
        m.dtype = "float32";
        m.calibration = {kPixelSize, kPixelSize, "nm"};
        m.pixels.assign(std::size_t(kWidth) * kHeight, 10.0f);
        for (const Truth& t : truth)
            for (int y = 0; y < kHeight; ++y)
                for (int x = 0; x < kWidth; ++x) {
                    const double r2 = (x - t.x) * (x - t.x) + (y - t.y) * (y - t.y);
                    if (r2 < 64)
                        m.at(x, y) += float(100.0 * std::exp(-r2 / 8.0));
                }
        writeTiffFloat32(m, image);
        std::string csv = "x,y,intensity,motif,confidence\n";
        int counts[2] = {0, 0};
        for (const Truth& t : truth) {
            csv += std::to_string(t.x) + "," + std::to_string(t.y) + ",100," + std::to_string(t.motif) + ",0.9\n";
            if (t.motif >= 0)
                ++counts[t.motif];
        }
        writeText(fs::path(folder) / "columns.csv", csv);
        std::string avg0, avg1;
        for (int p = 0; p < 9; ++p) {
            avg0 += (p ? "," : "") + std::to_string(p == 4 ? 1.0 : 0.1);
            avg1 += (p ? "," : "") + std::to_string(p % 2 ? 0.8 : 0.2);
        }
        writeText(fs::path(folder) / "motifs.json",
                  "{\"patch_size\": 3, \"columns\": 108, \"motifs\": ["
                  "{\"id\": 0, \"count\": " + std::to_string(counts[0]) + ", \"fraction\": 0.6, \"colour\": \"#e69f00\","
                  " \"average\": {\"size\": 3, \"values\": [" + avg0 + "]}},"
                  "{\"id\": 1, \"count\": " + std::to_string(counts[1]) + ", \"fraction\": 0.4, \"colour\": \"#56b4e9\","
                  " \"average\": {\"size\": 3, \"values\": [" + avg1 + "]}}]}");
        writeText(fs::path(folder) / "hierarchy.json",
                  R"({"route": "cells", "levels": [{"level": 1, "motifs": [{"id": "L1-0", "name": "square cell",
                  "members": 4, "count": 70, "fraction": 0.875, "children": [], "parents": []},
                  {"id": "L1-1", "name": "defect cell", "members": 4, "count": 10, "fraction": 0.125,
                  "children": [], "parents": []}]}]})");
    }
    int count(int motif) const
    {
        return int(std::count_if(truth.begin(), truth.end(), [&](const Truth& t) { return t.motif == motif; }));
    }
};

QColor pixelAt(const QImage& img, const FigureLayout& L, double dpi, double x, double y)
{
    const double s = dpi / 72.0;
    return img.pixelColor(int(std::floor((L.imageLeft + L.imageScale * (x + 0.5)) * s)),
                          int(std::floor((L.imageTop + L.imageScale * (y + 0.5)) * s)));
}

/** The pixel on a ring marker's stroke, left of the centre of image point (x, y). */
QColor ringPixelAt(const QImage& img, const FigureLayout& L, double dpi, double x, double y)
{
    const double s = dpi / 72.0;
    const double stroke = std::clamp(0.2 * L.markerDiameter, 0.4, 1.2);
    return img.pixelColor(int(std::floor((L.imageLeft + L.imageScale * (x + 0.5) - L.markerDiameter / 2 + stroke / 2) * s)),
                          int(std::floor((L.imageTop + L.imageScale * (y + 0.5)) * s)));
}

/** Is the marker of image point (x, y) under the scale bar's translucent backing? */
bool underScaleBar(const FigureLayout& L, double x, double y)
{
    const double px = L.imageLeft + L.imageScale * (x + 0.5), py = L.imageTop + L.imageScale * (y + 0.5);
    return px > L.scaleBarLeft - L.markerDiameter && px < L.scaleBarLeft + L.scaleBarWidth + L.markerDiameter
        && py > L.scaleBarTop - L.markerDiameter && py < L.scaleBarTop + L.scaleBarHeight + L.markerDiameter;
}

bool near(const QColor& a, const QColor& b, int tolerance = 10)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
        && std::abs(a.blue() - b.blue()) <= tolerance;
}

/** Shapes (circle/ellipse) per inherited fill colour, and all text, of an SVG; false on XML errors. */
bool readSvg(const QString& path, std::map<QString, int>& shapesByFill, QStringList& texts, QString& widthAttr)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    QXmlStreamReader xml(&file);
    std::vector<QString> fills{QStringLiteral("none")};
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto attrs = xml.attributes();
            fills.push_back(attrs.hasAttribute(QStringLiteral("fill")) ? attrs.value(QStringLiteral("fill")).toString()
                                                                       : fills.back());
            const QString name = xml.name().toString();
            if (name == QStringLiteral("svg"))
                widthAttr = attrs.value(QStringLiteral("width")).toString();
            if (name == QStringLiteral("circle") || name == QStringLiteral("ellipse"))
                ++shapesByFill[fills.back()];
            if (name == QStringLiteral("text")) {
                // readElementText consumes the end element too.
                texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
                fills.pop_back();
            }
        } else if (xml.isEndElement()) {
            fills.pop_back();
        }
    }
    return !xml.hasError();
}

struct CliResult
{
    int exitCode = -1;
    QString stdErr;
};

CliResult runCli(const QStringList& args)
{
    QProcess process;
    process.start(QStringLiteral(MOTIFSCOPE_CLI_PATH), args);
    if (!process.waitForFinished(120000))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TestFigure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsAnalysisFolder();
    void pngSizeAndMarkerColours();
    void svgHasVectorMarkersAndLegend();
    void pdfIsWritten();
    void ringsAndScaleBarHideNoAtom();
    void sessionFigure();
    void badInputIsRefused();
    void renderCommandEndToEnd();
};

void TestFigure::loadsAnalysisFolder()
{
    Fixture f;
    const FigureContent c = loadAnalysisFolder(f.folder, f.image);
    QCOMPARE(c.columns.size(), f.truth.size());
    for (std::size_t i = 0; i < f.truth.size(); ++i) {
        QVERIFY(std::abs(c.columns[i].x - f.truth[i].x) < 1e-6);
        QVERIFY(std::abs(c.columns[i].y - f.truth[i].y) < 1e-6);
        QCOMPARE(c.columns[i].motif, f.truth[i].motif);
    }
    QCOMPARE(c.motifs.size(), std::size_t(2));
    QCOMPARE(c.motifs[1].colour, std::string("#56b4e9"));
    QCOMPARE(c.motifs[1].name, std::string("motif 1"));
    QCOMPARE(c.motifs[0].patchSize, 3);
    QCOMPARE(c.hierarchy.size(), std::size_t(2));
    QCOMPARE(c.hierarchyRoute, std::string("cells"));
    QCOMPARE(c.width, kWidth);
    QCOMPARE(c.height, kHeight);
    QCOMPARE(c.calibration.unit, std::string("nm"));
    QVERIFY(std::abs(c.calibration.pixelSizeX - kPixelSize) < 1e-9);
    QVERIFY(c.warning.empty());
    // Without the micrograph: the frame from the columns, and a warning.
    const FigureContent bare = loadAnalysisFolder(f.folder);
    QVERIFY(bare.image.empty());
    QVERIFY(!bare.warning.empty());
    QVERIFY(bare.width >= 189 && bare.height >= 139);
}

void TestFigure::pngSizeAndMarkerColours()
{
    Fixture f;
    const FigureContent c = loadAnalysisFolder(f.folder, f.image);
    FigureOptions o;
    o.dpi = 300;
    o.widthMm = 89.0;
    o.filledMarkers = true; // discs: every marker centre shows its colour
    const FigureLayout L = computeFigureLayout(c, o);
    QVERIFY(std::abs(L.width - 89.0 / 25.4 * 72.0) < 1e-9);
    QCOMPARE(L.scaleBarLabel, std::string("2 nm"));
    const std::string out = f.dir.file("figure.png");
    renderFigure(c, o, out);
    QImage img(QString::fromStdString(out));
    QVERIFY(!img.isNull());
    QCOMPARE(img.width(), int(std::lround(89.0 / 25.4 * 300.0)));
    QCOMPARE(img.height(), int(std::lround(L.height * 300.0 / 72.0)));
    QVERIFY(std::abs(img.dotsPerMeterX() - 300.0 / 0.0254) < 2.0);
    QVERIFY(L.markerDiameter * 300.0 / 72.0 >= 4.0);

    // Not blank: many grey levels and colours.
    std::set<QRgb> colours;
    for (int y = 0; y < img.height(); y += 3)
        for (int x = 0; x < img.width(); x += 3)
            colours.insert(img.pixel(x, y));
    QVERIFY2(colours.size() > 100, qPrintable(QString::number(colours.size())));

    // Every marker centre shows its motif colour; unassigned columns are grey.
    const QColor motif0(QStringLiteral("#e69f00")), motif1(QStringLiteral("#56b4e9"));
    const QColor unassigned(QString::fromStdString(motifColour(-1)));
    int checked = 0;
    for (const Truth& t : f.truth) {
        if (underScaleBar(L, t.x, t.y))
            continue;
        ++checked;
        const QColor px = pixelAt(img, L, 300, t.x, t.y);
        const QColor want = t.motif == 0 ? motif0 : t.motif == 1 ? motif1 : unassigned;
        QVERIFY2(near(px, want), qPrintable(QStringLiteral("(%1, %2): %3").arg(t.x).arg(t.y).arg(px.name())));
    }
    QVERIFY(checked > 90);
    // Between columns: the micrograph's dark background, grey (R = G = B).
    const QColor between = pixelAt(img, L, 300, 12.25 + 8.0, 10.5 + 8.0);
    QVERIFY(between.red() == between.green() && between.green() == between.blue() && between.red() < 80);
    // The figure's corner is white paper.
    QCOMPARE(img.pixelColor(1, img.height() - 2), QColor(Qt::white));
}

void TestFigure::svgHasVectorMarkersAndLegend()
{
    Fixture f;
    const FigureContent c = loadAnalysisFolder(f.folder, f.image);
    const std::string out = f.dir.file("figure.svg");
    FigureOptions filled;
    filled.filledMarkers = true;
    renderFigure(c, filled, out);
    std::map<QString, int> shapes;
    QStringList texts;
    QString width;
    QVERIFY(readSvg(QString::fromStdString(out), shapes, texts, width));
    // One circle per column in its motif's colour, plus the legend swatch of that colour.
    QCOMPARE(shapes[QStringLiteral("#e69f00")], f.count(0) + 1);
    QCOMPARE(shapes[QStringLiteral("#56b4e9")], f.count(1) + 1);
    QCOMPARE(shapes[QString::fromStdString(motifColour(-1))], f.count(-1) + 1);
    for (const char* expected : {"Motifs", "motif 0", "motif 1", "unassigned", "2 nm", "Average patches", "square cell",
                                 "Level 1", "a", "b"})
        QVERIFY2(texts.contains(QString::fromUtf8(expected)), expected);
    QVERIFY(texts.contains(QStringLiteral("%1 (%2%)").arg(f.count(0)).arg(100.0 * f.count(0) / (f.count(0) + f.count(1)), 0, 'f', 1)));
    QVERIFY2(width.endsWith(QStringLiteral("mm")) && std::abs(width.chopped(2).toDouble() - 183.0) < 0.5, qPrintable(width));
}

/**
 * Issue 16 point 5: by default the markers are rings, so each atom's centre shows the micrograph
 * (grey) and the ring its motif colour; with columns in every corner the scale bar stands below
 * the micrograph, black on the white paper; with an empty corner it goes there, hiding no column.
 */
void TestFigure::ringsAndScaleBarHideNoAtom()
{
    Fixture f;
    FigureContent c = loadAnalysisFolder(f.folder, f.image);
    FigureOptions o;
    o.dpi = 300;
    o.widthMm = 89.0;
    FigureLayout L = computeFigureLayout(c, o);
    QVERIFY(L.scaleBarBelow);
    const double imageBottom = L.imageTop + L.imageScale * kHeight;
    QVERIFY(L.scaleBarTop >= imageBottom);
    QVERIFY(L.height >= L.scaleBarTop + L.scaleBarHeight);
    const std::string out = f.dir.file("rings.png");
    renderFigure(c, o, out);
    const QImage img(QString::fromStdString(out));
    const QColor motif0(QStringLiteral("#e69f00"));
    int rings = 0;
    for (const Truth& t : f.truth) {
        const QColor centre = pixelAt(img, L, 300, t.x, t.y);
        QVERIFY2(centre.red() == centre.green() && centre.green() == centre.blue() && centre.red() > 150,
                 qPrintable(QStringLiteral("(%1, %2): %3").arg(t.x).arg(t.y).arg(centre.name())));
        rings += t.motif == 0 && near(ringPixelAt(img, L, 300, t.x, t.y), motif0, 40);
    }
    QVERIFY2(rings > f.count(0) * 3 / 4, qPrintable(QString::number(rings)));
    // The scale bar below: black on white, under the frame.
    const double s = 300.0 / 72.0;
    int black = 0;
    for (int y = int(L.scaleBarTop * s); y < int((L.scaleBarTop + L.scaleBarHeight) * s); ++y)
        for (int x = int(L.scaleBarLeft * s); x < int((L.scaleBarLeft + L.scaleBarWidth) * s); ++x)
            black += qGray(img.pixel(x, y)) < 60;
    QVERIFY(black > 100);

    // Columns gone from the bottom-right quarter: the bar goes over the micrograph there.
    std::erase_if(c.columns, [](const FigureColumn& col) { return col.x > kWidth / 2.0 && col.y > kHeight / 2.0; });
    L = computeFigureLayout(c, o);
    QVERIFY(!L.scaleBarBelow);
    QVERIFY(L.scaleBarTop + L.scaleBarHeight <= imageBottom);
    for (const FigureColumn& col : c.columns) {
        const double px = L.imageLeft + L.imageScale * (col.x + 0.5), py = L.imageTop + L.imageScale * (col.y + 0.5);
        QVERIFY(!(px > L.scaleBarLeft && px < L.scaleBarLeft + L.scaleBarWidth && py > L.scaleBarTop
                  && py < L.scaleBarTop + L.scaleBarHeight));
    }
}

void TestFigure::pdfIsWritten()
{
    Fixture f;
    const FigureContent c = loadAnalysisFolder(f.folder, f.image);
    const std::string out = f.dir.file("figure.pdf");
    renderFigure(c, FigureOptions{}, out);
    std::ifstream in(out, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    QVERIFY(bytes.rfind("%PDF-", 0) == 0);
    QVERIFY2(bytes.size() > 20000, qPrintable(QString::number(bytes.size())));
    QVERIFY(bytes.find("%%EOF") != std::string::npos);
    // No temporary left beside it.
    for (const auto& e : fs::directory_iterator(f.dir.path()))
        QVERIFY2(e.path().filename().string().find(".tmp") == std::string::npos, e.path().c_str());
}

void TestFigure::sessionFigure()
{
    Fixture f;
    Session s;
    Micrograph m;
    m.width = kWidth;
    m.height = kHeight;
    s.image = makeImageRef(f.image, m);
    for (const Truth& t : f.truth) {
        AtomColumn col;
        col.x = t.x;
        col.y = t.y;
        s.columns.columns.push_back(col);
        s.columns.classes.push_back(t.motif);
    }
    s.motifs.push_back({0, "bulk", "#009e73", f.count(0), 0, {}});
    s.motifs.push_back({1, "dopant", "#d55e00", f.count(1), 0, {}});
    const std::string path = f.dir.file("work.motifscope");
    saveSession(s, path);
    const FigureContent c = loadSessionFigure(path);
    QVERIFY2(c.warning.empty(), c.warning.c_str());
    QCOMPARE(c.image.width, kWidth);
    QCOMPARE(c.columns.size(), f.truth.size());
    QCOMPARE(c.motifs[1].name, std::string("dopant"));
    const std::string out = f.dir.file("session.png");
    FigureOptions o;
    o.dpi = 150;
    o.filledMarkers = true;
    renderFigure(c, o, out);
    const QImage img(QString::fromStdString(out));
    const FigureLayout L = computeFigureLayout(c, o);
    for (const Truth& t : f.truth)
        if (t.motif == 1 && !underScaleBar(L, t.x, t.y))
            QVERIFY2(near(pixelAt(img, L, 150, t.x, t.y), QColor(QStringLiteral("#d55e00"))),
                     qPrintable(QStringLiteral("(%1, %2): %3").arg(t.x).arg(t.y).arg(pixelAt(img, L, 150, t.x, t.y).name())));
    // A changed image is reported.
    std::ofstream(f.image, std::ios::binary | std::ios::app) << "x";
    QVERIFY(loadSessionFigure(path).warning.find("changed") != std::string::npos);
}

void TestFigure::badInputIsRefused()
{
    Fixture f;
    const FigureContent c = loadAnalysisFolder(f.folder, f.image);
    QVERIFY_THROWS_EXCEPTION(IoError, renderFigure(c, FigureOptions{}, f.dir.file("figure.jpg")));
    QVERIFY_THROWS_EXCEPTION(IoError, renderFigure(c, FigureOptions{}, f.dir.file("missing/figure.png")));
    QVERIFY_THROWS_EXCEPTION(IoError, loadAnalysisFolder(f.dir.file("nowhere")));
    writeText(fs::path(f.folder) / "columns.csv", "x,y,motif\n1,2,0\n3,oops,1\n");
    try {
        loadAnalysisFolder(f.folder);
        QFAIL("malformed columns.csv accepted");
    } catch (const IoError& e) {
        QVERIFY2(e.file().find("columns.csv") != std::string::npos && e.problem().find("line 3") != std::string::npos,
                 e.what());
    }
    writeText(fs::path(f.folder) / "columns.csv", "x,y\n1,2\n");
    writeText(fs::path(f.folder) / "motifs.json", "{\"motifs\": [ {\"id\": ");
    QVERIFY_THROWS_EXCEPTION(IoError, loadAnalysisFolder(f.folder));
}

void TestFigure::renderCommandEndToEnd()
{
    Fixture f;
    const QString folder = QString::fromStdString(f.folder), image = QString::fromStdString(f.image);
    const QString png = QString::fromStdString(f.dir.file("cli.png"));
    CliResult r = runCli({QStringLiteral("render"), folder, QStringLiteral("--out"), png, QStringLiteral("--dpi"),
                          QStringLiteral("150"), QStringLiteral("--image"), image});
    QVERIFY2(r.exitCode == 0, qPrintable(r.stdErr));
    const QImage img(png);
    QCOMPARE(img.width(), int(std::lround(183.0 / 25.4 * 150.0)));
    const FigureLayout L = computeFigureLayout(loadAnalysisFolder(f.folder, f.image), FigureOptions{});
    // Rings by default: the motif colour on the stroke, the atom (grey) inside.
    QVERIFY(near(ringPixelAt(img, L, 150, f.truth[1].x, f.truth[1].y), QColor(QStringLiteral("#e69f00")), 30));
    const QColor centre = pixelAt(img, L, 150, f.truth[1].x, f.truth[1].y);
    QVERIFY(centre.red() == centre.green() && centre.green() == centre.blue());

    const QString svg = QString::fromStdString(f.dir.file("cli.svg"));
    r = runCli({QStringLiteral("render"), folder, QStringLiteral("--out"), svg});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.stdErr.contains(QStringLiteral("warning")) && r.stdErr.contains(QStringLiteral("--image")), qPrintable(r.stdErr));
    QVERIFY(QFile::exists(svg));

    r = runCli({QStringLiteral("render"), QString::fromStdString(f.dir.file("nowhere")), QStringLiteral("--out"), png});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.stdErr.startsWith(QStringLiteral("motifscope-cli: error:")) && r.stdErr.contains(QStringLiteral("nowhere")),
             qPrintable(r.stdErr));
    r = runCli({QStringLiteral("render"), folder, QStringLiteral("--out"), QString::fromStdString(f.dir.file("x.bmp"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.contains(QStringLiteral(".png, .svg or .pdf")), qPrintable(r.stdErr));
    QVERIFY(!QFile::exists(QString::fromStdString(f.dir.file("x.bmp"))));
    r = runCli({QStringLiteral("render"), folder});
    QCOMPARE(r.exitCode, 2);
    r = runCli({QStringLiteral("render"), folder, QStringLiteral("--out"), png, QStringLiteral("--dpi"), QStringLiteral("0")});
    QCOMPARE(r.exitCode, 2);
    r = runCli({QStringLiteral("render"), folder, QStringLiteral("--out"), QString::fromStdString(f.dir.file("no/dir/f.pdf")),
                QStringLiteral("--image"), image});
    QCOMPARE(r.exitCode, 3);
}

QTEST_MAIN(TestFigure)
#include "test_figure.moc"
