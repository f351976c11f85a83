#include "detect/columnfiles.h"

#include "detect/columns_csv.h"
#include "document/micrographdocument.h"
#include "io/micrograph.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <cmath>
#include <new>

namespace motifscope::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ColumnFiles", text);
}

/** The exception's text, prefixed with the path unless it already names the file. */
QString describe(const QString& path, const std::exception& e)
{
    const QString what = QString::fromStdString(e.what());
    return what.contains(path) || what.contains(QFileInfo(path).fileName()) ? what : path + QStringLiteral(": ") + what;
}

} // namespace

QString importColumnsCsv(MicrographDocument& document, const QString& path)
{
    if (!document.hasMicrograph())
        return tr("%1: open a micrograph before importing its columns").arg(path);
    AtomColumns columns;
    try {
        columns = readColumnsCsv(QFile::encodeName(path).toStdString());
    } catch (const std::bad_alloc&) {
        return tr("%1: not enough memory to read the columns").arg(path);
    } catch (const std::exception& e) {
        return describe(path, e);
    }
    // Columns far outside the image belong to another micrograph: refuse rather than show nothing.
    const Micrograph& image = document.micrograph();
    const double margin = 0.5 * std::max(image.width, image.height);
    std::size_t outside = 0;
    for (const AtomColumn& c : columns)
        if (!std::isfinite(c.x) || !std::isfinite(c.y) || c.x < -margin || c.y < -margin
            || c.x > image.width - 1 + margin || c.y > image.height - 1 + margin)
            ++outside;
    if (outside > 0)
        return tr("%1: %2 of %3 columns lie far outside this %4 × %5 image (columns of another micrograph?)")
            .arg(path)
            .arg(outside)
            .arg(columns.size())
            .arg(image.width)
            .arg(image.height);
    ColumnSet set;
    set.columns = std::move(columns);
    document.replaceColumns(std::move(set), tr("Import Columns"));
    return {};
}

QString exportColumnsCsv(const MicrographDocument& document, const QString& path)
{
    try {
        writeColumnsCsv(document.columns(), QFile::encodeName(path).toStdString());
    } catch (const std::bad_alloc&) {
        return tr("%1: not enough memory to write the columns").arg(path);
    } catch (const std::exception& e) {
        return describe(path, e);
    }
    return {};
}

} // namespace motifscope::ui
