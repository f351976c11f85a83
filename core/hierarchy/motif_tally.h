#pragma once
/** Counting motif occurrences by canonical form and turning the counts into sorted, linked levels. */

#include "core/hierarchy/hierarchy.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace motifscope::hierarchy_detail {

/** The lexicographically smallest rotation or reflection of a cyclic sequence. */
template <typename T>
std::vector<T> canonicalCycle(const std::vector<T>& seq)
{
    std::vector<T> best = seq;
    const std::size_t n = seq.size();
    std::vector<T> candidate(n);
    for (int mirror = 0; mirror < 2; ++mirror)
        for (std::size_t shift = 0; shift < n; ++shift) {
            for (std::size_t i = 0; i < n; ++i)
                candidate[i] = mirror ? seq[(shift + n - i) % n] : seq[(shift + i) % n];
            if (candidate < best)
                best = candidate;
        }
    return best;
}

/**
 * canonicalCycle for integer sequences without allocating: writes the smallest rotation or
 * reflection of `seq` into `best` (resized to seq.size()); `candidate` is scratch space.
 */
void canonicalCycleInto(const std::vector<int>& seq, std::vector<int>& best, std::vector<int>& candidate);

/** Occurrences of the motifs of one level, keyed by canonical form. */
class MotifTally
{
public:
    /** Records `times` occurrences of `canonical` with `members` columns, made of the child motifs `childKeys`. */
    void add(const std::string& canonical, const std::string& name, int members,
             const std::vector<std::string>& childKeys, long long times = 1);

    /**
     * The level's motifs sorted by count (descending), then name, then canonical form, with ids
     * "L<level>-<k>" and children resolved through `childIds` (canonical form -> id of the level below).
     */
    HierarchyLevel finish(int level, const std::map<std::string, std::string>& childIds) const;

    /** After finish(): canonical form -> id and -> index in the sorted level. */
    static std::map<std::string, std::string> idsOf(const HierarchyLevel& level);

private:
    struct Entry
    {
        std::string name;
        long long count = 0;
        std::map<int, long long> members;
        std::set<std::string> children;
    };
    std::map<std::string, Entry> mEntries;
};

/** Fills each motif's `parents` from the `children` of the level above. */
void linkParents(HierarchyLevel& lower, const HierarchyLevel& upper);

} // namespace motifscope::hierarchy_detail
