#include "ui/document/motifedits.h"

#include "core/features/patches.h"
#include "core/learn/kmeans.h"
#include "core/learn/motifs.h"

#include <QCoreApplication>

#include <algorithm>

namespace motifscope::ui {

QString defaultMotifName(int id)
{
    return QCoreApplication::translate("MotifEdits", "Motif %1").arg(id);
}

MotifTable withSurvivingNames(const ColumnSet& before, const MotifTable& beforeTable, const ColumnSet& after,
                              MotifTable learned)
{
    const int oldCount = beforeTable.size(), newCount = learned.size();
    if (oldCount == 0 || newCount == 0 || before.size() != after.size())
        return learned;
    // overlap[i * newCount + j]: columns that were motif i and are now motif j.
    std::vector<long long> overlap(std::size_t(oldCount) * std::size_t(newCount), 0);
    for (std::size_t c = 0; c < after.size(); ++c) {
        const int i = before.classOf(c), j = after.classOf(c);
        if (i >= 0 && i < oldCount && j >= 0 && j < newCount)
            ++overlap[std::size_t(i) * std::size_t(newCount) + std::size_t(j)];
    }
    const auto at = [&](int i, int j) { return overlap[std::size_t(i) * std::size_t(newCount) + std::size_t(j)]; };
    for (int j = 0; j < newCount; ++j) {
        int bestOld = -1;
        for (int i = 0; i < oldCount; ++i)
            if (at(i, j) > 0 && (bestOld < 0 || at(i, j) > at(bestOld, j)))
                bestOld = i;
        if (bestOld < 0)
            continue;
        int bestNew = 0;
        for (int k = 1; k < newCount; ++k)
            if (at(bestOld, k) > at(bestOld, bestNew))
                bestNew = k;
        const QString& name = beforeTable.motifs[std::size_t(bestOld)].name;
        if (bestNew == j && name != defaultMotifName(bestOld))
            learned.motifs[std::size_t(j)].name = name;
    }
    return learned;
}

MotifState mergedMotifs(const MotifState& before, std::vector<int> ids)
{
    std::erase_if(ids, [&](int id) { return !before.table.contains(id); });
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.size() < 2)
        return before;
    const int target = ids.front();
    // New id of every old id: merged ones go to the target, the rest close up the gaps.
    std::vector<int> newId(std::size_t(before.table.size()), -1);
    int next = 0;
    for (int id = 0; id < before.table.size(); ++id) {
        const bool removed = id != target && std::binary_search(ids.begin(), ids.end(), id);
        newId[std::size_t(id)] = removed ? -1 : next++;
    }
    for (int id : ids)
        newId[std::size_t(id)] = newId[std::size_t(target)];

    MotifState after = before;
    after.table.motifs.clear();
    for (int id = 0; id < before.table.size(); ++id)
        if (id == target || !std::binary_search(ids.begin(), ids.end(), id))
            after.table.motifs.push_back(before.table.motifs[std::size_t(id)]);
    for (int& c : after.columns.classes)
        if (c >= 0 && c < int(newId.size()))
            c = newId[std::size_t(c)];

    // The merged average: the count-weighted mean of the averages merged.
    const std::size_t pixels = std::size_t(std::max(0, before.table.patchSize)) * std::max(0, before.table.patchSize);
    std::vector<double> sum(pixels, 0.0);
    long long count = 0;
    for (int id : ids) {
        const std::vector<float>& average = before.table.motifs[std::size_t(id)].averagePatch;
        const long long members = membersOf(before.columns, id);
        if (average.size() != pixels)
            return after; // no averages to combine (no micrograph yet)
        for (std::size_t p = 0; p < pixels; ++p)
            sum[p] += double(members) * average[p];
        count += members;
    }
    std::vector<float>& merged = after.table.motifs[std::size_t(newId[std::size_t(target)])].averagePatch;
    merged.assign(pixels, 0.0f);
    if (count > 0)
        for (std::size_t p = 0; p < pixels; ++p)
            merged[p] = float(sum[p] / double(count));
    return after;
}

MotifState splitMotif(const MotifState& before, int id, std::uint64_t seed)
{
    if (!before.table.contains(id))
        return before;
    const ColumnSet& set = before.columns;
    std::vector<int> members;
    for (std::size_t i = 0; i < set.size(); ++i)
        if (set.classOf(i) == id && set.mapOf(i).learned())
            members.push_back(int(i));
    if (members.size() < 2)
        return before;
    Eigen::MatrixXf points(Eigen::Index(members.size()), 2);
    for (std::size_t r = 0; r < members.size(); ++r) {
        const MapPoint p = set.mapOf(std::size_t(members[r]));
        points(Eigen::Index(r), 0) = p.x;
        points(Eigen::Index(r), 1) = p.y;
    }
    const KMeansResult halves = kmeans(points, 2, seed);
    const auto inFirst = std::count(halves.labels.begin(), halves.labels.end(), 0);
    const long long inSecond = (long long)members.size() - inFirst;
    if (inFirst == 0 || inSecond == 0)
        return before;
    const int moving = inFirst < inSecond ? 0 : 1; // the smaller half becomes the new motif
    const int newId = before.table.size();

    MotifState after = before;
    after.columns.conform();
    for (std::size_t r = 0; r < members.size(); ++r)
        if (halves.labels[r] == moving)
            after.columns.classes[std::size_t(members[r])] = newId;
    MotifEntry entry;
    entry.name = defaultMotifName(newId);
    entry.colour = QColor(QString::fromStdString(motifColour(newId)));
    after.table.motifs.push_back(entry);
    return after;
}

MotifState assignedToMotif(const MotifState& before, const std::vector<int>& indices, int id)
{
    if (!before.table.contains(id) || indices.empty())
        return before;
    MotifState after = before;
    ColumnSet& set = after.columns;
    if (set.classes.empty())
        set.classes.assign(set.size(), -1);
    if (set.confidence.empty())
        set.confidence.assign(set.size(), 0.0f);
    set.conform();
    for (int i : indices) {
        if (i < 0 || i >= int(set.size()))
            continue;
        set.classes[std::size_t(i)] = id;
        set.confidence[std::size_t(i)] = 1.0f;
        set.markEdited(std::size_t(i), kColumnLabelledByHand);
    }
    return after;
}

void updateAverages(MotifState& state, const FloatImage& image, const std::vector<int>& ids)
{
    const int size = state.table.patchSize;
    if (size < 1 || image.data.empty())
        return;
    const ColumnSet& set = state.columns;
    std::vector<int> labels(set.size(), -1);
    for (std::size_t i = 0; i < set.size(); ++i)
        if (std::find(ids.begin(), ids.end(), set.classOf(i)) != ids.end())
            labels[i] = set.classOf(i);
    const std::vector<float> orientation = set.orientation.size() == set.size() ? set.orientation
                                                                                 : std::vector<float>{};
    const std::vector<Motif> motifs = summariseMotifs(image, set.columns, orientation, labels, size);
    for (int id : ids)
        if (state.table.contains(id) && id < int(motifs.size()))
            state.table.motifs[std::size_t(id)].averagePatch = motifs[std::size_t(id)].averagePatch;
}

void updateAveragesForMoves(MotifState& after, const MotifState& before, const FloatImage& image,
                            const std::vector<int>& moved)
{
    const int size = after.table.patchSize;
    if (size < 1 || image.data.empty())
        return;
    const std::size_t pixels = std::size_t(size) * size;
    const ColumnSet& set = after.columns;
    std::vector<std::vector<double>> change(std::size_t(after.table.size()));
    std::vector<float> patch(pixels);
    std::vector<int> columns = moved;
    std::sort(columns.begin(), columns.end());
    columns.erase(std::unique(columns.begin(), columns.end()), columns.end()); // a column moves once
    for (int i : columns) {
        if (i < 0 || i >= int(set.size()))
            continue;
        const int from = before.columns.classOf(std::size_t(i)), to = set.classOf(std::size_t(i));
        if (from == to)
            continue;
        const double angle = set.orientation.size() == set.size() ? double(set.orientation[std::size_t(i)]) : 0.0;
        sampleRotatedPatch(image, set.columns[std::size_t(i)].x, set.columns[std::size_t(i)].y, size, angle, patch.data());
        for (const auto& [id, sign] : {std::pair{from, -1.0}, std::pair{to, 1.0}}) {
            if (id < 0 || id >= after.table.size())
                continue;
            std::vector<double>& c = change[std::size_t(id)];
            c.resize(pixels, 0.0);
            for (std::size_t p = 0; p < pixels; ++p)
                c[p] += sign * patch[p];
        }
    }
    std::vector<int> recompute; // motifs without a usable average before: sampled whole
    for (int id = 0; id < after.table.size(); ++id) {
        if (change[std::size_t(id)].empty())
            continue;
        const bool existed = before.table.contains(id);
        const std::vector<float> none;
        const std::vector<float>& old = existed ? before.table.motifs[std::size_t(id)].averagePatch : none;
        const long long was = existed ? membersOf(before.columns, id) : 0, now = membersOf(set, id);
        if (was > 0 && old.size() != pixels) {
            recompute.push_back(id);
            continue;
        }
        std::vector<float>& average = after.table.motifs[std::size_t(id)].averagePatch;
        average.assign(pixels, 0.0f);
        if (now > 0)
            for (std::size_t p = 0; p < pixels; ++p)
                average[p] = float(((was > 0 ? double(was) * old[p] : 0.0) + change[std::size_t(id)][p]) / double(now));
    }
    if (!recompute.empty())
        updateAverages(after, image, recompute);
}

} // namespace motifscope::ui
