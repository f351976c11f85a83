#pragma once
/** A measure per column shown as colour on the image (the Disorder dock's "Map on image"). */

#include <QString>

#include <vector>

namespace motifscope::ui {

struct ColumnValueMap
{
    QString name;                ///< e.g. "local motif entropy (bits)"; empty = no map
    std::vector<double> values;  ///< one per column of the document (NaN: not defined there)
    double low = 0.0, high = 1.0; ///< the colour scale's ends
    double spacing = 0.0;        ///< typical column spacing, image pixels (the tiles' size)

    bool isEmpty() const { return name.isEmpty() || values.empty(); }
};

} // namespace motifscope::ui
