#include "ui/hierarchy/nodenames.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace motifscope::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("NodeNames", text);
}

QString motifName(int id, const QStringList& names)
{
    if (id < 0)
        return tr("unassigned");
    return id < names.size() && !names[id].isEmpty() ? names[id] : tr("motif %1").arg(id);
}

/** Names with their counts, in order of first appearance: "2 × Mo site, Se2 site". */
QString countedNames(const QStringList& parts)
{
    QStringList order;
    for (const QString& part : parts)
        if (!order.contains(part))
            order << part;
    QStringList out;
    for (const QString& part : order) {
        const qsizetype n = parts.count(part);
        out << (n > 1 ? QStringLiteral("%1 × %2").arg(n).arg(part) : part);
    }
    return out.join(QStringLiteral(", "));
}

/** "0.0.1" -> "2 × Mo site, Se2 site". */
QString cellContents(const QString& body, const QStringList& names)
{
    QStringList parts;
    for (const QString& token : body.split(QLatin1Char('.'), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int id = token.toInt(&ok);
        if (!ok)
            return {};
        parts << motifName(id, names);
    }
    return countedNames(parts);
}

/**
 * A ring's corners in order, repeats said once: "all Mo site", "alternating Mo site, Se2 site",
 * "(A, B, C) × 2"; otherwise the list up to four corners, and beyond four (too long for a card)
 * the counts, "3 × Se2 site, 2 × Mo site, W site" (the order stays in the core's name).
 */
QString cornerSequence(const QStringList& parts)
{
    const qsizetype n = parts.size();
    for (qsizetype period = 1; period <= n / 2; ++period) {
        if (n % period != 0)
            continue;
        bool repeats = true;
        for (qsizetype i = period; i < n && repeats; ++i)
            repeats = parts[i] == parts[i % period];
        if (!repeats)
            continue;
        const QString unit = parts.mid(0, period).join(QStringLiteral(", "));
        if (period == 1)
            return n > 2 ? tr("all %1").arg(unit) : parts.join(QStringLiteral(", "));
        if (period == 2)
            return tr("alternating %1").arg(unit);
        return QStringLiteral("(%1) × %2").arg(unit).arg(n / period);
    }
    return n > 4 ? countedNames(parts) : parts.join(QStringLiteral(", "));
}

/** "-1 0 1 0 | 2" -> "alternating unassigned, Mo site; centre Mo site" (see cornerSequence). */
QString ringSequence(const QString& body, const QStringList& names)
{
    const QStringList halves = body.split(QLatin1Char('|'));
    QStringList out;
    for (int h = 0; h < halves.size(); ++h) {
        QStringList parts;
        for (const QString& token : halves[h].split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int id = token.toInt(&ok);
            if (!ok)
                return {};
            parts << motifName(id, names);
        }
        if (h == 0)
            out << cornerSequence(parts);
        else
            out << (parts.size() == 1 ? tr("centre %1") : tr("centres %1")).arg(parts.join(QStringLiteral(", ")));
    }
    return out.join(QStringLiteral("; "));
}

} // namespace

QString plainNodeName(const std::string& coreName, const QStringList& motifNames)
{
    const QString name = QString::fromStdString(coreName);
    static const QRegularExpression bracket(QStringLiteral("\\[([^\\]]*)\\]"));
    QString out;
    qsizetype last = 0;
    auto it = bracket.globalMatch(name);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString body = m.captured(1).trimmed();
        const bool cell = body.contains(QLatin1Char('.')) || (!body.contains(QLatin1Char(' ')) && name.contains(QStringLiteral("cell")));
        const QString plain = cell ? cellContents(body, motifNames) : ringSequence(body, motifNames);
        if (plain.isEmpty() && !body.isEmpty())
            return name; // not a list of motif numbers: keep the core's words
        QString before = name.mid(last, m.capturedStart() - last);
        // "cell [0.1]" -> "cell of Mo site, Se2 site"; "square [...]" -> "square: ..."
        if (before.endsWith(QLatin1Char(' ')))
            before.chop(1);
        QString joint = QStringLiteral(": ");
        if (cell && before.isEmpty() && !out.isEmpty())
            joint = QStringLiteral("; cell of ");
        else if (cell)
            joint = before.isEmpty() || before.endsWith(QLatin1Char(':')) ? QStringLiteral(" cell of ") : QStringLiteral(" of ");
        out += before + joint + plain;
        last = m.capturedEnd();
    }
    out += name.mid(last);
    return out.trimmed();
}

QStringList motifNamesOf(const MotifTable& table)
{
    QStringList names;
    for (const MotifEntry& m : table.motifs)
        names << m.name;
    return names;
}

QString nodeNameLegend()
{
    return tr("Ring names list the motifs of the ring's corners in order around it (\"unassigned\": a column "
              "without a motif); cell names count the motifs of the columns inside the cell.");
}

} // namespace motifscope::ui
