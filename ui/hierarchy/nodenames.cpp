#include "hierarchy/nodenames.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <map>

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

/** "0.0.1" -> "2 × Mo site, Se2 site" (in order of first appearance). */
QString cellContents(const QString& body, const QStringList& names)
{
    std::map<int, int> count;
    QList<int> order;
    for (const QString& token : body.split(QLatin1Char('.'), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int id = token.toInt(&ok);
        if (!ok)
            return {};
        if (count[id]++ == 0)
            order.append(id);
    }
    QStringList parts;
    for (int id : order)
        parts << (count[id] > 1 ? QStringLiteral("%1 × %2").arg(count[id]).arg(motifName(id, names)) : motifName(id, names));
    return parts.join(QStringLiteral(", "));
}

/** "-1 0 1 0 | 2" -> "unassigned, Mo site, Se2 site, Mo site; centre Mo site". */
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
            out << (parts.size() > 2 && parts.count(parts.front()) == parts.size() ? tr("all %1").arg(parts.front())
                                                                                    : parts.join(QStringLiteral(", ")));
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
