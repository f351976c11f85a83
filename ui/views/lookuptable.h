#pragma once
/** Lookup tables for the micrograph on screen (as Fiji's LUTs): grey, inverted grey, fire. */

#include <QRgb>
#include <QString>
#include <QVector>

namespace motifscope::ui {

enum class LookupTable
{
    Grey,
    Inverted,
    Fire,
};

/** The 256 colours grey level 0..255 is shown in. */
QVector<QRgb> lookupColours(LookupTable table);
/** "grey", "inverted", "fire": the session's name for it. */
QString lookupName(LookupTable table);
/** The table named `name` (lookupName); Grey for anything else. */
LookupTable lookupFromName(const QString& name);

} // namespace motifscope::ui
