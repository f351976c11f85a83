#include "ui/detect/columnfiles.h"

#include "core/detect/columns_csv.h"
#include "ui/document/micrographdocument.h"
#include "core/io/micrograph.h"
#include "ui/jobs/guardedwork.h"

#include <QCoreApplication>
#include <QFile>

#include <cmath>

namespace motifscope::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ColumnFiles", text);
}

} // namespace

QString importColumnsCsv(MicrographDocument& document, const QString& path)
{
    if (!document.hasMicrograph())
        return tr("%1: open a micrograph before importing its columns").arg(path);
    AtomColumns columns;
    const WorkEnding read = runGuarded([&] { columns = readColumnsCsv(QFile::encodeName(path).toStdString()); },
                                       {tr("%1: not enough memory to read the columns").arg(path),
                                        tr("%1: unexpected error while reading the columns").arg(path), path});
    if (!read.error.isEmpty())
        return read.error;
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
    return runGuarded([&] { writeColumnsCsv(document.columns(), QFile::encodeName(path).toStdString()); },
                      {tr("%1: not enough memory to write the columns").arg(path),
                       tr("%1: unexpected error while writing the columns").arg(path), path})
        .error;
}

} // namespace motifscope::ui
