// Benchmark of the image view's paint time with many columns (issue 16: pan and zoom within one
// 60 Hz frame, 16.7 ms, on the software renderer). Not a test: it measures, never asserts.
//   motifscope-bench-view [--columns N] [--repeats R]
// A square micrograph with N columns on a 13 px grid (six motifs) in a 1600 x 1000 view, painted
// offscreen R times per case: whole image (markers as rings, then filled dots), 1:1, 4x, and a pan
// at 1:1. Prints one JSON object: median and worst paint time of each case in milliseconds.
#include "ui/document/micrographdocument.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/imageview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace motifscope;

namespace {

motifscope::Micrograph latticeImage(int side, double spacing)
{
    Micrograph m;
    m.width = m.height = side;
    m.dtype = "float32";
    m.format = "synthetic";
    m.calibration.pixelSizeX = m.calibration.pixelSizeY = 0.02;
    m.calibration.unit = "nm";
    m.pixels.resize(m.pixelCount());
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const double dx = std::remainder(x - spacing / 2, spacing), dy = std::remainder(y - spacing / 2, spacing);
            m.at(x, y) = float(std::exp(-(dx * dx + dy * dy) / 8.0));
        }
    return m;
}

struct Timing
{
    double median = 0.0, worst = 0.0;
};

template <typename Step>
Timing timePaints(ui::ImageView& view, int repeats, Step step)
{
    QImage target(view.size(), QImage::Format_ARGB32_Premultiplied);
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        step(i);
        QElapsedTimer t;
        t.start();
        view.render(&target);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.back()};
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    long long columns = 100000;
    int repeats = 30;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--columns"))
            columns = std::max(1LL, std::atoll(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--repeats"))
            repeats = std::max(1, std::atoi(argv[i + 1]));
    }
    const double spacing = 13.0;
    const int perSide = int(std::ceil(std::sqrt(double(columns))));
    const int side = int(std::ceil(perSide * spacing));

    ui::MicrographDocument document;
    document.setMicrograph(latticeImage(side, spacing), QStringLiteral("bench.tif"));
    ui::ColumnSet set;
    for (long long k = 0; k < columns; ++k) {
        AtomColumn c;
        c.x = spacing / 2 + double(k % perSide) * spacing;
        c.y = spacing / 2 + double(k / perSide) * spacing;
        set.columns.push_back(c);
        set.classes.push_back(int((k % perSide + k / perSide) % 6));
    }
    document.replaceColumns(std::move(set), QStringLiteral("bench"));

    ui::ImageView view;
    view.resize(1600, 1000);
    view.setDocument(&document);
    auto* overlay = new ui::ColumnOverlay;
    overlay->setDocument(&document);
    overlay->setPalette({QColor(0xe6, 0x9f, 0x00), QColor(0x56, 0xb4, 0xe9), QColor(0x00, 0x9e, 0x73),
                         QColor(0xf0, 0xe4, 0x42), QColor(0x00, 0x72, 0xb2), QColor(0xd5, 0x5e, 0x00)});
    view.addOverlay(overlay);
    view.show();
    view.fitToWindow();
    app.processEvents();

    auto noStep = [](int) {};
    overlay->setVisible(false);
    const Timing fitImageOnly = timePaints(view, repeats, noStep);
    overlay->setVisible(true);
    const Timing fitRings = timePaints(view, repeats, noStep);
    overlay->setMarkerStyle(ui::ColumnOverlay::MarkerStyle::Filled);
    const Timing fitDots = timePaints(view, repeats, noStep);
    overlay->setMarkerStyle(ui::ColumnOverlay::MarkerStyle::Outline);
    const Timing zoomSteps = timePaints(view, repeats, [&](int i) {
        view.setZoom(view.fitZoom() * std::pow(1.25, i % 8), QPointF(800, 500));
    });
    view.setView(1.0, QPointF(side / 2.0, side / 2.0));
    const Timing oneToOne = timePaints(view, repeats, noStep);
    const Timing pan = timePaints(view, repeats, [&](int i) {
        view.setView(1.0, QPointF(side / 2.0 + 40.0 * i, side / 2.0 + 25.0 * i));
    });
    view.setView(1.0, QPointF(side / 2.0, side / 2.0));
    overlay->setVisible(false);
    const Timing imageOnly = timePaints(view, repeats, noStep);
    overlay->setVisible(true);
    view.setView(4.0, QPointF(side / 2.0, side / 2.0));
    const Timing four = timePaints(view, repeats, noStep);

    std::printf("{\"columns\": %lld, \"image\": %d, \"view\": [1600, 1000], \"repeats\": %d,\n", columns, side, repeats);
    auto row = [](const char* name, const Timing& t, bool last) {
        std::printf("  \"%s\": {\"median_ms\": %.2f, \"worst_ms\": %.2f}%s\n", name, t.median, t.worst, last ? "" : ",");
    };
    row("fit_image_only", fitImageOnly, false);
    row("fit_rings", fitRings, false);
    row("fit_filled_dots", fitDots, false);
    row("zoom_steps", zoomSteps, false);
    row("one_to_one", oneToOne, false);
    row("pan_one_to_one", pan, false);
    row("one_to_one_image_only", imageOnly, false);
    row("zoom_4x", four, true);
    std::printf("}\n");
    return 0;
}
