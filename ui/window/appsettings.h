#pragma once
/** Where the GUI keeps its preferences (QSettings organisation and application "MotifScope"). */

#include <QSettings>
#include <QString>

namespace motifscope::ui {

inline QString settingsOrganisation()
{
    return QStringLiteral("MotifScope");
}

inline QString settingsApplication()
{
    return QStringLiteral("MotifScope");
}

/** Usage: `QSettings settings(settingsOrganisation(), settingsApplication());` */

} // namespace motifscope::ui
