#include "core/learn/metrics.h"

#include <map>
#include <stdexcept>
#include <utility>

namespace motifscope {

double adjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b)
{
    if (a.size() != b.size())
        throw std::invalid_argument("adjusted Rand index of labellings of different sizes");
    const double n = double(a.size());
    if (a.size() < 2)
        return 1.0;
    std::map<std::pair<int, int>, double> joint;
    std::map<int, double> rows, cols;
    for (std::size_t i = 0; i < a.size(); ++i) {
        joint[{a[i], b[i]}] += 1;
        rows[a[i]] += 1;
        cols[b[i]] += 1;
    }
    auto pairs = [](double m) { return m * (m - 1) / 2; };
    double index = 0, sumRows = 0, sumCols = 0;
    for (const auto& [key, m] : joint)
        index += pairs(m);
    for (const auto& [key, m] : rows)
        sumRows += pairs(m);
    for (const auto& [key, m] : cols)
        sumCols += pairs(m);
    const double expected = sumRows * sumCols / pairs(n);
    const double maximum = 0.5 * (sumRows + sumCols);
    if (maximum == expected)
        return 1.0; // both partitions trivial (one class, or all singletons) and equal in kind
    return (index - expected) / (maximum - expected);
}

} // namespace motifscope
