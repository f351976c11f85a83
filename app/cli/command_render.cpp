#include "app/cli/cli_args.h"
#include "app/cli/commands.h"
#include "core/io/folder_manifest.h"
#include "core/io/micrograph.h"

#include <cstdio>
#include <filesystem>
#include <string>

#ifdef MOTIFSCOPE_HAVE_FIGURE
#include "ui/figure/figure.h"

#include <QGuiApplication>
#endif

namespace motifscope::cli {

int runRender(const Args& argv)
{
    const CommandSpec spec{"render",
                           "usage: motifscope-cli render DIR|SESSION --out FIGURE.(png|svg|pdf) [--dpi N]\n"
                           "         [--image IMAGE] [--width-mm MM] [--no-legend] [--no-averages]\n"
                           "         [--no-hierarchy] [--no-scale-bar]\n\n"
                           "An annotated publication figure from an analysis folder or a session file:\n"
                           "the micrograph (percentile contrast), columns coloured by motif, a calibrated\n"
                           "scale bar, the motif legend with counts, average patches and the hierarchy.\n"
                           "PNG at --dpi (default 300); SVG and PDF keep markers and text as vectors.\n"
                           "An analysis folder does not name its micrograph: give it with --image (else the\n"
                           "columns are drawn on white). --width-mm: 183 (two columns, default) or 89.\n",
                           {"--out", "--dpi", "--image", "--width-mm"},
                           {"--no-legend", "--no-averages", "--no-hierarchy", "--no-scale-bar"},
                           1,
                           1};
    const ParsedArgs args = parseArgs(spec, argv);
    if (args.has("--help")) {
        std::fputs(spec.usage.c_str(), stdout);
        return ExitOk;
    }
    const std::string out = args.required("--out");
    const int dpi = int(args.integer("--dpi", 300, 30, 2400));
    const double widthMm = args.positiveNumber("--width-mm", 183.0);
    if (widthMm < 30 || widthMm > 1000)
        throw UsageError("--width-mm: must be from 30 to 1000");
#ifndef MOTIFSCOPE_HAVE_FIGURE
    (void)out;
    (void)dpi;
    throw InputError("render needs the Qt build (configure with -DMOTIFSCOPE_BUILD_UI=ON)");
#else
    FigureFormat format;
    if (!figureFormatFor(out, format))
        throw UsageError("--out: " + out + ": the figure must end in .png, .svg or .pdf");
    const std::string& input = args.positional[0];
    const std::string image = args.value("--image");
    namespace fs = std::filesystem;
    std::error_code ec;
    FigureContent content;
    if (fs::is_directory(input, ec)) {
        // A folder a killed analyze left half-replaced is refused; one changed since its run, warned about.
        const FolderCheck check = checkFolder(input);
        if (check.state == FolderState::Interrupted)
            throw InputError(check.problem);
        if (check.state == FolderState::Changed)
            std::fprintf(stderr, "motifscope-cli: warning: %s\n", check.problem.c_str());
        content = loadAnalysisFolder(input, image);
    }
    else if (fs::is_regular_file(input, ec))
        content = loadSessionFigure(input, image);
    else
        throw IoError(input, "no such analysis folder or session file");
    if (!content.warning.empty())
        std::fprintf(stderr, "motifscope-cli: warning: %s\n", content.warning.c_str());

    FigureOptions options;
    options.dpi = dpi;
    options.widthMm = widthMm;
    options.legend = !args.has("--no-legend");
    options.averages = !args.has("--no-averages");
    options.hierarchy = !args.has("--no-hierarchy");
    options.scaleBar = !args.has("--no-scale-bar");

    // Text rendering needs a QGuiApplication; headless by default, and Qt's chatter kept off stderr.
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
        if (type == QtCriticalMsg || type == QtFatalMsg)
            std::fprintf(stderr, "motifscope-cli: qt: %s\n", message.toLocal8Bit().constData());
    });
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int qtArgc = 1;
    static char qtName[] = "motifscope-cli";
    static char* qtArgv[] = {qtName, nullptr};
    const QGuiApplication app(qtArgc, qtArgv);
    renderFigure(content, options, out);
    return ExitOk;
#endif
}

} // namespace motifscope::cli
