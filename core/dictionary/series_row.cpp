#include "core/dictionary/series_row.h"

#include "core/io/file_util.h"
#include "core/io/frame_time.h"
#include "core/pipeline/analysis_output.h"

#include <cmath>
#include <filesystem>

namespace motifscope {

namespace {

constexpr std::size_t kSeriesLevels = 3; ///< hierarchy levels whose entropy series.csv has

void appendValue(std::string& out, double value, int precision = 6)
{
    out += ',';
    if (!std::isfinite(value)) {
        out += "nan";
        return;
    }
    appendNumber(out, value, precision);
}

} // namespace

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string frameStem(const std::string& file, int index, int frames)
{
    std::string stem = std::filesystem::path(file).stem().string();
    if (stem.empty() || stem[0] == '.')
        stem = "frame" + stem;
    if (frames <= 1)
        return stem;
    std::string number = std::to_string(index);
    while (number.size() < 4)
        number = "0" + number;
    return stem + "_f" + number;
}

std::string firstFreeStem(const std::set<std::string>& taken, const std::string& stem)
{
    std::string name = stem;
    for (int k = 2; taken.count(name) > 0; ++k)
        name = stem + "-" + std::to_string(k);
    return name;
}

std::string seriesHeader(const MotifDictionary& dictionary)
{
    std::string h = "frame,file,index,columns";
    for (const DictionaryMotif& m : dictionary.motifs)
        h += ",count_" + std::to_string(m.id) + ",fraction_" + std::to_string(m.id);
    return h + ",motif_entropy_bits,motif_continuity,novel,novel_fraction,level1_entropy_bits,level2_entropy_bits,"
               "level3_entropy_bits,psi4_mean,psi6_mean,ring_size_mean,scale,time\n";
}

std::vector<MotifShare> motifShares(const MotifDictionary& dictionary, const FrameClassification& frame)
{
    std::vector<MotifShare> out;
    for (const DictionaryMotif& d : dictionary.motifs) {
        MotifShare share;
        for (const Motif& m : frame.motifs)
            if (m.id == d.id)
                share = {m.count, m.fraction};
        out.push_back(share);
    }
    return out;
}

SeriesRowValues seriesRowValues(const MotifDictionary& dictionary, const FrameClassification& frame)
{
    const disorder::DisorderReport& d = frame.disorder;
    SeriesRowValues v;
    v.columns = frame.base.detection.columns.size();
    v.shares = motifShares(dictionary, frame);
    v.motifEntropyBits = d.motifEntropy.value;
    v.motifContinuity = d.continuity.value;
    v.novel = frame.novelCount;
    for (const auto& level : d.levelEntropy)
        v.levelEntropyBits.push_back(level.value);
    v.psi4Mean = d.psi4.value;
    v.psi6Mean = d.psi6.value;
    v.hasRings = d.hasRings;
    v.ringSizeMean = d.hasRings ? d.rings.mean.value : 0.0;
    v.scale = frame.scale;
    return v;
}

std::string seriesRow(const std::string& stem, const std::string& file, int index, const SeriesRowValues& v,
                      const std::string& time)
{
    std::string row = csvField(stem) + ',' + csvField(file) + ',' + std::to_string(index) + ',' + std::to_string(v.columns);
    for (const MotifShare& share : v.shares) {
        row += ',' + std::to_string(share.count);
        appendValue(row, share.fraction);
    }
    appendValue(row, v.motifEntropyBits);
    appendValue(row, v.motifContinuity);
    row += ',' + std::to_string(v.novel);
    appendValue(row, v.columns > 0 ? double(v.novel) / double(v.columns) : 0.0);
    for (std::size_t level = 0; level < kSeriesLevels; ++level) {
        if (level < v.levelEntropyBits.size())
            appendValue(row, v.levelEntropyBits[level]);
        else
            row += ','; // the frame's hierarchy has no such level
    }
    appendValue(row, v.psi4Mean);
    appendValue(row, v.psi6Mean);
    if (v.hasRings)
        appendValue(row, v.ringSizeMean);
    else
        row += ','; // the cells route counts no rings
    appendValue(row, v.scale);
    return row + ',' + csvField(time) + '\n';
}

std::string seriesRow(const MotifDictionary& dictionary, const std::string& stem, const std::string& file, int index,
                      const FrameClassification& frame, const std::string& time)
{
    return seriesRow(stem, file, index, seriesRowValues(dictionary, frame), time);
}

std::string frameTime(const Micrograph& frame)
{
    const auto& m = frame.metadata;
    if (const auto it = m.find(kFrameDateTimeKey); it != m.end())
        return it->second;
    if (const auto it = m.find("TIFF.DateTime"); it != m.end())
        return it->second;
    for (const auto& [key, value] : m)
        if (key.size() >= 8 && key.compare(key.size() - 8, 8, "DateTime") == 0)
            return value;
    std::string date, clock;
    for (const auto& [key, value] : m) {
        if (key.find("Acquisition Date") != std::string::npos)
            date = value;
        if (key.find("Acquisition Time") != std::string::npos)
            clock = value;
    }
    return date.empty() ? clock : clock.empty() ? date : date + " " + clock;
}

std::string seriesCsv(const MotifDictionary& dictionary, const std::vector<SeriesFrameRow>& rows)
{
    std::string text = seriesHeader(dictionary);
    std::set<std::string> stems;
    for (const SeriesFrameRow& r : rows) {
        const std::string stem = firstFreeStem(stems, frameStem(r.file, r.index, r.frames));
        stems.insert(stem);
        text += seriesRow(stem, r.file, r.index, r.values, r.time);
    }
    return text;
}

void writeSeriesCsv(const std::string& path, const MotifDictionary& dictionary, const std::vector<SeriesFrameRow>& rows)
{
    writeFileAtomically(path, seriesCsv(dictionary, rows));
}

} // namespace motifscope
