// motifscope [FILE] [--detect] [--analyze] [--screenshot PNG]: parsing and wiring only; the work is in ui/.
#include "ui/window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QImageWriter>
#include <QPixmap>
#include <QTimer>

#include <cstdio>
#include <functional>

namespace {

enum ExitStatus
{
    kSuccess = 0,
    kCannotWrite = 1,
    kUsageError = 2,
    kInputError = 3,
};

void printError(const QString& message)
{
    std::fprintf(stderr, "motifscope: error: %s\n", message.toLocal8Bit().constData());
}

/** Calls `action` once the window has no background work left (after pending events). */
void whenIdle(motifscope::ui::MainWindow& window, std::function<void()> action)
{
    if (!window.isBusy()) {
        QTimer::singleShot(0, &window, std::move(action));
        return;
    }
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(&window, &motifscope::ui::MainWindow::busyChanged, &window,
                                   [&window, connection, action = std::move(action)](bool busy) {
                                       if (busy)
                                           return;
                                       QObject::disconnect(*connection);
                                       QTimer::singleShot(0, &window, action);
                                   });
}

/** Saves a grab of the window to `path`; returns the exit status. */
int saveScreenshot(motifscope::ui::MainWindow& window, const QString& path)
{
    const QPixmap shot = window.grab();
    QImageWriter writer(path, "png");
    if (shot.isNull() || !writer.write(shot.toImage())) {
        printError(QStringLiteral("%1: cannot save screenshot: %2").arg(path, writer.errorString()));
        return kCannotWrite;
    }
    return kSuccess;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MotifScope"));
    QApplication::setApplicationName(QStringLiteral("MotifScope"));
    QApplication::setApplicationVersion(QStringLiteral(MOTIFSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("MotifScope: motifs and their hierarchies in atomic-resolution micrographs"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Micrograph to open."), QStringLiteral("[FILE]"));
    const QCommandLineOption analyzeOption(QStringLiteral("analyze"), QStringLiteral("Run the default analysis on FILE."));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QStringLiteral("Wait until all work has finished, save a grab of the main window to PNG and quit."),
        QStringLiteral("PNG"));
    const QCommandLineOption detectOption(QStringLiteral("detect"),
                                          QStringLiteral("Detect the atom columns in FILE (automatic settings)."));
    const QCommandLineOption sizeOption(QStringLiteral("window-size"),
                                        QStringLiteral("Window size for --screenshot (default 1280x860)."),
                                        QStringLiteral("WxH"));
    parser.addOption(detectOption);
    parser.addOption(analyzeOption);
    parser.addOption(screenshotOption);
    parser.addOption(sizeOption);

    if (!parser.parse(QApplication::arguments())) {
        printError(parser.errorText());
        return kUsageError;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(kSuccess);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1) {
        printError(QStringLiteral("only one FILE can be opened (got %1)").arg(files.size()));
        return kUsageError;
    }
    const QString file = files.value(0);
    const QString screenshot = parser.value(screenshotOption);
    const bool screenshotMode = parser.isSet(screenshotOption);

    QSize windowSize(1280, 860);
    if (parser.isSet(sizeOption)) {
        const QStringList wh = parser.value(sizeOption).split(QLatin1Char('x'));
        const int w = wh.value(0).toInt(), h = wh.size() == 2 ? wh[1].toInt() : 0;
        if (w < 320 || h < 240 || w > 8192 || h > 8192) {
            printError(QStringLiteral("--window-size: %1: give WIDTHxHEIGHT, e.g. 1600x1000").arg(parser.value(sizeOption)));
            return kUsageError;
        }
        windowSize = QSize(w, h);
    }

    motifscope::ui::MainWindow window; // also registers the icons in resources.qrc
    QApplication::setWindowIcon(window.windowIcon());
    if (screenshotMode) {
        window.setInteractive(false);
        window.resize(windowSize);
    } else {
        window.restoreWindowState();
    }
    window.show();

    QString loadError;
    QObject::connect(&window, &motifscope::ui::MainWindow::loadFinished, &window,
                     [&loadError](const QString&, bool ok, const QString& message) {
                         if (!ok)
                             loadError = message;
                     });
    if (!file.isEmpty())
        window.openFile(file);
    if (parser.isSet(detectOption))
        whenIdle(window, [&window] { window.detectColumns(); });
    if (parser.isSet(analyzeOption))
        whenIdle(window, [&window] { window.requestAnalysis(); });

    int status = kSuccess;
    std::function<void()> grabWhenSettled; // outlives the event loop that calls it
    if (screenshotMode) {
        // Work started by an earlier idle action (--detect) runs first: wait until none is left.
        grabWhenSettled = [&] {
            if (window.isBusy()) {
                whenIdle(window, grabWhenSettled);
                return;
            }
            if (!loadError.isEmpty()) {
                printError(loadError);
                status = kInputError;
            } else {
                status = saveScreenshot(window, screenshot);
            }
            QApplication::exit(status);
        };
        whenIdle(window, grabWhenSettled);
    }
    const int loopStatus = QApplication::exec();
    return screenshotMode ? status : loopStatus;
}
