#include "core/dictionary/series.h"

#include "core/io/file_util.h"
#include "core/io/folder_manifest.h"
#include "core/io/micrograph.h"
#include "core/io/readers.h"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>

namespace motifscope {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPartial = ".partial";
constexpr const char* kReplaced = ".replaced";

/** The fields of one CSV line (quoted fields with doubled quotes); false when a quote is left open. */
bool splitCsv(const std::string& line, std::vector<std::string>& fields)
{
    fields.assign(1, std::string());
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
                fields.back() += '"', ++i;
            else if (c == '"')
                quoted = false;
            else
                fields.back() += c;
        } else if (c == '"')
            quoted = true;
        else if (c == ',')
            fields.emplace_back();
        else
            fields.back() += c;
    }
    return !quoted;
}

} // namespace

SeriesTable::SeriesTable(std::string dir, std::string header)
    : mPath((fs::path(dir) / kSeriesName).string()), mHeader(std::move(header))
{
    std::error_code ec;
    if (!fs::exists(mPath, ec))
        return;
    const std::vector<std::uint8_t> bytes = readFileBytes(mPath);
    const std::string text(bytes.begin(), bytes.end());
    if (text.compare(0, mHeader.size(), mHeader) != 0)
        throw IoError(mPath, "was written with another dictionary (its header differs); choose another --out");
    std::vector<std::string> fields;
    std::size_t at = mHeader.size(), line = 2;
    while (at < text.size()) {
        const std::size_t end = text.find('\n', at);
        if (end == std::string::npos)
            throw IoError(mPath, "line " + std::to_string(line) + " has no line end (not written by classify)");
        const std::string row = text.substr(at, end - at + 1);
        if (!splitCsv(text.substr(at, end - at), fields) || fields.size() < 4)
            throw IoError(mPath, "line " + std::to_string(line) + " is not a series row");
        char* stop = nullptr;
        const long index = std::strtol(fields[2].c_str(), &stop, 10);
        if (fields[2].empty() || *stop != '\0' || index < 0)
            throw IoError(mPath, "line " + std::to_string(line) + ": index '" + fields[2] + "' is not a frame index");
        append(fields[1], int(index), fields[0], row);
        at = end + 1;
        ++line;
    }
}

bool SeriesTable::has(const std::string& file, int index) const
{
    return mFrames.count({file, index}) > 0;
}

bool SeriesTable::hasFrame(const std::string& stem) const
{
    return mStems.count(stem) > 0;
}

std::string SeriesTable::uniqueStem(const std::string& stem) const
{
    return firstFreeStem(mStems, stem);
}

void SeriesTable::add(const std::string& file, int index, const std::string& stem, const std::string& row)
{
    append(file, index, stem, row);
    save();
}

void SeriesTable::append(const std::string& file, int index, const std::string& stem, const std::string& row)
{
    mRows.push_back({file, index, stem, row});
    mFrames.insert({file, index});
    mStems.insert(stem);
}

void SeriesTable::save() const
{
    std::size_t size = mHeader.size();
    for (const Row& r : mRows)
        size += r.text.size();
    std::string text;
    text.reserve(size);
    text += mHeader;
    for (const Row& r : mRows)
        text += r.text;
    writeFileAtomically(mPath, text);
}

std::string readSeriesHeader(const std::string& dir)
{
    const std::string path = (fs::path(dir) / kSeriesName).string();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw IoError(path, "no such file (not a folder written by classify)");
    const std::vector<std::uint8_t> bytes = readFileBytes(path);
    const std::string text(bytes.begin(), bytes.end());
    const std::size_t end = text.find('\n');
    if (end == std::string::npos || text.rfind("frame,file,index,columns", 0) != 0)
        throw IoError(path, "has no series header (not written by classify)");
    return text.substr(0, end + 1);
}

void removeUnfinishedFrameFolders(const std::string& dir)
{
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        const auto ends = [&](const std::string& suffix) {
            return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        if (!name.empty() && name[0] == '.' && (ends(kPartial) || ends(kReplaced)) && e.is_directory(ec))
            fs::remove_all(e.path(), ec);
    }
    removeStaleTemporariesIn(dir);
}

namespace {

/** A fresh, empty DIR/.<stem>.partial to fill. */
fs::path freshPartial(const std::string& dir, const std::string& stem)
{
    const fs::path partial = fs::path(dir) / ("." + stem + kPartial);
    std::error_code ec;
    fs::remove_all(partial, ec);
    fs::create_directories(partial, ec);
    if (ec)
        throw IoError(partial.string(), "cannot create the frame folder (" + ec.message() + ")");
    return partial;
}

/** Renames DIR/.<stem>.partial to DIR/<stem>, replacing an older folder of that name through .<stem>.replaced. */
void placeFrameFolder(const std::string& dir, const std::string& stem)
{
    const fs::path partial = fs::path(dir) / ("." + stem + kPartial);
    const fs::path replaced = fs::path(dir) / ("." + stem + kReplaced);
    const fs::path final = fs::path(dir) / stem;
    std::error_code ec;
    if (fs::exists(final, ec)) {
        fs::remove_all(replaced, ec);
        fs::rename(final, replaced, ec);
        if (ec)
            throw IoError(final.string(), "cannot replace the frame folder (" + ec.message() + ")");
    }
    fs::rename(partial, final, ec);
    if (ec)
        throw IoError(final.string(), "cannot move the frame folder into place (" + ec.message() + ")");
    fs::remove_all(replaced, ec);
}

} // namespace

void publishFrameFolder(const std::string& dir, const std::string& stem, const std::string& input,
                        const std::function<void(const std::string& tempDir)>& write,
                        const std::vector<std::string>& outputs)
{
    const fs::path partial = freshPartial(dir, stem);
    {
        FolderRun run(partial.string(), "classify", input, outputs);
        write(partial.string());
        run.finish();
    }
    placeFrameFolder(dir, stem);
}

void copyFrameFolder(const std::string& from, const std::string& dir, const std::string& stem)
{
    const FolderCheck check = checkFolder(from);
    if (check.state != FolderState::Complete)
        throw IoError(from, "is not a complete frame folder" +
                                (check.problem.empty() ? std::string() : " (" + check.problem + ")"));
    const fs::path partial = freshPartial(dir, stem);
    std::error_code listing;
    for (const fs::directory_entry& e : fs::directory_iterator(from, listing)) {
        std::error_code ec;
        if (!e.is_regular_file(ec))
            continue;
        fs::copy_file(e.path(), partial / e.path().filename(), fs::copy_options::overwrite_existing, ec);
        if (ec)
            throw IoError(e.path().string(), "cannot copy into " + partial.string() + " (" + ec.message() + ")");
    }
    if (listing)
        throw IoError(from, "cannot list the frame folder (" + listing.message() + ")");
    placeFrameFolder(dir, stem);
}

std::string renameSeriesRow(const std::string& row, const std::string& stem, const std::string& newStem)
{
    const std::string field = csvField(stem);
    if (row.size() <= field.size() || row.compare(0, field.size(), field) != 0 || row[field.size()] != ',')
        throw std::invalid_argument("the row of frame folder '" + stem + "' does not start with its name");
    return csvField(newStem) + row.substr(field.size());
}

SeriesMerge mergeSeries(const std::vector<std::string>& parts, const std::string& dir)
{
    SeriesMerge merge;
    if (parts.empty())
        return merge;
    const std::string header = readSeriesHeader(parts.front());
    SeriesTable table(dir, header);
    for (const std::string& part : parts) {
        if (readSeriesHeader(part) != header)
            throw IoError((fs::path(part) / kSeriesName).string(),
                          "was written with another dictionary than " + parts.front() + " (its header differs)");
        const SeriesTable rows(part, header);
        for (const SeriesTable::Row& row : rows.entries()) {
            if (table.has(row.file, row.index)) {
                ++merge.skipped;
                continue;
            }
            const std::string stem = table.uniqueStem(row.stem);
            std::string text;
            try {
                text = renameSeriesRow(row.text, row.stem, stem);
            } catch (const std::invalid_argument& e) {
                throw IoError(rows.path(), e.what());
            }
            copyFrameFolder((fs::path(part) / row.stem).string(), dir, stem);
            table.append(row.file, row.index, stem, text);
            ++merge.added;
        }
    }
    std::error_code ec;
    if (merge.added > 0 || !fs::exists(table.path(), ec))
        table.save();
    return merge;
}

} // namespace motifscope
