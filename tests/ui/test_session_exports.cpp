// Exports from the real main window with a learned session: figures (PNG of the whole image and of
// the current view, SVG, PDF), the data tables, Copy View; the export dialog follows the extension.
#include "session_window_test_support.h"
#include "test_support.h"
#include "ui_test_support.h"
#include "ui_test_wait.h"

#include "ui/dialogs/exportfiguredialog.h"
#include "ui/document/micrographdocument.h"
#include "ui/export/documentexport.h"
#include "ui/window/mainwindow.h"
#include "ui/views/imageview.h"
#include "ui/window/mainactions.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>

#include <memory>

using namespace motifscope::test;
using motifscope::ui::MainWindow;

namespace {

/** Pixels whose colour is clearly not grey (motif markers on a grey micrograph). */
long long colouredPixels(const QImage& image)
{
    long long n = 0;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); ++y)
        for (int x = 0; x < rgb.width(); ++x)
            if (QColor(rgb.pixel(x, y)).hsvSaturation() > 120)
                ++n;
    return n;
}

/** The lowest row with a dark pixel in the figure's left half (where the micrograph panel is). */
int lowestDarkRow(const QImage& figure)
{
    const QImage rgb = figure.convertToFormat(QImage::Format_RGB32);
    for (int y = rgb.height() - 1; y >= 0; --y)
        for (int x = 0; x < rgb.width() / 2; ++x)
            if (qGray(rgb.pixel(x, y)) < 40)
                return y;
    return -1;
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSessionExports : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(setUpSessionTests(mDir, mImagePath)); }
    void init() { QFile::remove(MainWindow::recoveryFilePath()); } // no recovery file from an earlier test
    void exportsFiguresDataAndView();
    void exportDialogFollowsExtension();

private:
    QTemporaryDir mDir;
    QString mImagePath;
};

void TestSessionExports::exportsFiguresDataAndView()
{
    auto w = newWindow();
    QVERIFY(openDetectLearn(*w, mImagePath));
    QVERIFY(runAndWait(w.get(), [&] { w->buildHierarchy(); }));
    QSignalSpy exported(w.get(), &MainWindow::figureExported);

    motifscope::ui::FigureExportRequest request;
    request.path = mDir.filePath(QStringLiteral("whole.png"));
    request.options.dpi = 150;
    request.options.widthMm = 100.0;
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportFigureTo(request)); }));
    QCOMPARE(exported.count(), 1);
    QVERIFY2(exported.at(0).at(1).toBool(), qPrintable(exported.at(0).at(2).toString()));
    const QImage whole(request.path);
    QVERIFY(!whole.isNull());
    QVERIFY2(std::abs(whole.width() - 100.0 / 25.4 * 150.0) <= 2.0, qPrintable(QString::number(whole.width())));
    QVERIFY(motifscope::test::greyVariance(whole) > 100.0); // not blank
    QVERIFY(colouredPixels(whole) > 200);                    // motif-coloured markers

    // The current view only: a crop of the image (another aspect), fewer columns.
    w->imageView()->setView(4.0, QPointF(160.0, 160.0));
    const QRect region = w->imageView()->visibleImageRect().toAlignedRect();
    const motifscope::FigureContent part = motifscope::ui::figureContentOf(w->sessionContent(), region);
    QVERIFY(part.columns.size() < w->document()->columns().size());
    QVERIFY(!part.columns.empty());
    QCOMPARE(part.width, region.intersected(QRect(0, 0, 320, 320)).width());
    request.path = mDir.filePath(QStringLiteral("view.png"));
    request.currentViewOnly = true;
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportFigureTo(request)); }));
    const QImage view(request.path);
    QVERIFY(!view.isNull());
    QCOMPARE(view.width(), whole.width());
    // The micrograph panel (left) takes the crop's aspect; the figure's height may be the side
    // panel's (legend, averages, hierarchy) in both.
    const int wholePanel = lowestDarkRow(whole), viewPanel = lowestDarkRow(view);
    QVERIFY2(std::abs(viewPanel - wholePanel) > view.width() / 5,
             qPrintable(QStringLiteral("micrograph panels end at rows %1 and %2").arg(viewPanel).arg(wholePanel)));
    QVERIFY(motifscope::test::greyVariance(view) > 100.0);

    // Vector formats.
    request.currentViewOnly = false;
    request.path = mDir.filePath(QStringLiteral("figure.svg"));
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportFigureTo(request)); }));
    const QByteArray svg = fileBytes(request.path);
    QVERIFY(svg.contains("<svg"));
    QVERIFY(svg.contains(w->document()->motifTable().motifs[0].colour.name().toLatin1()));
    request.path = mDir.filePath(QStringLiteral("figure.pdf"));
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportFigureTo(request)); }));
    const QByteArray pdf = fileBytes(request.path);
    QVERIFY(pdf.startsWith("%PDF") && pdf.size() > 1000);
    request.path = mDir.filePath(QStringLiteral("figure.txt"));
    QVERIFY(!w->exportFigureTo(request));
    QVERIFY(!QFileInfo::exists(request.path));

    // Data: every table the document has, in the analysis-folder formats.
    const QString folder = mDir.filePath(QStringLiteral("data"));
    QSignalSpy data(w.get(), &MainWindow::dataExported);
    QVERIFY(runAndWait(w.get(), [&] { QVERIFY(w->exportDataTo(folder)); }));
    QCOMPARE(data.count(), 1);
    QVERIFY2(data.at(0).at(1).toBool(), qPrintable(data.at(0).at(2).toString()));
    const QList<QByteArray> lines = fileBytes(QDir(folder).filePath(QStringLiteral("columns.csv"))).trimmed().split('\n');
    QCOMPARE(qsizetype(lines.size()), qsizetype(w->document()->columns().size() + 1));
    QVERIFY(lines[0].startsWith("x,y,intensity,motif,confidence"));
    for (const char* name : {"features.csv", "embedding.csv", "motifs.json", "hierarchy.json"})
        QVERIFY2(fileBytes(QDir(folder).filePath(QString::fromLatin1(name))).size() > 10, name);

    // Copy View: the view as shown.
    QGuiApplication::clipboard()->clear();
    w->actions()->copyView->trigger();
    const QImage copied = QGuiApplication::clipboard()->image();
    QVERIFY(!copied.isNull());
    QCOMPARE(copied.size() / copied.devicePixelRatio(), w->imageView()->size());
}

void TestSessionExports::exportDialogFollowsExtension()
{
    motifscope::ui::ExportFigureDialog dialog;
    motifscope::ui::FigureExportRequest r;
    r.path = QStringLiteral("/tmp/a.png");
    r.options.dpi = 600;
    r.options.averages = false;
    r.currentViewOnly = true;
    dialog.setRequest(r);
    QCOMPARE(dialog.formatBox()->currentIndex(), 0);
    QVERIFY(dialog.dpiBox()->isEnabled());
    dialog.pathEdit()->setText(QStringLiteral("/tmp/b.svg"));
    Q_EMIT dialog.pathEdit()->textEdited(dialog.pathEdit()->text());
    QCOMPARE(dialog.formatBox()->currentIndex(), 1);
    QVERIFY(!dialog.dpiBox()->isEnabled());
    dialog.formatBox()->setCurrentIndex(2); // as a user choosing PDF

    Q_EMIT dialog.formatBox()->activated(2);
    QCOMPARE(dialog.pathEdit()->text(), QStringLiteral("/tmp/b.pdf"));
    const motifscope::ui::FigureExportRequest back = dialog.request();
    QCOMPARE(back.path, QStringLiteral("/tmp/b.pdf"));
    QCOMPARE(back.options.dpi, 600);
    QVERIFY(!back.options.averages);
    QVERIFY(back.options.legend);
    QVERIFY(back.currentViewOnly);
}

QTEST_MAIN(TestSessionExports)
#include "test_session_exports.moc"
