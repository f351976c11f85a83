#include "ui/views/lookuptable.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace motifscope::ui {

namespace {

struct Stop
{
    double at;
    int r, g, b;
};

/** Fire: black through violet, red and orange to yellow and white (brightness rises steadily). */
constexpr std::array kFire{Stop{0.0, 0, 0, 0},        Stop{0.18, 70, 0, 120},   Stop{0.38, 180, 0, 110},
                           Stop{0.55, 240, 50, 20},   Stop{0.75, 255, 160, 0},  Stop{0.9, 255, 230, 80},
                           Stop{1.0, 255, 255, 255}};

QRgb fireAt(double t)
{
    std::size_t i = 0;
    while (i + 2 < kFire.size() && t > kFire[i + 1].at)
        ++i;
    const Stop& a = kFire[i];
    const Stop& b = kFire[i + 1];
    const double f = std::clamp((t - a.at) / (b.at - a.at), 0.0, 1.0);
    auto mix = [f](int x, int y) { return int(std::lround(x + f * (y - x))); };
    return qRgb(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
}

} // namespace

QVector<QRgb> lookupColours(LookupTable table)
{
    QVector<QRgb> colours(256);
    for (int i = 0; i < 256; ++i) {
        switch (table) {
        case LookupTable::Grey:
            colours[i] = qRgb(i, i, i);
            break;
        case LookupTable::Inverted:
            colours[i] = qRgb(255 - i, 255 - i, 255 - i);
            break;
        case LookupTable::Fire:
            colours[i] = fireAt(i / 255.0);
            break;
        }
    }
    return colours;
}

QString lookupName(LookupTable table)
{
    switch (table) {
    case LookupTable::Inverted:
        return QStringLiteral("inverted");
    case LookupTable::Fire:
        return QStringLiteral("fire");
    case LookupTable::Grey:
        break;
    }
    return QStringLiteral("grey");
}

LookupTable lookupFromName(const QString& name)
{
    for (LookupTable t : {LookupTable::Inverted, LookupTable::Fire})
        if (name == lookupName(t))
            return t;
    return LookupTable::Grey;
}

} // namespace motifscope::ui
