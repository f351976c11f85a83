#include "core/hierarchy/motif_tally.h"

#include <cstdlib>

namespace motifscope {

long long HierarchyLevel::total() const
{
    long long sum = 0;
    for (const MotifNode& m : motifs)
        sum += m.count;
    return sum;
}

namespace hierarchy_detail {

namespace {

/** The numeric part of an id "L<level>-<k>", for ordering ids by rank rather than as text. */
int rankOf(const std::string& id)
{
    const auto dash = id.find('-');
    return dash == std::string::npos ? 0 : std::atoi(id.c_str() + dash + 1);
}

void sortIds(std::vector<std::string>& ids)
{
    std::sort(ids.begin(), ids.end(), [](const std::string& a, const std::string& b) {
        return rankOf(a) != rankOf(b) ? rankOf(a) < rankOf(b) : a < b;
    });
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

} // namespace

void canonicalCycleInto(const std::vector<int>& seq, std::vector<int>& best, std::vector<int>& candidate)
{
    const std::size_t n = seq.size();
    best.assign(seq.begin(), seq.end());
    candidate.resize(n);
    for (int mirror = 0; mirror < 2; ++mirror)
        for (std::size_t shift = 0; shift < n; ++shift) {
            for (std::size_t i = 0; i < n; ++i)
                candidate[i] = mirror ? seq[(shift + n - i) % n] : seq[(shift + i) % n];
            if (candidate < best)
                best.swap(candidate);
        }
}

void MotifTally::add(const std::string& canonical, const std::string& name, int members,
                     const std::vector<std::string>& childKeys, long long times)
{
    Entry& e = mEntries[canonical];
    e.name = name;
    e.count += times;
    e.members[members] += times;
    e.children.insert(childKeys.begin(), childKeys.end());
}

HierarchyLevel MotifTally::finish(int level, const std::map<std::string, std::string>& childIds) const
{
    HierarchyLevel out;
    out.level = level;
    long long total = 0;
    for (const auto& [key, e] : mEntries)
        total += e.count;
    for (const auto& [key, e] : mEntries) {
        MotifNode m;
        m.name = e.name;
        m.canonical = key;
        m.count = e.count;
        m.fraction = total > 0 ? double(e.count) / double(total) : 0.0;
        long long most = -1;
        for (const auto& [members, times] : e.members)
            if (times > most) {
                most = times;
                m.members = members;
            }
        for (const std::string& child : e.children) {
            const auto it = childIds.find(child);
            if (it != childIds.end())
                m.children.push_back(it->second);
        }
        sortIds(m.children);
        out.motifs.push_back(std::move(m));
    }
    std::sort(out.motifs.begin(), out.motifs.end(), [](const MotifNode& a, const MotifNode& b) {
        if (a.count != b.count)
            return a.count > b.count;
        return a.name != b.name ? a.name < b.name : a.canonical < b.canonical;
    });
    for (std::size_t k = 0; k < out.motifs.size(); ++k)
        out.motifs[k].id = "L" + std::to_string(level) + "-" + std::to_string(k);
    return out;
}

std::map<std::string, std::string> MotifTally::idsOf(const HierarchyLevel& level)
{
    std::map<std::string, std::string> ids;
    for (const MotifNode& m : level.motifs)
        ids[m.canonical] = m.id;
    return ids;
}

void linkParents(HierarchyLevel& lower, const HierarchyLevel& upper)
{
    std::map<std::string, std::size_t> index;
    for (std::size_t k = 0; k < lower.motifs.size(); ++k)
        index[lower.motifs[k].id] = k;
    for (const MotifNode& parent : upper.motifs)
        for (const std::string& child : parent.children) {
            const auto it = index.find(child);
            if (it != index.end())
                lower.motifs[it->second].parents.push_back(parent.id);
        }
    for (MotifNode& m : lower.motifs)
        sortIds(m.parents);
}

} // namespace hierarchy_detail
} // namespace motifscope
