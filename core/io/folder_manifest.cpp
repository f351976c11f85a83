#include "core/io/folder_manifest.h"

#include "core/io/file_util.h"
#include "core/io/micrograph.h"
#include "core/io/readers.h"

#include <nlohmann/json.hpp>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sys/stat.h>
#include <utility>
#include <vector>

namespace motifscope {

namespace {

constexpr const char* kFormat = "motifscope-folder-manifest";
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;
constexpr std::uintmax_t kMaxManifestBytes = 1u << 20;

std::uint64_t fnv1a(std::uint64_t hash, const unsigned char* bytes, std::size_t count)
{
    for (std::size_t i = 0; i < count; ++i)
        hash = (hash ^ bytes[i]) * kFnvPrime;
    return hash;
}

std::string hex16(std::uint64_t value)
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

std::string inFolder(const std::string& folder, const std::string& name)
{
    return (std::filesystem::path(folder) / name).string();
}

/** A name the manifest may list: a plain file of the folder itself. */
bool plainName(const std::string& name)
{
    return !name.empty() && name != "." && name != ".." && name != kManifestName
        && name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

void writeManifest(const std::string& folder, const nlohmann::ordered_json& manifest)
{
    writeFileAtomically(inFolder(folder, kManifestName), manifest.dump(2) + "\n");
}

nlohmann::ordered_json header(const std::string& state, const std::string& command, const std::string& input)
{
    nlohmann::ordered_json manifest;
    manifest["format"] = kFormat;
    manifest["version"] = 1;
    manifest["state"] = state;
    manifest["command"] = command;
    manifest["input"] = input;
    return manifest;
}

} // namespace

std::uint64_t fileChecksum(const std::string& path)
{
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file)
        throw IoError(path, "cannot open for reading");
    std::uint64_t hash = kFnvOffset;
    std::vector<unsigned char> block(1 << 16);
    std::size_t n = 0;
    while ((n = std::fread(block.data(), 1, block.size(), file.get())) > 0)
        hash = fnv1a(hash, block.data(), n);
    if (std::ferror(file.get()))
        throw IoError(path, "read error");
    return hash;
}

FolderRun::FolderRun(std::string folder, std::string command, std::string input, std::vector<std::string> outputs)
    : mFolder(std::move(folder)), mCommand(std::move(command)), mInput(std::move(input)), mOutputs(std::move(outputs))
{
    removeStaleTemporariesIn(mFolder);
    writeManifest(mFolder, header("writing", mCommand, mInput));
    mBefore = snapshot();
}

std::map<std::string, FolderRun::Identity> FolderRun::snapshot() const
{
    std::map<std::string, Identity> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(mFolder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        struct stat st{};
        if (name[0] == '.' || !plainName(name) || ::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        files[name] = {std::uint64_t(st.st_dev), std::uint64_t(st.st_ino), std::uint64_t(st.st_size),
                       std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
    }
    return files;
}

void FolderRun::finish()
{
    std::map<std::string, Identity> after = snapshot();
    // An output this run did not replace is an earlier run's: it must not pass for this run's.
    for (const std::string& name : mOutputs) {
        const auto was = mBefore.find(name);
        const auto now = after.find(name);
        if (was != mBefore.end() && now != after.end() && was->second == now->second) {
            std::error_code ec;
            std::filesystem::remove(inFolder(mFolder, name), ec);
            if (ec)
                throw IoError(inFolder(mFolder, name), "cannot remove the previous run's file: " + ec.message());
            after.erase(now);
        }
    }
    std::vector<std::pair<std::string, Identity>> written; // sorted by name (std::map)
    for (const auto& [name, identity] : after) {
        const auto was = mBefore.find(name);
        if (was != mBefore.end() && was->second == identity)
            continue; // not this run's (the user's own files may share the folder)
        written.emplace_back(name, identity);
    }
    // The checksums side by side: the overlay and features.csv alone are tens of MB at 4096^2.
    std::vector<std::uint64_t> checksums(written.size());
    tbb::parallel_for(std::size_t(0), written.size(),
                      [&](std::size_t i) { checksums[i] = fileChecksum(inFolder(mFolder, written[i].first)); });
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    std::uint64_t run = kFnvOffset;
    for (std::size_t i = 0; i < written.size(); ++i) {
        const auto& [name, identity] = written[i];
        const std::uint64_t checksum = checksums[i];
        nlohmann::ordered_json entry;
        entry["name"] = name;
        entry["size"] = identity.size;
        entry["fnv1a64"] = hex16(checksum);
        files.push_back(entry);
        const std::string line = name + " " + std::to_string(identity.size) + " " + hex16(checksum) + "\n";
        run = fnv1a(run, reinterpret_cast<const unsigned char*>(line.data()), line.size());
    }
    nlohmann::ordered_json manifest = header("complete", mCommand, mInput);
    manifest["run"] = hex16(run);
    manifest["files"] = files;
    writeManifest(mFolder, manifest);
}

FolderCheck checkFolder(const std::string& folder)
{
    namespace fs = std::filesystem;
    const std::string path = inFolder(folder, kManifestName);
    std::error_code ec;
    if (!fs::exists(path, ec))
        return {};
    const auto changed = [](const std::string& problem) { return FolderCheck{FolderState::Changed, problem}; };
    const std::uintmax_t bytes = fs::file_size(path, ec);
    if (ec || bytes > kMaxManifestBytes)
        return changed(path + ": unreadable or larger than a manifest can be");
    nlohmann::json manifest;
    try {
        const std::vector<std::uint8_t> text = readFileBytes(path);
        manifest = nlohmann::json::parse(text.begin(), text.end());
    } catch (const std::exception&) {
        return changed(path + ": damaged (not JSON)");
    }
    if (!manifest.is_object() || manifest.value("format", std::string()) != kFormat)
        return changed(path + ": not a MotifScope manifest");
    const std::string state = manifest.value("state", std::string());
    if (state == "writing")
        return {FolderState::Interrupted,
                folder + ": the " + manifest.value("command", std::string("previous")) +
                    " run writing this folder did not finish (manifest.json says 'writing'), so its files may "
                    "mix two runs; run it again"};
    const auto& files = manifest.find("files");
    if (state != "complete" || files == manifest.end() || !files->is_array())
        return changed(path + ": damaged (no state 'complete' with a file list)");
    for (const auto& entry : *files) {
        if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
            !entry.contains("size") || !entry["size"].is_number_unsigned() || !entry.contains("fnv1a64") ||
            !entry["fnv1a64"].is_string() || !plainName(entry["name"].get<std::string>()))
            return changed(path + ": damaged file entry");
        const std::string file = inFolder(folder, entry["name"].get<std::string>());
        const std::uint64_t size = entry["size"].get<std::uint64_t>();
        const std::uintmax_t actual = fs::file_size(file, ec);
        if (ec)
            return changed(file + ": named by manifest.json but missing");
        if (actual != size)
            return changed(file + ": " + std::to_string(actual) + " bytes where manifest.json says " +
                           std::to_string(size) + ": changed since the run that wrote the folder");
        if (hex16(fileChecksum(file)) != entry["fnv1a64"].get<std::string>())
            return changed(file + ": content differs from manifest.json: changed since the run that wrote the folder");
    }
    return {FolderState::Complete, {}};
}

} // namespace motifscope
