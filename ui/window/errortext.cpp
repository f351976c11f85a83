#include "ui/window/errortext.h"

#include "core/io/readers.h"

#include <QFile>
#include <QFileInfo>
#include <QMessageBox>

namespace motifscope::ui {

namespace {

/** "(libtiff: ...)", "(HDF5 ...)": where a library's own words start in a message, or -1. */
qsizetype libraryDetailAt(const QString& message)
{
    qsizetype at = -1;
    for (const char* marker : {"(libtiff", "(HDF5", "(hdf5", "(OpenCV", "(cv::"}) {
        const qsizetype i = message.indexOf(QLatin1String(marker));
        if (i >= 0 && (at < 0 || i < at))
            at = i;
    }
    return at;
}

QString formatName(FileFormat format)
{
    switch (format) {
    case FileFormat::Tiff: return QStringLiteral("TIFF");
    case FileFormat::Raster: return QStringLiteral("PNG, JPEG or BMP");
    case FileFormat::Dm: return QStringLiteral("Digital Micrograph");
    case FileFormat::Emd: return QStringLiteral("EMD (HDF5)");
    case FileFormat::Ser: return QStringLiteral("SER");
    case FileFormat::Mrc: return QStringLiteral("MRC");
    case FileFormat::Npy: return QStringLiteral("NumPy");
    case FileFormat::Unknown: break;
    }
    return QString();
}

} // namespace

ErrorText friendlyError(const QString& message)
{
    ErrorText e;
    QString summary = message.trimmed();
    const qsizetype detail = libraryDetailAt(summary);
    if (detail >= 0) {
        // To the parenthesis that closes it (the library's words may hold their own).
        qsizetype close = -1;
        int depth = 0;
        for (qsizetype i = detail; i < summary.size() && close < 0; ++i) {
            if (summary[i] == QLatin1Char('('))
                ++depth;
            else if (summary[i] == QLatin1Char(')') && --depth == 0)
                close = i;
        }
        summary = (summary.left(detail) + (close >= 0 ? summary.mid(close + 1) : QString())).simplified();
    }
    e.summary = summary.section(QLatin1Char('\n'), 0, 0);
    if (e.summary != message.trimmed())
        e.details = message.trimmed();
    return e;
}

QMessageBox* makeErrorBox(QWidget* parent, const QString& title, const QString& message)
{
    const ErrorText e = friendlyError(message);
    auto* box = new QMessageBox(QMessageBox::Warning, title, e.summary, QMessageBox::Ok, parent);
    if (!e.details.isEmpty())
        box->setDetailedText(e.details);
    box->setAttribute(Qt::WA_DeleteOnClose);
    return box;
}

QString openProblem(const QString& path, bool session)
{
    const QFileInfo info(path);
    const QString name = info.fileName();
    if (!info.exists())
        return QObject::tr("%1: no such file").arg(path);
    if (!info.isFile())
        return QObject::tr("%1: not a file").arg(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QObject::tr("%1: cannot be read (%2)").arg(path, file.errorString());
    if (info.size() == 0)
        return QObject::tr("%1: the file is empty").arg(path);
    if (session)
        return QString();
    const QByteArray head = file.read(4096);
    const Bytes bytes(reinterpret_cast<const std::uint8_t*>(head.constData()), std::size_t(head.size()));
    const FileFormat byContent = sniffFormat(bytes, std::string());
    const FileFormat byName = sniffFormat(Bytes{}, QFile::encodeName(name).toStdString());
    if (byContent != FileFormat::Unknown || byName == FileFormat::Mrc) // old MRC files carry no "MAP" mark
        return QString();
    if (byName == FileFormat::Unknown)
        return QObject::tr("%1: unrecognised file format (supported: %2)")
            .arg(path, QString::fromLatin1(supportedExtensionsPattern()));
    return QObject::tr("%1: not a %2 file (its first bytes are not a %2 header)").arg(path, formatName(byName));
}

} // namespace motifscope::ui
