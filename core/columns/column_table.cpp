#include "core/columns/column_table.h"

#include <algorithm>

namespace motifscope {

namespace {

template <typename T>
void fit(std::vector<T>& values, std::size_t n, const T& fill)
{
    if (!values.empty())
        values.resize(n, fill);
}

template <typename T>
void eraseAt(std::vector<T>& values, const std::vector<int>& sortedIndices)
{
    if (values.empty())
        return;
    std::size_t next = 0, out = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (next < sortedIndices.size() && sortedIndices[next] == int(i)) {
            ++next;
            continue;
        }
        values[out++] = std::move(values[i]);
    }
    values.resize(out);
}

} // namespace

void ColumnTable::conform()
{
    const std::size_t n = columns.size();
    fit(classes, n, -1);
    fit(confidence, n, 0.0f);
    fit(map, n, MapPoint{});
    fit(orientation, n, 0.0f);
    fit(edits, n, std::uint8_t(0));
}

void ColumnTable::markEdited(std::size_t i, std::uint8_t bit)
{
    if (i >= columns.size())
        return;
    if (edits.size() != columns.size())
        edits.resize(columns.size(), 0);
    edits[i] |= bit;
}

void ColumnTable::append(const AtomColumn& column)
{
    columns.push_back(column);
    conform();
}

void ColumnTable::erase(const std::vector<int>& sortedIndices)
{
    conform();
    eraseAt(columns, sortedIndices);
    eraseAt(classes, sortedIndices);
    eraseAt(confidence, sortedIndices);
    eraseAt(map, sortedIndices);
    eraseAt(orientation, sortedIndices);
    eraseAt(edits, sortedIndices);
}

long long membersOf(const ColumnTable& table, int id)
{
    return std::count(table.classes.begin(), table.classes.end(), id);
}

} // namespace motifscope
