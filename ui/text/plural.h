#pragma once
// "1 column", "2 columns": English plurals without a translation catalogue (tr's %n would print
// "column(s)" when no .qm file is installed).
#include <QString>

namespace motifscope::ui {

inline QString countOf(long long n, const QString& singular, const QString& plural)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? singular : plural);
}

inline QString columnCount(long long n)
{
    return countOf(n, QStringLiteral("column"), QStringLiteral("columns"));
}

} // namespace motifscope::ui
